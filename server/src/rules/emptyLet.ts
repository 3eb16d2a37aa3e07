import { bindingSetOf } from '../parse/attrNames';
import { nodesIn } from '../parse/nodeIndex';
import type { Rule, RuleFinding } from './types';

export const emptyLet: Rule = {
  code: 'empty-let',
  severity: 'warning',
  description: '`let in e` binds nothing; write `e`.',
  check(doc) {
    const found: RuleFinding[] = [];
    for (const node of nodesIn(doc, 'let_expression')) {
      const body = node.childForFieldName('body');
      // Like statix: a let holding comments is left alone, they may be notes for later bindings.
      if (node.hasError || !body || bindingSetOf(node) || node.namedChildren.some(c => c?.type === 'comment')) continue;
      found.push({
        start: node.startIndex,
        end: body.startIndex,
        message: 'this let binds nothing; remove `let in`',
        tags: ['unnecessary'],
        fixes: [{ title: 'Remove `let in`', edits: [{ start: node.startIndex, end: body.startIndex, newText: '' }], safe: true, preferred: true }],
      });
    }
    return found;
  },
};
