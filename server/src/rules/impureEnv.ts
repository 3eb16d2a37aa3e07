import { plainString } from '../parse/attrNames';
import { unparenthesize } from '../parse/syntaxTree';
import { builtinFindings } from './builtinFindings';
import type { Rule } from './types';

const NAMES = new Set(['getEnv']);

export const impureEnv: Rule = {
  code: 'impure-env',
  severity: 'warning',
  description: 'builtins.getEnv reads the environment of whoever evaluates; under flakes it silently returns "".',
  check(doc, ctx) {
    return builtinFindings(doc, ctx, NAMES, use => {
      const arg = unparenthesize(use.args[0] ?? null);
      const variable = arg?.type === 'string_expression' ? plainString(arg) : undefined;
      const what = variable ? `$${variable}` : 'an environment variable';
      const unfree = variable?.startsWith('NIXPKGS_ALLOW_') ? '; set nixpkgs.config (e.g. allowUnfree) instead of the variable' : '';
      return ctx.pure
        ? `builtins.getEnv returns "" when Nix evaluates purely (a flake without --impure), so this reads an empty string instead of ${what}${unfree || '; pass the value in as a flake input, an option or specialArgs'}`
        : `builtins.getEnv makes the result depend on the environment of whoever evaluates (${what}); a flake would silently get ""${unfree}`;
    });
  },
};
