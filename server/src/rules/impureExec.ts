import { attrsOf, staticAttrName } from '../parse/attrNames';
import { nodesIn } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import { builtinFindings } from './builtinFindings';
import type { Rule } from './types';

const NAMES = new Set(['exec']);

export const impureExec: Rule = {
  code: 'impure-exec',
  severity: 'warning',
  description: 'builtins.exec runs a program while evaluating, and `__impure = true` asks for a derivation whose output may differ each build.',
  errorsOnlyInPinLoaders: true,
  check(doc, ctx) {
    const found = builtinFindings(doc, ctx, NAMES, 'error', () =>
      'builtins.exec runs a program of the evaluating machine; Nix refuses it unless allow-unsafe-native-code-during-evaluation is set. Produce the value with a derivation instead');
    for (const binding of nodesIn(doc, 'binding')) {
      const attrs = attrsOf(binding.childForFieldName('attrpath'));
      if (attrs.length !== 1 || staticAttrName(attrs[0]) !== '__impure') continue;
      if (unparenthesize(binding.childForFieldName('expression'))?.text !== 'true') continue;
      found.push({
        start: attrs[0].startIndex,
        end: attrs[0].endIndex,
        severity: 'information',
        message: '`__impure = true` makes an impure derivation: its output can differ on every build, and Nix builds it only with the impure-derivations experimental feature. Prefer a fixed-output derivation with a hash where you can',
      });
    }
    return found.sort((a, b) => a.start - b.start);
  },
};
