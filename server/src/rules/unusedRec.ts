import { inScope, isReference, resolveName, type ScopeCache } from '../analysis/scopes';
import type { Node } from '../parse/language';
import { nodesIn } from '../parse/nodeIndex';
import { isGenerated } from './unusedBinding';
import type { Rule, RuleFinding } from './types';

export const unusedRec: Rule = {
  code: 'unused-rec',
  severity: 'hint',
  description: 'A `rec { … }` whose values read none of its own names: `rec` does nothing there.',
  // `a = rec { … }; a.c = b;` reads the set's names from another binding: another unit of a large file
  scope: 'file',
  check(doc, ctx) {
    if (isGenerated(doc)) return [];
    const found: RuleFinding[] = [];
    for (const set of nodesIn(doc, 'rec_attrset_expression')) {
      const keyword = set.child(0);
      if (keyword?.type !== 'rec' || set.hasError || readsItself(set, ctx.scopes)) continue;
      const next = set.child(1);
      const end = next && !doc.text.slice(keyword.endIndex, next.startIndex).trim() ? next.startIndex : keyword.endIndex;
      found.push({
        start: keyword.startIndex,
        end: keyword.endIndex,
        message: 'nothing in this set reads its own names, so `rec` does nothing here; remove it',
        tags: ['unnecessary'],
        fixes: [{ title: 'Remove `rec`', edits: [{ start: keyword.startIndex, end, newText: '' }], safe: true, preferred: true }],
      });
    }
    return found;
  },
};

/** Does anything inside the set (or merged into it: `a.c = b;`) read one of its names? Stops at the first. */
function readsItself(set: Node, scopes: ScopeCache): boolean {
  for (const n of inScope(set)) {
    if (n.type !== 'identifier' || !isReference(n)) continue;
    const r = resolveName(n, scopes);
    if (r.kind === 'local' && r.binding.scope.id === set.id) return true;
  }
  return false;
}
