import { builtinUses, type BuiltinUse } from '../analysis/builtinRefs';
import type { NixDocument } from '../parse/documents';
import { puritySeverity, type RuleContext, type RuleFinding } from './types';

/**
 * One finding per use of the named builtins, on the reference itself, with the impurity
 * severity (an error where Nix evaluates purely). The message may depend on the use's arguments.
 */
export function builtinFindings(doc: NixDocument, ctx: RuleContext, names: ReadonlySet<string>, message: (use: BuiltinUse) => string): RuleFinding[] {
  return builtinUses(doc.tree, names, ctx.scopes).map(use => ({
    start: use.node.startIndex,
    end: use.node.endIndex,
    severity: puritySeverity(ctx),
    message: message(use),
  }));
}
