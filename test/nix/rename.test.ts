import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { test } from 'node:test';
import { EVALUATED, renamed } from '../renameCases';
import { requireNix } from './nixTool';

const ENV = { ...process.env, NIX_CONFIG: 'build-users-group =\nsubstituters =' };

function evaluate(expr: string): string {
  const r = spawnSync('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr], { env: ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`nix-instantiate rejected ${expr}: ${r.stderr}`);
  return r.stdout.trim();
}

test('a renamed expression evaluates to the same value in real Nix', async () => {
  requireNix();
  for (const [marked, name] of EVALUATED) {
    const before = marked.replace('$0', '');
    const after = await renamed(marked, name);
    assert.notEqual(after, before, `${before}: nothing was renamed`);
    assert.equal(evaluate(after), evaluate(before), `${before}\n  ->  ${after}`);
  }
});
