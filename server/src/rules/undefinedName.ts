import { builtinOf, GLOBALS } from '../analysis/builtinRefs';
import { isReference, resolveName, visibleAt } from '../analysis/scopes';
import { nodesIn, parentOf, parentOfType } from '../parse/nodeIndex';
import { PLACEHOLDER } from '../analysis/cursor';
import type { Node } from '../parse/language';
import { unparenthesize } from '../parse/syntaxTree';
import type { Edit, Fix, Rule, RuleFinding } from './types';

function close(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2 || a === b) return false;
  let same = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] === b[i]) same++;
  return same >= Math.max(a.length, b.length) - 2 || a.toLowerCase() === b.toLowerCase();
}

/** Inside a binding the parser had to repair, a name may be half of a neighbour (`x = true⏎ y = …`). */
function inBrokenBinding(ident: Node, known: Map<number, boolean>): boolean {
  // the answer is the same for every node on the way up: remember it (names 50,000 deep were quadratic)
  const path: number[] = [];
  let answer = false;
  for (let n = parentOf(ident); n; n = parentOf(n)) {
    const seen = known.get(n.id);
    if (seen !== undefined) {
      answer = seen;
      break;
    }
    path.push(n.id);
    if (n.type === 'ERROR') {
      answer = true;
      break;
    }
    if (n.type === 'binding' || n.type === 'inherit' || n.type === 'formal') {
      answer = n.hasError;
      break;
    }
  }
  for (const id of path) known.set(id, answer);
  return answer;
}

/**
 * `{ config, pkgs, ... }: … lib.mkIf …` -> `{ config, pkgs, lib, ... }:`: the name added to the
 * arguments of the function the file is (a module or a package gets its arguments by name).
 */
function addFormal(root: Node, name: string): Edit | undefined {
  const fn = unparenthesize(root.childForFieldName('expression'));
  const formals = fn?.type === 'function_expression' ? fn.childForFieldName('formals') : undefined;
  if (!formals || formals.hasError) return undefined;
  const ellipses = formals.childForFieldName('ellipses');
  if (ellipses) return { start: ellipses.startIndex, end: ellipses.startIndex, newText: `${name}, ` };
  const last = formals.childrenForFieldName('formal').filter((f): f is Node => !!f).pop();
  if (last) return { start: last.endIndex, end: last.endIndex, newText: `, ${name}` };
  const open = formals.child(0);
  return open?.type === '{' ? { start: open.endIndex, end: open.endIndex, newText: ` ${name}` } : undefined;
}

export const undefinedName: Rule = {
  code: 'undefined-name',
  severity: 'error',
  description: 'A variable that nothing defines: no let, argument, rec set or builtin (names under a `with` are never reported).',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    const broken = new Map<number, boolean>();
    for (const ident of nodesIn(doc, 'identifier')) {
      if (!isReference(ident) || ident.text === PLACEHOLDER || ident.hasError || ident.isMissing) continue;
      if (inBrokenBinding(ident, broken) || resolveName(ident, ctx.scopes).kind !== 'free') continue;
      const variable = parentOfType(ident, 'variable_expression');
      if (variable && builtinOf(variable, ctx.scopes)) continue;
      // `inherit null;` / `inherit map;` take the global builtin of that name
      if (!variable && GLOBALS.has(ident.text)) continue;
      if (ident.text === 'builtins') continue;
      const nearby = visibleAt(ident, ctx.scopes).bindings.map(b => b.name).filter(n => close(n, ident.text)).slice(0, 3);
      const fixes: Fix[] = nearby.map((n, i) => ({ title: `Change to '${n}'`, edits: [{ start: ident.startIndex, end: ident.endIndex, newText: n }], preferred: i === 0 }));
      const formal = addFormal(doc.tree.rootNode, ident.text);
      // never preferred: the name may be a typo or meant for a shell (`${x}` in a script)
      if (formal) fixes.push({ title: `Add '${ident.text}' to the file's arguments`, edits: [formal] });
      found.push({
        start: ident.startIndex,
        end: ident.endIndex,
        message: `undefined variable '${ident.text}': Nix rejects the file${nearby.length ? `; did you mean ${nearby.map(n => `'${n}'`).join(', ')}?` : ''}`,
        fixes,
      });
    }
    return found;
  },
};
