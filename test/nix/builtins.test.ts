import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { catalog } from '../../server/src/options/catalog';
import { requireNix } from './nixTool';

const ENV = { ...process.env, NIX_CONFIG: 'build-users-group =' };

function nixEval(expr: string): { ok: boolean; out: string } {
  const r = spawnSync('nix-instantiate', ['--eval', '--json', '--strict', '-E', expr], { env: ENV, encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout };
}

test('the builtin catalog covers every builtin of the real Nix, and marks exactly the global ones', () => {
  requireNix();
  const real: string[] = JSON.parse(nixEval('builtins.attrNames builtins').out);
  const ours = new Map(catalog.builtins.map(b => [b.name, b]));
  assert.deepEqual(real.filter(n => !ours.has(n)), [], 'builtins missing from the catalog');
  // Names we list that this Nix lacks must say which newer Nix or feature has them.
  const extra = catalog.builtins.filter(b => !real.includes(b.name));
  assert.deepEqual(extra.filter(b => !b.since && !b.experimental).map(b => b.name), []);
  for (const name of real) {
    const bare = nixEval(`let f = ${name}; in 1`).ok;
    assert.equal(!!ours.get(name)!.global, bare, `${name}: global ${bare} in Nix`);
  }
});
