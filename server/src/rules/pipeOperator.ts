import { nodesIn } from '../parse/nodeIndex';
import type { Rule, RuleFinding } from './types';

const PIPES = new Set(['|>', '<|']);
const BINARY = new Set(['binary_expression']);

export const pipeOperator: Rule = {
  code: 'pipe-operator',
  severity: 'information',
  description: 'The pipe operators `|>` and `<|` need Nix 2.24 or newer with the `pipe-operators` experimental feature.',
  check(doc) {
    const found: RuleFinding[] = [];
    for (const node of nodesIn(doc, ...BINARY)) {
      const op = node.childForFieldName('operator');
      if (!op || !PIPES.has(op.type)) continue;
      found.push({
        start: op.startIndex,
        end: op.endIndex,
        message: `'${op.type}' needs Nix 2.24 or newer with experimental-features = pipe-operators; older Nix rejects this file`,
      });
    }
    return found;
  },
};
