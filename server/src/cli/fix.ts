import * as fs from 'fs';
import { breaksParse, type NixParser } from '../parse/language';
import { LineIndex } from '../parse/lineIndex';
import type { Finding } from '../rules/types';
import { writeFileAtomic } from '../util/files';

export interface Applied {
  code: string;
  title: string;
  line: number;
}

/**
 * Apply the safe fix of each finding to a text, skipping one whose edits overlap an edit already
 * taken (it is left for the next run). Returns the new text and what was applied.
 */
export function applySafeFixes(text: string, lines: LineIndex, findings: Finding[]): { text: string; applied: Applied[] } {
  const taken: Array<{ start: number; end: number; newText: string }> = [];
  const applied: Applied[] = [];
  for (const f of findings) {
    const fix = f.fixes?.find(x => x.safe);
    if (!fix) continue;
    const edits = fix.edits.map(e => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
    if (edits.some(e => taken.some(t => e.start < t.end && t.start < e.end || (e.start === t.start && e.end === t.end)))) continue;
    taken.push(...edits);
    applied.push({ code: f.code, title: fix.title, line: f.range.start.line + 1 });
  }
  let out = text;
  for (const e of taken.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return { text: out, applied };
}

/**
 * Apply the safe fixes of `findings` to `file`, written atomically. A result that does not parse
 * where the file did is refused and the file left as it was: a fix must never break a file.
 */
export function fixFile(parser: NixParser, file: string, findings: Finding[]): { applied: Applied[]; refused?: string } {
  const text = fs.readFileSync(file, 'utf8');
  const { text: fixed, applied } = applySafeFixes(text, new LineIndex(text), findings);
  if (!applied.length) return { applied };
  if (breaksParse(parser, text, fixed)) return { applied: [], refused: 'the fixed text would not parse, so the file is left unchanged' };
  writeFileAtomic(file, fixed);
  return { applied };
}
