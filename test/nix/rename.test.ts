import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVALUATED, renamed } from '../renameCases';
import { nixExpr, requireNix } from './nixTool';

const evaluate = (expr: string) => nixExpr(['--eval', '--strict', '--json'], expr);

test('a renamed expression evaluates to the same value in real Nix', async () => {
  requireNix();
  for (const [marked, name] of EVALUATED) {
    const before = marked.replace('$0', '');
    const after = await renamed(marked, name);
    assert.notEqual(after, before, `${before}: nothing was renamed`);
    assert.equal(evaluate(after), evaluate(before), `${before}\n  ->  ${after}`);
  }
});
