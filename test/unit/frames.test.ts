import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameFilter } from '../../server/src/protocol/frames';

const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** Feed `input` in chunks of `size` bytes; the bodies that come out, and what was reported. */
function run(input: string, size: number): { bodies: string[]; reports: string[] } {
  const reports: string[] = [];
  const filter = new FrameFilter(m => reports.push(m));
  const out: Buffer[] = [];
  filter.on('data', (b: Buffer) => out.push(b));
  const bytes = Buffer.from(input, 'utf8');
  for (let i = 0; i < bytes.length; i += size) filter.write(bytes.subarray(i, i + size));
  filter.end();
  const all = Buffer.concat(out);
  const bodies: string[] = [];
  let at = 0;
  while (at < all.length) {
    const end = all.indexOf('\r\n\r\n', at);
    const m = /^Content-Length: (\d+)$/.exec(all.subarray(at, end).toString('latin1'));
    assert.ok(m, `the filter passes on only canonical headers: ${JSON.stringify(all.subarray(at, end).toString('latin1'))}`);
    bodies.push(all.subarray(end + 4, end + 4 + Number(m[1])).toString('utf8'));
    at = end + 4 + Number(m[1]);
  }
  return { bodies, reports };
}

const A = '{"jsonrpc":"2.0","id":1,"method":"a","params":{"text":"é😀"}}';
const B = '{"jsonrpc":"2.0","method":"b"}';

test('well-formed frames pass unchanged whatever the chunking, other headers included', () => {
  const input = frame(A) + `Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n${frame(B)}` + frame(A);
  for (const size of [1, 2, 3, 7, 64, 100_000]) {
    const { bodies, reports } = run(input, size);
    assert.deepEqual(bodies, [A, B, A], `chunks of ${size}`);
    assert.deepEqual(reports, []);
  }
});

test('each malformed header is reported once and skipped, with what follows it, up to the next Content-Length', () => {
  const cases: Array<[string, string]> = [
    ['no length', `Content-Type: x\r\n\r\n${B}`],
    ['negative', `Content-Length: -5\r\n\r\n`],
    ['not a number', `Content-Length: ten\r\n\r\n`],
    ['zero', `Content-Length: 0\r\n\r\n`],
    ['too long a length', `Content-Length: 99999999999\r\n\r\n`],
    ['stray bytes', `garbage}}\r\n`],
    ['stray bytes on the header line', `xyz`],
    ['no separator', `hello world\r\n\r\n`],
  ];
  for (const [what, junk] of cases) {
    for (const size of [1, 5, 100_000]) {
      const { bodies, reports } = run(frame(A) + junk + frame(B) + frame(A), size);
      assert.deepEqual(bodies, [A, B, A], `${what}, chunks of ${size}`);
      assert.equal(reports.length, 1, `${what}: ${JSON.stringify(reports)}`);
      assert.match(reports[0], /malformed input/);
    }
  }
});

test('a header that never ends is given up after 8 KB, and reports stop after twenty', () => {
  const long = run(`X-Junk: ${'a'.repeat(20_000)}` + frame(B), 1000);
  assert.deepEqual(long.bodies, [B]);
  assert.ok(long.reports.length >= 1 && long.reports.length <= 3, JSON.stringify(long.reports.length));
  const many = run(`x\r\n\r\n${frame(B)}`.repeat(50) + frame(A), 13);
  assert.deepEqual(many.bodies, [...Array(50).fill(B), A]);
  assert.equal(many.reports.length, 21);
  assert.match(many.reports[20], /no longer reported/);
});
