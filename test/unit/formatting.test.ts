import assert from 'node:assert/strict';
import * as os from 'os';
import { test } from 'node:test';
import { changedLines, format } from '../../server/src/features/formatting';
import { breaksParse } from '../../server/src/parse/language';
import { parser } from '../helpers';
import { applyEdits } from '../renameCases';

test('changedLines: one edit over the lines that differ, and applying it gives the new text', () => {
  assert.deepEqual(changedLines('a\nX\nc\n', 'a\nY\nc\n'), [{ start: 2, end: 4, newText: 'Y\n' }]);
  assert.deepEqual(changedLines('same\n', 'same\n'), []);
  const pieces = ['a', 'b', '', '  x = 1;', '{', '}'];
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let i = 0; i < 2000; i++) {
    const text = () => Array.from({ length: random(6) }, () => pieces[random(pieces.length)]).join('\n') + (random(2) ? '\n' : '');
    const before = text();
    const after = text();
    assert.equal(applyEdits(before, changedLines(before, after)), after, JSON.stringify([before, after]));
  }
});

test('format runs the formatter on standard input and refuses what would lose or break the text', async () => {
  const p = await parser();
  const base = { cwd: os.tmpdir(), breaks: (a: string, b: string) => breaksParse(p, a, b) };
  const text = '{\n  a = 1;\n  b = 2;\n}\n';
  assert.deepEqual(await format({ ...base, text, argv: ['sed', 's/b = 2/b = 3/'] }), { kind: 'edits', edits: [{ start: 11, end: 20, newText: '  b = 3;\n' }] });
  assert.deepEqual(await format({ ...base, text, argv: ['cat'] }), { kind: 'edits', edits: [] });
  assert.deepEqual(await format({ ...base, text, argv: [] }), { kind: 'off' });
  assert.deepEqual(await format({ ...base, text, argv: ['nix-ai-no-such-formatter'] }), { kind: 'missing', command: 'nix-ai-no-such-formatter' });
  const refused = async (argv: string[]) => {
    const r = await format({ ...base, text, argv });
    return r.kind === 'refused' ? r.message : r.kind;
  };
  assert.match(await refused(['true']), /^true printed nothing/);
  assert.match(await refused(['sh', '-c', 'echo "error: unexpected token" >&2; exit 1']), /^sh failed, so the file was not formatted: unexpected token$/);
  assert.match(await refused(['sed', 's/;/{/']), /printed text that does not parse/);
  // a file that was already broken may come back broken: the formatter's answer is applied
  assert.equal((await format({ ...base, text: '{ a = ; }', argv: ['sed', 's/a/b/'] })).kind, 'edits');
  const abort = new AbortController();
  const pending = format({ ...base, text, argv: ['sleep', '30'], signal: abort.signal });
  abort.abort();
  assert.deepEqual(await pending, { kind: 'cancelled' });
});
