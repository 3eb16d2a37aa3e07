import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentDiagnostics } from '../../server/src/features/incrementalDiagnostics';
import { diagnose } from '../../server/src/features/diagnostics';
import { createDocument, type EditableDocument } from '../../server/src/parse/documents';
import { DocumentStore } from '../../server/src/parse/store';
import { random } from '../generated';
import { parser } from '../helpers';

const LIMIT = { maxChars: 10 };
const plain = (doc: EditableDocument, fn: (d: EditableDocument) => unknown) => JSON.stringify(fn(doc));

/** A file over the limit, checked version by version, answers as the whole-file syntax check of the same text. */
async function editAndCompare(start: string, edits: Array<(text: string) => [number, number, string]>) {
  const p = await parser();
  const store = new DocumentStore(p);
  const checks = new DocumentDiagnostics(4, (tree, text) => p.copyFlat(tree, text));
  let doc = store.open('file:///big.nix', 1, start);
  const seen: string[] = [];
  const compare = (step: string) => {
    const got = checks.check(doc, LIMIT);
    const fresh = createDocument(p, doc.uri, doc.version, doc.text);
    try {
      assert.equal(JSON.stringify(got), plain(fresh, d => diagnose(d, LIMIT)), `${step}: differs from a whole-file check of:\n${doc.text}`);
    } finally {
      fresh.tree.delete();
    }
    seen.push(...got.map(f => f.message));
  };
  compare('opened');
  for (const [i, edit] of edits.entries()) {
    const [s, e, insert] = edit(doc.text);
    doc = store.change(doc.uri, doc.version + 1, [{ range: doc.lines.rangeOf(s, e), text: insert }])!;
    compare(`edit ${i + 1}`);
  }
  checks.reset();
  store.close(doc.uri);
  return seen;
}

test('past the size limit, a bare `or` in a list is judged as the whole-file check judges it, version by version', async () => {
  const text = '[ 1 2 3 (f) or 4 5 6 7 ]';
  const seen = await editAndCompare(text, [
    t => [t.indexOf('(f)'), t.indexOf('(f)') + 4, ''], // `3 or`: 3 is simple, `or` is allowed
    t => [t.indexOf('[ ') + 2, t.indexOf(' or'), ''], // `[ or`: nothing before it, reported
    t => [t.indexOf('[ ') + 2, t.indexOf('[ ') + 2, 'g '], // `g or`: allowed again
  ]);
  assert.equal(seen.filter(m => m.includes("'or' is a keyword")).length, 1, 'only the version with nothing before the or reports it');
  assert.ok(seen.some(m => m.includes('nixAi.maxFileSizeMB')));
});

test('past the size limit, random edits to a set with Nix-level syntax problems answer as the whole-file check', async () => {
  const units = Array.from({ length: 40 }, (_, i) =>
    [`  a${i} = ./x//y;`, `  b${i} = 1 == 2 == 3;`, `  c${i} = let \${"n"} = 1; in 2;`, `  d${i} = 99999999999999999999;`, `  e${i} = { inherit (x) "\${y}"; };`, `  f${i} = [ 1 or ];`, `  g${i} = ${i};`][i % 7]);
  const text = `{\n${units.join('\n')}\n}\n`;
  const rnd = random(12);
  const pieces = ['', ' ', 'x', ';', '//', '==', 'or', 'in', '1', '\n'];
  const seen = await editAndCompare(text, Array.from({ length: 60 }, () => (t: string) => {
    const s = Math.floor(rnd() * t.length);
    return [s, Math.min(t.length, s + Math.floor(rnd() * 4)), pieces[Math.floor(rnd() * pieces.length)]];
  }));
  assert.ok(seen.some(m => m.includes('comparisons do not chain')), 'the problems are found at all');
});
