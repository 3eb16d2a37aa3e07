import { builtinFindings } from './builtinFindings';
import type { Rule } from './types';

const NAMES = new Set(['storePath']);

export const impureStorePath: Rule = {
  code: 'impure-store-path',
  severity: 'warning',
  description: 'builtins.storePath depends on what happens to be in the local Nix store; pure evaluation refuses it.',
  check(doc, ctx) {
    return builtinFindings(doc, ctx, NAMES, () => (ctx.pure
      ? 'builtins.storePath is not allowed when Nix evaluates purely, so the flake fails here; take the path from a flake input instead'
      : 'builtins.storePath depends on what the local Nix store holds, so another machine gets another result; a flake would fail here'));
  },
};
