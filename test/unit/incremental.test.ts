import assert from 'node:assert/strict';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { diagnose } from '../../server/src/features/diagnostics';
import { documentSymbols } from '../../server/src/features/symbols';
import { applyChanges, createDocument, type NixDocument, type TextChange } from '../../server/src/parse/documents';
import { DocumentStore } from '../../server/src/parse/store';
import { ROOT, parser } from '../helpers';

/** A small deterministic PRNG so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SNIPPETS = ['', ';', '}', '{', ' ', '\n', 'a = 1;', '"', "''", '${', 'é', '😀', 'in', 'let x = 2;', ',', '\r\n', '# c\n', ')', '(f x'];

function randomChange(doc: NixDocument, rnd: () => number): TextChange {
  const a = Math.floor(rnd() * (doc.text.length + 1));
  const b = Math.min(doc.text.length, a + Math.floor(rnd() * 6));
  // never split a surrogate pair: editors don't
  const safe = (o: number) => (o > 0 && /[\uDC00-\uDFFF]/.test(doc.text[o] ?? '') ? o - 1 : o);
  const start = safe(a);
  const end = Math.max(start, safe(b));
  return { range: doc.lines.rangeOf(start, end), text: SNIPPETS[Math.floor(rnd() * SNIPPETS.length)] };
}

function applyText(text: string, doc: NixDocument, c: TextChange): string {
  const s = doc.lines.offsetAt(c.range!.start);
  const e = doc.lines.offsetAt(c.range!.end);
  return text.slice(0, s) + c.text + text.slice(e);
}

const corpus = ['valid/module-nixfmt.nix', 'valid/flake-nixfmt.nix', 'valid/comments-everywhere.nix', 'valid/crlf.nix', 'invalid/missing-semicolon.nix', 'valid/unicode.nix'];

for (const name of corpus) {
  test(`incremental edits give the same text, diagnostics and outline as a fresh parse: ${name}`, async () => {
    const p = await parser();
    const rnd = random(name.length * 7919);
    let doc = createDocument(p, 'file:///x.nix', 1, fs.readFileSync(path.join(ROOT, 'test/nix-corpus', name), 'utf8'));
    for (let step = 0; step < 60; step++) {
      const changes = [randomChange(doc, rnd)];
      const expected = applyText(doc.text, doc, changes[0]);
      const next = applyChanges(p, doc, doc.version + 1, changes);
      doc.tree.delete();
      doc = next;
      assert.equal(doc.text, expected);
      const fresh = createDocument(p, doc.uri, doc.version, doc.text);
      assert.deepEqual(diagnose(doc), diagnose(fresh), `step ${step}: diagnostics differ for:\n${doc.text}`);
      assert.deepEqual(documentSymbols(doc), documentSymbols(fresh), `step ${step}: outline differs`);
      assert.equal(doc.tree.rootNode.toString(), fresh.tree.rootNode.toString(), `step ${step}: trees differ`);
      fresh.tree.delete();
    }
  });
}

test('several changes in one notification apply in order; a change without a range replaces all', async () => {
  const p = await parser();
  const doc = createDocument(p, 'file:///x.nix', 1, '{ a = 1; }');
  const next = applyChanges(p, doc, 2, [
    { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: '42' },
    { range: { start: { line: 0, character: 10 }, end: { line: 0, character: 10 } }, text: 'b = 2; ' },
  ]);
  assert.equal(next.text, '{ a = 42; b = 2; }');
  assert.equal(next.version, 2);
  assert.equal(doc.text, '{ a = 1; }', 'the old document is untouched');
  const replaced = applyChanges(p, next, 3, [{ text: 'x: x' }]);
  assert.equal(replaced.tree.rootNode.toString(), createDocument(p, 'u', 0, 'x: x').tree.rootNode.toString());
});

test('edits nobody reads share one parse, and every version still reads as a fresh parse of its own text', async () => {
  const p = await parser();
  let parses = 0;
  const counting = new Proxy(p, {
    get: (target, key, receiver) => {
      const v = Reflect.get(target, key, receiver);
      if (key !== 'parse') return typeof v === 'function' ? v.bind(target) : v;
      return (...args: Parameters<typeof p.parse>) => { parses++; return p.parse(...args); };
    },
  });
  const store = new DocumentStore(counting);
  const uri = 'file:///t.nix';
  store.open(uri, 1, '{ a = 1; }');
  const at = (character: number) => ({ line: 0, character });
  const v2 = store.change(uri, 2, [{ range: { start: at(8), end: at(8) }, text: ' b = 2;' }])!;
  const v3 = store.change(uri, 3, [{ range: { start: at(15), end: at(15) }, text: ' c = 3;' }])!;
  const v4 = store.change(uri, 4, [{ range: { start: at(2), end: at(3) }, text: 'x' }])!;
  assert.equal(parses, 0, 'nothing parsed before a read');
  const fresh = (text: string) => { const t = p.parse(text); const s = t.rootNode.toString(); t.delete(); return s; };
  assert.equal(v4.text, '{ x = 1; b = 2; c = 3; }');
  assert.equal(v4.tree.rootNode.toString(), fresh(v4.text));
  assert.equal(parses, 1, 'one parse for three edits');
  // a version that handed its edits on parses its own text when read after all
  assert.equal(v2.tree.rootNode.toString(), fresh(v2.text));
  assert.equal(v3.text, '{ a = 1; b = 2; c = 3; }');
  // with a syntax error the next version parses from scratch, and still reads as a fresh parse
  const v5 = store.change(uri, 5, [{ range: { start: at(0), end: at(1) }, text: '' }])!;
  assert.equal(v5.tree.rootNode.toString(), fresh(v5.text));
  store.close(uri);
});
