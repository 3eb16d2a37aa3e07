import { firstError, run } from '../util/run';
import type { Edit } from '../rules/types';

/** How long a formatter may take before the text is left as it is. */
const FORMAT_TIMEOUT_MS = 30_000;

export type FormatResult =
  | { kind: 'edits'; edits: Edit[] }
  /** Formatting is switched off (an empty command). */
  | { kind: 'off' }
  | { kind: 'missing'; command: string }
  /** It ran and failed, printed nothing, or printed text that does not parse: the text stays as it is. */
  | { kind: 'refused'; message: string }
  | { kind: 'cancelled' };

export interface FormatRequest {
  text: string;
  /** The formatter's argv; it reads the text on standard input and prints the result. */
  argv: readonly string[];
  cwd: string;
  signal?: AbortSignal;
  /** Does `after` fail to parse where `before` parsed? Such a result is not applied. */
  breaks: (before: string, after: string) => boolean;
}

/**
 * Format through an external formatter (nixfmt by default), never one of our own. The answer is
 * one edit over the lines that changed, so editors that apply edits as given (Neovim, Helix) keep
 * the cursor and the marks outside it.
 */
export async function format(req: FormatRequest): Promise<FormatResult> {
  if (!req.argv.length) return { kind: 'off' };
  const r = await run(req.argv, { cwd: req.cwd, input: req.text, timeoutMs: FORMAT_TIMEOUT_MS, signal: req.signal });
  const name = req.argv[0];
  switch (r.kind) {
    case 'missing':
      return { kind: 'missing', command: r.command };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'timeout':
      return { kind: 'refused', message: `${name} did not finish in ${r.afterMs / 1000} s, so the file was not formatted.` };
    case 'memory':
      return { kind: 'refused', message: `${name} used more than ${r.limitMb} MB, so the file was not formatted.` };
    case 'failed':
      return { kind: 'refused', message: `${name} failed, so the file was not formatted: ${firstError(r.stderr)}` };
  }
  const out = r.stdout;
  if (!out.trim() && req.text.trim()) return { kind: 'refused', message: `${name} printed nothing, so the file was not formatted.` };
  if (out !== req.text && req.breaks(req.text, out)) {
    return { kind: 'refused', message: `${name} printed text that does not parse, so the file was not formatted.` };
  }
  return { kind: 'edits', edits: changedLines(req.text, out) };
}

/** One edit that turns `before` into `after`, over whole lines, leaving the common lines at both ends alone. */
export function changedLines(before: string, after: string): Edit[] {
  if (before === after) return [];
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length - 1 && head < b.length - 1 && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - 1 - head && tail < b.length - 1 - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const lineStart = (lines: string[], n: number) => lines.slice(0, n).reduce((sum, l) => sum + l.length + 1, 0);
  const start = lineStart(a, head);
  const end = before.length - (tail ? lineStart(a.slice(a.length - tail), tail) - 1 : 0);
  const newEnd = after.length - (tail ? lineStart(b.slice(b.length - tail), tail) - 1 : 0);
  return [{ start, end, newText: after.slice(start, newEnd) }];
}
