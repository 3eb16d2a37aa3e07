import assert from 'node:assert/strict';
import { diagnose, type DiagnosticOptions } from '../server/src/features/diagnostics';
import type { NixDocument } from '../server/src/parse/documents';
import type { Finding, FindingFix } from '../server/src/rules/types';
import { parseDoc } from './helpers';

/**
 * Rule fixtures: «…» marks each range where the rule must report, in order. A fixture without
 * marks must get no finding of that code.
 */
export function unmark(marked: string): { text: string; ranges: Array<[number, number]> } {
  const ranges: Array<[number, number]> = [];
  let text = '';
  let open = -1;
  for (const ch of marked) {
    if (ch === '«') open = text.length;
    else if (ch === '»') ranges.push([open, text.length]);
    else text += ch;
  }
  return { text, ranges };
}

export async function check(code: string, marked: string, options: DiagnosticOptions & { uri?: string } = {}): Promise<{ doc: NixDocument; found: Finding[] }> {
  const { text, ranges } = unmark(marked);
  const doc = await parseDoc(text, options.uri ?? 'file:///work/module.nix');
  const found = diagnose(doc, options).filter(f => f.code === code);
  const got = found.map(f => [doc.lines.offsetAt(f.range.start), doc.lines.offsetAt(f.range.end)]);
  const show = (rs: number[][]) => rs.map(([s, e]) => JSON.stringify(text.slice(s, e))).join(', ') || 'nothing';
  assert.deepEqual(got, ranges, `${code}: expected ${show(ranges)}, got ${show(got)} (${found.map(f => f.message).join(' | ')})`);
  return { doc, found };
}

/** The text after applying one fix's edits (non-overlapping, applied from the end). */
export function applyFix(doc: NixDocument, fix: FindingFix): string {
  const edits = fix.edits
    .map(e => ({ start: doc.lines.offsetAt(e.range.start), end: doc.lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let text = doc.text;
  for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return text;
}

/**
 * Apply the fix titled like `title` to the only finding of `code`, and check the result: it is
 * `expected`, it parses, and the finding is gone.
 */
export async function checkFix(code: string, marked: string, title: RegExp, expected: string, options: DiagnosticOptions & { uri?: string } = {}): Promise<void> {
  const { doc, found } = await check(code, marked, options);
  assert.equal(found.length, 1, 'one finding to fix');
  const fix = found[0].fixes?.find(f => title.test(f.title));
  assert.ok(fix, `a fix titled ${title}, got ${JSON.stringify(found[0].fixes?.map(f => f.title))}`);
  const after = applyFix(doc, fix);
  assert.equal(after, expected);
  const fixed = await parseDoc(after, doc.uri);
  const rest = diagnose(fixed, options);
  assert.deepEqual(rest.filter(f => f.code === 'syntax-error').map(f => f.message), [], 'the fixed text parses');
  assert.deepEqual(rest.filter(f => f.code === code).map(f => f.message), [], `the fixed text has no ${code}`);
}
