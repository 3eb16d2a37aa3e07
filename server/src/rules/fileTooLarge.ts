import type { NixDocument } from '../parse/documents';
import type { Rule, RuleFinding } from './types';

/**
 * Not a walk over the file: diagnose's size gate reports it (it knows the limit from the
 * settings) and then runs the syntax check alone, so a huge file keeps the editor responsive.
 */
export const fileTooLarge: Rule = {
  code: 'file-too-large',
  severity: 'information',
  description: 'The file is larger than the nixAi.maxFileSizeMB setting: only syntax errors are checked in it, and answers that read the whole file (outline, folding, references, highlights) are off.',
  check: () => [],
};

/** The one finding that says why a file gets syntax errors only. */
export function tooLargeFinding(doc: NixDocument, maxChars: number): RuleFinding {
  const firstLine = doc.text.indexOf('\n');
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return {
    start: 0,
    end: firstLine === -1 ? Math.min(doc.text.length, 200) : Math.min(firstLine, 200),
    message: `this file is ${mb(doc.text.length)} MB, over nixAi.maxFileSizeMB (${mb(maxChars)}): only syntax errors are checked here, and outline, folding, references and highlights are off; raise the setting to check it fully`,
  };
}
