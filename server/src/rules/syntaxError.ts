import { nixSyntaxProblems } from '../parse/syntaxChecks';
import { treeSyntaxProblems } from '../parse/syntaxErrors';
import type { NixDocument } from '../parse/documents';
import type { Rule, RuleFinding } from './types';

export const MAX_SYNTAX_ERRORS = 100;

export const syntaxError: Rule = {
  code: 'syntax-error',
  severity: 'error',
  description: 'Nix cannot parse this file: unbalanced brackets, missing semicolons, keywords used as names, duplicate attributes and the like.',
  check: doc => syntaxProblems(doc),
};

/**
 * The file's syntax problems, at most MAX_SYNTAX_ERRORS: the rule's whole check, which needs nothing but the document.
 * The tree's ERROR and MISSING regions are all found from the header of a large file, never from a unit: what they
 * say reads the tokens around them, which may lie in the next unit, and the walk only enters subtrees with an error.
 */
export function syntaxProblems(doc: NixDocument): RuleFinding[] {
  const fromTree = doc.window?.kind === 'unit' ? [] : treeSyntaxProblems(doc.tree, doc.text, MAX_SYNTAX_ERRORS);
  const fromNix = nixSyntaxProblems(doc, MAX_SYNTAX_ERRORS - fromTree.length);
  return [...fromTree, ...fromNix].sort((a, b) => a.start - b.start).slice(0, MAX_SYNTAX_ERRORS);
}
