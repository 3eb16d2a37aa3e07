import { builtinFindings, DEFAULT_ARGUMENT } from './builtinFindings';
import type { Rule } from './types';

const NAMES = new Set(['currentTime']);

export const impureCurrentTime: Rule = {
  code: 'impure-current-time',
  severity: 'warning',
  description: 'builtins.currentTime changes every second, so every evaluation differs; flakes do not have it.',
  errorsOnlyInPinLoaders: true,
  check(doc, ctx) {
    return builtinFindings(doc, ctx, NAMES, 'error', (_, where) => (where === 'pure'
      ? "builtins.currentTime does not exist when Nix evaluates purely: the flake fails with \"attribute 'currentTime' missing\"; use self.lastModified or a fixed value"
      : where === 'default'
        ? `builtins.currentTime is ${DEFAULT_ARGUMENT}; a flake that relies on the default fails with "attribute 'currentTime' missing"`
        : 'builtins.currentTime changes every second, so each evaluation gives a different result; use a fixed value (a flake would fail here)'));
  },
};
