import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../../server/src/features/diagnostics';
import { covered, parseDoc } from '../helpers';

for (const [name, prefix] of [['é', 'é'], ['CJK', '中文'], ['emoji', '😀👍🏽'], ['mixed', 'é中😀']]) {
  test(`diagnostic ranges after ${name} on the same line are in UTF-16 units`, async () => {
    const text = `{ s = "${prefix}"; p = ./a/; }\n`;
    const doc = await parseDoc(text);
    const [f] = diagnose(doc).filter(d => d.code === 'syntax-error');
    assert.ok(f, 'the trailing slash is reported');
    assert.deepEqual(f.range.start, { line: 0, character: text.indexOf('./a/') });
    assert.equal(covered(doc, f), './a/');
  });
}

test('positions on later lines and after CRLF line breaks', async () => {
  const text = '{\r\n  s = "😀😀";\r\n  n = 99999999999999999999;\r\n}\r\n';
  const doc = await parseDoc(text);
  const [f] = diagnose(doc).filter(d => d.code === 'syntax-error');
  assert.deepEqual(f.range, { start: { line: 2, character: 6 }, end: { line: 2, character: 26 } });
});
