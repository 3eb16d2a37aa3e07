import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invalidAnswer } from '../fuzz/validate';
import { parseDoc } from '../helpers';

const at = (line: number, character: number) => ({ line, character });
const range = (a: number, b: number, c: number, d: number) => ({ start: at(a, b), end: at(c, d) });

test("the fuzzer's answer validator accepts valid answers and names what is wrong with invalid ones", async () => {
  const doc = await parseDoc('{\r\n  a = 1;\r\n}\n');
  assert.equal(invalidAnswer('symbols', [{ name: 'a', range: range(1, 2, 1, 8), selectionRange: range(1, 2, 1, 3), children: [] }], doc), undefined);
  assert.match(invalidAnswer('symbols', [{ name: ' ', range: range(1, 2, 1, 8), selectionRange: range(1, 2, 1, 3), children: [] }], doc)!, /name is empty/);
  assert.match(invalidAnswer('symbols', [{ name: 'a', range: range(1, 2, 1, 3), selectionRange: range(1, 2, 1, 8), children: [] }], doc)!, /outside its range/);
  assert.match(invalidAnswer('hover', { range: range(0, 2, 0, 2) }, doc)!, /character 2 outside line 0/);
  assert.match(invalidAnswer('references', [{ start: 3, end: 99 }], doc)!, /offsets 3..99 outside/);
  assert.match(invalidAnswer('diagnostics', [{ range: range(1, 5, 1, 2), message: 'x' }], doc)!, /ends before it starts/);
  assert.match(invalidAnswer('folding', [{ startLine: 1, endLine: 2 }, { startLine: 0, endLine: 1 }], doc)!, /out of order/);
  assert.match(invalidAnswer('folding', [{ startLine: 0, endLine: 9 }], doc)!, /not inside/);
  const inner = { range: range(1, 2, 1, 8) };
  assert.equal(invalidAnswer('selection', [{ range: range(1, 4, 1, 5), parent: inner }], doc), undefined);
  assert.match(invalidAnswer('selection', [{ range: range(0, 0, 2, 1), parent: inner }], doc)!, /outside its parent/);
});
