import { builtinFindings, DEFAULT_ARGUMENT } from './builtinFindings';
import type { Rule } from './types';

const NAMES = new Set(['storePath']);

export const impureStorePath: Rule = {
  code: 'impure-store-path',
  severity: 'warning',
  description: 'builtins.storePath depends on what happens to be in the local Nix store; pure evaluation refuses it.',
  errorsOnlyInPinLoaders: true,
  check(doc, ctx) {
    return builtinFindings(doc, ctx, NAMES, 'error', (_, where) => (where === 'pure'
      ? 'builtins.storePath is not allowed when Nix evaluates purely, so the flake fails here; take the path from a flake input instead'
      : where === 'default'
        ? `builtins.storePath is ${DEFAULT_ARGUMENT}; a flake that relies on the default fails, as storePath is not allowed in pure evaluation`
        : 'builtins.storePath depends on what the local Nix store holds, so another machine gets another result; a flake would fail here'));
  },
};
