import { isReference, resolveName } from '../analysis/scopes';
import { nodesIn } from '../parse/nodeIndex';
import { isGenerated } from './unusedBinding';
import type { Node } from '../parse/language';
import { unparenthesize } from '../parse/syntaxTree';
import type { Rule, RuleFinding } from './types';

export const unusedWith: Rule = {
  code: 'unused-with',
  severity: 'warning',
  description: 'A `with` whose set supplies no name in its body.',
  check(doc, ctx) {
    if (isGenerated(doc)) return [];
    const withs = nodesIn(doc, 'with_expression');
    if (!withs.length) return [];
    // One pass over the names read: a name no let or argument defines may come from any `with` around it.
    const used = new Set<number>();
    for (const ident of nodesIn(doc, 'identifier')) {
      if (!isReference(ident)) continue;
      const r = resolveName(ident, ctx.scopes);
      if (r.kind === 'with') r.envs.forEach(e => used.add(e.id));
    }
    const found: RuleFinding[] = [];
    for (const node of withs) {
      const env = node.childForFieldName('environment');
      const body = node.childForFieldName('body');
      if (!env || !body || node.hasError || used.has(env.id) || ctx.outside?.usesWith(env)) continue;
      // `with pkgs; [ ]` waiting for entries (often with commented-out ones) is a placeholder: a hint
      const inner = unparenthesize(body);
      const placeholder = isEmpty(inner);
      found.push({
        start: node.startIndex,
        end: body.startIndex,
        severity: placeholder ? 'hint' : undefined,
        message: placeholder
          ? `\`with ${env.text}\` in front of an empty ${inner?.type === 'list_expression' ? 'list' : 'set'} supplies nothing (yet); remove it unless entries are coming`
          : `nothing in this body comes from \`with ${env.text}\`; remove it`,
        tags: ['unnecessary'],
        fixes: [{ title: `Remove \`with ${env.text};\``, edits: [{ start: node.startIndex, end: body.startIndex, newText: '' }], safe: true, preferred: true }],
      });
    }
    return found;
  },
};

function isEmpty(node: Node | null | undefined): boolean {
  if (node?.type === 'list_expression') return node.namedChildren.every(c => c?.type === 'comment');
  if (node?.type === 'attrset_expression') return node.namedChildren.every(c => c?.type === 'comment');
  return false;
}
