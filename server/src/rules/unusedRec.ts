import { isReference, recReadsItself, resolveName, scopeBindings, type ScopeCache } from '../analysis/scopes';
import type { Node } from '../parse/language';
import { nodesIn, parentOf } from '../parse/nodeIndex';
import { removeRecEdit } from './edits';
import { isGenerated } from './unusedBinding';
import type { Rule, RuleFinding } from './types';

export const unusedRec: Rule = {
  code: 'unused-rec',
  severity: 'hint',
  description: 'A `rec { … }` whose values read none of its own names: `rec` does nothing there.',
  check(doc, ctx) {
    if (isGenerated(doc)) return [];
    const found: RuleFinding[] = [];
    for (const set of nodesIn(doc, 'rec_attrset_expression')) {
      const edit = set.hasError ? undefined : removeRecEdit(doc, set);
      if (!edit) continue;
      // `a = rec { … };` may be read by a binding merged into it elsewhere in its set (`a.c = b;`):
      // whether one exists depends on the set's other bindings (other units of a large file), so a
      // set bound by name is never reported; one given to a function (mkDerivation rec { … }) is.
      if (boundByName(set)) continue;
      // A set around the units (`rec { …; packages = { <units> }; }`), checked with the header: the
      // header's own names are read here, what the units read of it was counted when they were checked.
      const outside = ctx.outside;
      if (outside && set.startIndex <= outside.container.startIndex && outside.container.endIndex <= set.endIndex) {
        if (scopeBindings(set).some(b => outside.usesBinding(set, b.name)) || windowReads(doc, set, ctx.scopes)) continue;
      } else if (recReadsItself(set, ctx.scopes)) {
        continue;
      }
      const keyword = set.child(0)!;
      found.push({
        start: keyword.startIndex,
        end: keyword.endIndex,
        message: 'nothing in this set reads its own names, so `rec` does nothing here; remove it',
        tags: ['unnecessary'],
        fixes: [{ title: 'Remove `rec`', edits: [edit], safe: true, preferred: true }],
      });
    }
    return found;
  },
};

/** Is the set the value of a binding (`a = rec { … };`), which other bindings of its set may extend? */
function boundByName(set: Node): boolean {
  const binding = parentOf(set);
  return binding?.type === 'binding' && binding.childForFieldName('expression')?.id === set.id;
}

/** Does a name in the pass's own window (the header) read one of the set's names? */
function windowReads(doc: Parameters<Rule['check']>[0], set: Node, scopes: ScopeCache): boolean {
  return nodesIn(doc, 'identifier').some(n => {
    if (!isReference(n)) return false;
    const r = resolveName(n, scopes);
    return r.kind === 'local' && r.binding.scope.id === set.id;
  });
}
