import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/parse/lineIndex';
import { random } from '../generated';

test('positions count UTF-16 code units: é, CJK and emoji before the cursor', () => {
  const text = 'é中😀x\nab';
  const lines = new LineIndex(text);
  // é = 1 unit, 中 = 1 unit, 😀 = 2 units (a surrogate pair)
  assert.deepEqual(lines.positionAt(text.indexOf('x')), { line: 0, character: 4 });
  assert.equal(lines.offsetAt({ line: 0, character: 4 }), text.indexOf('x'));
  assert.deepEqual(lines.positionAt(text.indexOf('b')), { line: 1, character: 1 });
});

test('lines end at \\n, \\r\\n and a lone \\r', () => {
  const text = 'a\r\nb\rc\nd';
  const lines = new LineIndex(text);
  assert.equal(lines.lineCount, 4);
  assert.deepEqual(['a', 'b', 'c', 'd'].map(ch => lines.positionAt(text.indexOf(ch))), [
    { line: 0, character: 0 }, { line: 1, character: 0 }, { line: 2, character: 0 }, { line: 3, character: 0 },
  ]);
});

test('a character past the end of a line clamps to the line end, before its line break', () => {
  const lines = new LineIndex('ab\r\ncd');
  assert.equal(lines.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(lines.offsetAt({ line: 9, character: 0 }), 6);
  assert.equal(lines.offsetAt({ line: -1, character: 0 }), 0);
});

test('an edited index equals a fresh one, with \\r\\n, lone \\r and line breaks made or split by the edit', () => {
  const rnd = random(11);
  const pieces = ['a', '\n', '\r', '\r\n', 'bc', ' ', ''];
  let text = 'x\r\ny\rz\n';
  let index = new LineIndex(text);
  for (let step = 0; step < 2000; step++) {
    const start = Math.floor(rnd() * (text.length + 1));
    const oldEnd = Math.min(text.length, start + Math.floor(rnd() * 3));
    const insert = Array.from({ length: Math.floor(rnd() * 3) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
    const next = text.slice(0, start) + insert + text.slice(oldEnd);
    index = index.edited(next, start, oldEnd, start + insert.length);
    text = next;
    const fresh = new LineIndex(text);
    assert.equal(index.lineCount, fresh.lineCount, `step ${step}: ${JSON.stringify(text)}`);
    for (let o = 0; o <= text.length; o++) assert.deepEqual(index.positionAt(o), fresh.positionAt(o), `step ${step}, offset ${o}: ${JSON.stringify(text)}`);
  }
});

test('an offset between the \\r and \\n of a line break is the end of its line, a place LSP allows', () => {
  const text = 'a\r\n\r\nb';
  const lines = new LineIndex(text);
  assert.deepEqual(lines.positionAt(2), { line: 0, character: 1 });
  assert.deepEqual(lines.positionAt(1), { line: 0, character: 1 });
  assert.deepEqual(lines.positionAt(4), { line: 1, character: 0 });
  assert.deepEqual(lines.positionAt(5), { line: 2, character: 0 });
  assert.equal(lines.offsetAt(lines.positionAt(2)), 1);
});
