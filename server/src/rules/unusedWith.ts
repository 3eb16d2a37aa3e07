import { isReference, resolveName } from '../analysis/scopes';
import { descendants } from '../parse/syntaxTree';
import { nodesIn } from '../parse/nodeIndex';
import type { Rule, RuleFinding } from './types';

export const unusedWith: Rule = {
  code: 'unused-with',
  severity: 'warning',
  description: 'A `with` whose set supplies no name in its body.',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const node of nodesIn(doc.tree, 'with_expression')) {
      const env = node.childForFieldName('environment');
      const body = node.childForFieldName('body');
      if (!env || !body || node.hasError) continue;
      let used = false;
      for (const n of descendants(body)) {
        if (n.type !== 'identifier' || !isReference(n)) continue;
        const r = resolveName(n, ctx.scopes);
        if (r.kind === 'with' && r.envs.some(e => e.id === env.id)) {
          used = true;
          break;
        }
      }
      if (used) continue;
      found.push({
        start: node.startIndex,
        end: body.startIndex,
        message: `nothing in this body comes from \`with ${env.text}\`; remove it`,
        tags: ['unnecessary'],
        fixes: [{ title: `Remove \`with ${env.text};\``, edits: [{ start: node.startIndex, end: body.startIndex, newText: '' }], safe: true, preferred: true }],
      });
    }
    return found;
  },
};
