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

test('module-closed-args: a pattern without `...` called with the arguments every module gets fails as the message says', async () => {
  requireNix();
  // What the module system passes every module (plus _class, _prefix and specialArgs' names).
  const moduleArgs = '{ config = { }; options = { }; lib = { }; specialArgs = { }; modulesPath = ./.; pkgs = { }; }';
  const closed = spawnSync('nix-instantiate', ['--eval', '-E', `({ config, lib, pkgs }: 1) ${moduleArgs}`], { env: ENV, encoding: 'utf8' });
  assert.notEqual(closed.status, 0);
  assert.match(closed.stderr, /called with unexpected argument/);
  assert.equal(nixEval(`({ config, lib, pkgs, ... }: 1) ${moduleArgs}`).ok, true, 'with ... it works');
  const { diagnose } = await import('../../server/src/features/diagnostics');
  const { parseDoc } = await import('../helpers');
  const doc = await parseDoc('{ ... }: { imports = [ ({ config, lib, pkgs }: { }) ]; }');
  const [finding] = diagnose(doc).filter(f => f.code === 'module-closed-args');
  assert.match(finding.message, /called with unexpected argument/);
});
