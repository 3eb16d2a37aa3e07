import { nodesIn } from '../parse/nodeIndex';
import type { Rule, RuleFinding } from './types';

const INHERITS = new Set(['inherit', 'inherit_from']);

export const emptyInherit: Rule = {
  code: 'empty-inherit',
  severity: 'warning',
  description: 'An `inherit` that names nothing does nothing; remove it.',
  check(doc) {
    const found: RuleFinding[] = [];
    for (const node of nodesIn(doc, ...INHERITS)) {
      if (node.childForFieldName('attrs') || node.hasError) continue;
      found.push({ start: node.startIndex, end: node.endIndex, message: 'this inherit names nothing and has no effect', tags: ['unnecessary'] });
    }
    return found;
  },
};
