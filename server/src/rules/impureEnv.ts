import { builtinUses } from '../analysis/builtinRefs';
import { calledName } from '../analysis/moduleContext';
import { plainString } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { unparenthesize } from '../parse/syntaxTree';
import { branchNote, DEFAULT_ARGUMENT, inFlakeEvaluation, severityAt, unusedDefault, whereUsed } from './builtinFindings';
import type { Rule, RuleFinding } from './types';
import { parentOf, parentOfType } from '../parse/nodeIndex';

const NAMES = new Set(['getEnv']);
const DEFAULTS = new Set(['mkDefault', 'mkOptionDefault']);

/** `lib.mkDefault (builtins.getEnv "USER")`: a value any other definition replaces. */
function underDefault(call: Node): boolean {
  let n: Node = call;
  for (let i = 0, p = parentOf(n); i < 4 && p; i++, p = parentOf(p)) {
    n = p;
    if (n.type === 'apply_expression' && DEFAULTS.has(calledName(n) ?? '')) return true;
    if (n.type !== 'parenthesized_expression' && n.type !== 'apply_expression') return false;
  }
  return false;
}

export const impureEnv: Rule = {
  code: 'impure-env',
  severity: 'warning',
  description: 'builtins.getEnv reads the environment of whoever evaluates; under flakes it silently returns "".',
  errorsOnlyInPinLoaders: true,
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const use of builtinUses(doc, NAMES, ctx.scopes)) {
      let where = whereUsed(ctx, use.node);
      if (!where) continue;
      const call = parentOfType(use.node, 'apply_expression') ?? use.node;
      const byDefault = where === 'pure' && underDefault(call);
      if (byDefault) where = 'default';
      const arg = unparenthesize(use.args[0] ?? null);
      const variable = arg?.type === 'string_expression' ? plainString(arg) : undefined;
      const what = variable ? `$${variable}` : 'an environment variable';
      const unfree = variable?.startsWith('NIXPKGS_ALLOW_') ? '; set nixpkgs.config (e.g. allowUnfree) instead of the variable' : '';
      const message = inFlakeEvaluation(where)
        ? `builtins.getEnv returns "" when Nix evaluates purely (a flake without --impure), so this reads an empty string instead of ${what}${unfree || '; pass the value in as a flake input, an option or specialArgs'}${branchNote(where)}`
        : where === 'default'
          ? `builtins.getEnv here is ${byDefault ? 'a mkDefault value, used only when no other definition sets the option' : DEFAULT_ARGUMENT}; when a flake evaluates it, it reads "" instead of ${what}`
          : `builtins.getEnv makes the result depend on the environment of whoever evaluates (${what}); a flake would silently get ""${unfree}`;
      found.push(unusedDefault(ctx, use.node, { start: use.node.startIndex, end: use.node.endIndex, severity: severityAt(where, 'warning'), message }));
    }
    return found;
  },
};
