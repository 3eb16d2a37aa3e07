import { builtinOf } from '../analysis/builtinRefs';
import { calledName } from '../analysis/moduleContext';
import type { ScopeCache } from '../analysis/scopes';
import { attrsOf, staticAttrName, topLevelAttrs } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { MAX_CLIMB, nodesIn, parentOf, withParens } from '../parse/nodeIndex';
import { branchNote, DEFAULT_ARGUMENT, inFlakeEvaluation, unusedDefault, whereUsed } from './builtinFindings';
import type { Rule, RuleFinding, Severity } from './types';

/** Functions that read the file or folder a path names (or copy it to the store). */
const READERS = /^(import|scopedImport|readFile|readDir|readFileType|pathExists|hashFile|filterSource|callPackage|callPackages|cleanSource|cleanSourceWith)$/;
const MODULE_LISTS = new Set(['imports', 'modules']);

export const impureAbsolutePath: Rule = {
  code: 'impure-absolute-path',
  severity: 'warning',
  description: 'Absolute path literals (/etc/…, /home/…) and ~/ paths read files outside the project; pure evaluation refuses them.',
  errorsOnlyInPinLoaders: true,
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const node of nodesIn(doc, 'path_expression', 'hpath_expression')) {
      const home = node.type === 'hpath_expression';
      if (!home && (!node.text.startsWith('/') || appended(node))) continue;
      const where = whereUsed(ctx, node);
      if (!where) continue;
      const inPath = builtinPathCall(node, ctx.scopes);
      if (inPath?.hashed) continue;
      // `~/…` is resolved while parsing; an absolute path only when something reads it.
      const reads = home || !!inPath || isRead(node);
      let severity: Severity;
      if (where === 'pure') severity = reads ? 'error' : 'information';
      else if (where === 'flake') severity = reads ? 'warning' : 'information';
      else if (where === 'default' || reads) severity = 'information';
      else continue;
      const flake = inFlakeEvaluation(where);
      const base = node.text.slice(node.text.lastIndexOf('/') + 1).replace(/\$\{.*$/, '') || 'file';
      const relative = `copy it into the repository and write ./${base}${home ? '' : ', or write a string if only the name is needed'}`;
      const hint = inPath ? 'give builtins.path a sha256, or ' + relative : relative;
      let message: string;
      if (where === 'default') message = `${node.text} is ${DEFAULT_ARGUMENT}; a flake that relies on the default cannot read it`;
      else if (home) {
        message = flake
          ? `${node.text} depends on $HOME, and a flake cannot use it: Nix refuses it when evaluating purely (older Nix: "access to absolute path … is forbidden", newer: "can not be resolved in pure mode"); ${hint}`
          : `${node.text} depends on $HOME of whoever evaluates; a flake cannot use it; ${hint}`;
      } else if (flake) {
        message = reads
          ? `a flake cannot read ${node.text}: Nix stops with "access to absolute path … is forbidden" when evaluating purely (and pathExists says false); ${hint}`
          : `${node.text} is a path outside this flake: as a value it is harmless, but Nix refuses to read it or copy it to the store when evaluating purely ("access to absolute path … is forbidden"); if only the name is needed, write it as a string`;
      } else {
        message = `${node.text} is read from the evaluating machine, outside this project, so another machine gets another file (a flake would refuse it); ${hint}`;
      }
      found.push(unusedDefault(ctx, node, { start: node.startIndex, end: node.endIndex, severity, message: message + branchNote(where) }));
    }
    return found;
  },
};

/** `./. + /rel`, `root + /secrets/x.age`, `/. + "…"`, `/${x}`: a path built from parts, not a file of the machine. */
function appended(node: Node): boolean {
  if (node.text.startsWith('/${')) return true;
  const parent = parentOf(node);
  if (parent?.type !== 'binary_expression' || parent.childForFieldName('operator')?.type !== '+') return false;
  if (parent.childForFieldName('right')?.id === node.id) return true;
  return node.text === '/.' || node.text === '/';
}

/** Does Nix read the path: an argument of import, readFile, pathExists …, a module list element, or interpolated into a string? */
function isRead(node: Node): boolean {
  const arg = withParens(node);
  const parent = parentOf(arg);
  if (parent?.type === 'interpolation') return true;
  if (parent?.type === 'apply_expression' && parent.childForFieldName('argument')?.id === arg.id) return READERS.test(calledName(parent) ?? '');
  if (parent?.type === 'list_expression') {
    let list: Node = parent;
    for (let p = parentOf(list), i = 0; (p?.type === 'parenthesized_expression' || p?.type === 'binary_expression') && i < MAX_CLIMB; p = parentOf(p), i++) list = p;
    const binding = parentOf(list);
    if (binding?.type !== 'binding' || binding.childForFieldName('expression')?.id !== list.id) return false;
    const attrs = attrsOf(binding.childForFieldName('attrpath'));
    return MODULE_LISTS.has(staticAttrName(attrs[attrs.length - 1]) ?? '');
  }
  return false;
}

/** `builtins.path { path = <node>; … }`: whether it gives a sha256 (then pure evaluation allows it). */
function builtinPathCall(node: Node, scopes: ScopeCache): { hashed: boolean } | undefined {
  const binding = parentOf(node);
  const set = parentOf(parentOf(binding));
  if (binding?.type !== 'binding' || set?.type !== 'attrset_expression') return undefined;
  if (binding.childForFieldName('attrpath')?.text !== 'path') return undefined;
  const arg = withParens(set);
  const apply = parentOf(arg);
  if (apply?.type !== 'apply_expression' || apply.childForFieldName('argument')?.id !== arg.id) return undefined;
  if (builtinOf(apply.childForFieldName('function'), scopes) !== 'path') return undefined;
  return { hashed: topLevelAttrs(set).names.has('sha256') };
}
