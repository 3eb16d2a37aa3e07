import { filePathOf } from '../analysis/definitions';
import { contextOf, SYSTEM_CALL } from '../analysis/moduleContext';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { nodesIn, parentOf } from '../parse/nodeIndex';
import { indentAt } from './edits';
import type { Edit, Rule, RuleContext, RuleFinding } from './types';

/** Where a function's module context comes from: the file's own guess, or a place that takes modules. */
function moduleBy(fn: Node, doc: NixDocument): 'place' | 'file' | undefined {
  if (contextOf(fn, { uri: doc.uri, root: doc.tree.rootNode }).kind !== 'module') return undefined;
  let n: Node = fn;
  for (let p = parentOf(n), i = 0; p && i < 64; n = p, p = parentOf(p), i++) {
    if (p.type === 'source_code') return 'file';
    const through = p.type === 'parenthesized_expression' || (['function_expression', 'let_expression', 'with_expression', 'assert_expression'].includes(p.type) && p.childForFieldName('body')?.id === n.id);
    if (!through) return 'place';
  }
  return 'place';
}

/**
 * Is this file used as a module: named in a module list of some configuration, or the module at
 * the root of a whole one? A file nothing imports might be a function some code calls, and one imported as
 * `import ./f.nix { … }` is a function that returns the module.
 */
function fileIsModule(doc: NixDocument, ctx: RuleContext): boolean {
  const file = filePathOf(doc.uri);
  // a file that calls a builder (nixosSystem, darwinSystem …) is the root of its configuration
  // without being a module: its function returns the configuration
  const callsBuilder = SYSTEM_CALL.test(doc.text);
  return ctx.configurations.some(c => c.direct.has(file) || (c.root === file && c.complete && !callsBuilder));
}

/** Add `...` to the pattern: `{ a, b }` -> `{ a, b, ... }`, `{ }` -> `{ ... }`, one per line when written so. */
function addEllipsis(doc: NixDocument, formals: Node): Edit {
  const last = formals.namedChildren.filter((c): c is Node => !!c && c.type === 'formal').pop();
  if (!last) return { start: formals.startIndex, end: formals.endIndex, newText: '{ ... }' };
  const comma = formals.children.find(c => c?.type === ',' && c.startIndex >= last.endIndex);
  if (!comma) return { start: last.endIndex, end: last.endIndex, newText: ', ...' };
  const multiline = doc.text.slice(comma.endIndex, formals.endIndex).includes('\n');
  return { start: comma.endIndex, end: comma.endIndex, newText: multiline ? `\n${indentAt(doc, last.startIndex)}...` : ' ...' };
}

export const moduleClosedArgs: Rule = {
  code: 'module-closed-args',
  severity: 'error',
  description: 'A NixOS or home-manager module whose argument pattern has no `...`: the module system passes config, options, lib, specialArgs and more, so the call fails.',
  // local: a module written inline sits in a module list of the unit; the file's own module (the
  // one function that asks the configurations) is in the header, which is checked every time
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    let file: boolean | undefined;
    for (const fn of nodesIn(doc, 'function_expression')) {
      const formals = fn.childForFieldName('formals');
      if (!formals || formals.childForFieldName('ellipses') || fn.hasError) continue;
      const by = moduleBy(fn, doc);
      if (!by || (by === 'file' && !(file ??= fileIsModule(doc, ctx)))) continue;
      const names = formals.namedChildren.filter(c => c?.type === 'formal').map(c => c!.childForFieldName('name')?.text).filter(Boolean);
      found.push({
        start: formals.startIndex,
        end: formals.endIndex,
        message: `a module is called with config, options, lib, specialArgs and more, and this pattern ${names.length ? `takes only ${names.join(', ')}` : 'takes no argument'} and has no \`...\`: evaluation fails with "called with unexpected argument"; add \`...\``,
        fixes: [{ title: 'Add `...` to the arguments', edits: [addEllipsis(doc, formals)], safe: true, preferred: true }],
      });
    }
    return found;
  },
};

