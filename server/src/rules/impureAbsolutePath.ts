import { builtinOf } from '../analysis/builtinRefs';
import { topLevelAttrs } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { nodesIn } from '../parse/nodeIndex';
import type { ScopeCache } from '../analysis/scopes';
import { puritySeverity, type Rule, type RuleFinding } from './types';

export const impureAbsolutePath: Rule = {
  code: 'impure-absolute-path',
  severity: 'warning',
  description: 'Absolute path literals (/etc/…, /home/…) and ~/ paths read files outside the project; pure evaluation refuses them.',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const node of nodesIn(doc.tree, 'path_expression', 'hpath_expression')) {
      const home = node.type === 'hpath_expression';
      if (!home && !node.text.startsWith('/')) continue;
      const inPath = builtinPathCall(node, ctx.scopes);
      if (inPath?.hashed) continue;
      const base = node.text.slice(node.text.lastIndexOf('/') + 1).replace(/\$\{.*$/, '') || 'file';
      const relative = `copy it into the repository and write ./${base}${home ? '' : ', or write a string if only the name is needed'}`;
      const hint = inPath ? 'give builtins.path a sha256, or ' + relative : relative;
      const message = home
        ? ctx.pure
          ? `${node.text} depends on $HOME, and a flake cannot use it: Nix refuses it when evaluating purely (older Nix: "access to absolute path … is forbidden", newer: "can not be resolved in pure mode"); ${hint}`
          : `${node.text} depends on $HOME of whoever evaluates; a flake cannot use it; ${hint}`
        : ctx.pure
          ? `a flake cannot read ${node.text}: Nix stops with "access to absolute path … is forbidden" when evaluating purely (and pathExists says false); ${hint}`
          : `${node.text} is read from the evaluating machine, outside this project, so another machine gets another file (a flake would refuse it); ${hint}`;
      found.push({ start: node.startIndex, end: node.endIndex, severity: puritySeverity(ctx), message });
    }
    return found;
  },
};

/** `builtins.path { path = <node>; … }`: whether it gives a sha256 (then pure evaluation allows it). */
function builtinPathCall(node: Node, scopes: ScopeCache): { hashed: boolean } | undefined {
  const binding = node.parent;
  const set = binding?.parent?.parent;
  if (binding?.type !== 'binding' || set?.type !== 'attrset_expression') return undefined;
  if (binding.childForFieldName('attrpath')?.text !== 'path') return undefined;
  let arg: Node = set;
  while (arg.parent?.type === 'parenthesized_expression') arg = arg.parent;
  const apply = arg.parent;
  if (apply?.type !== 'apply_expression' || apply.childForFieldName('argument')?.id !== arg.id) return undefined;
  if (builtinOf(apply.childForFieldName('function'), scopes) !== 'path') return undefined;
  return { hashed: topLevelAttrs(set).names.has('sha256') };
}
