import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { attrNames, FLAKE_FLAGS, type NixEnv } from '../../server/src/nix/flakeOutputs';
import { cacheKey, captureDevEnv, shellInputs } from '../../server/src/nix/devEnv';
import { describeChanges, lockChanges } from '../../server/src/nix/lockDiff';
import { parseNixErrors } from '../../server/src/nix/nixErrors';
import { run } from '../../server/src/util/run';
import { offlineFlakeConfig, tmpDir } from '../fixtureWorkspace';
import { requireNix } from './nixTool';

/** Real Nix for the commands: listing outputs, dev shell environments, flake check errors, lock changes. */
const ENV = { ...process.env, NIX_CONFIG: offlineFlakeConfig() };
const NIX: NixEnv = { nix: 'nix', env: ENV };

const SHELL = (name: string, value: string, system = '"x86_64-linux"') => `derivation {
        name = "${name}";
        system = ${system};
        builder = "/bin/bash";
        args = [ "-c" "echo > $out" ];
        outputs = [ "out" ];
        GREETING = "${value}";
      }`;

export const COMMANDS_FLAKE = `{
  outputs = { self }:
    let system = "x86_64-linux"; in {
      nixosConfigurations = { gpu-box = { }; laptop = { }; };
      homeConfigurations."me@laptop" = { };
      devShells.\${system} = {
        default = ${SHELL('cuda-shell', 'from-devshell')};
        rocm = ${SHELL('rocm-shell', 'from-rocm')};
      };
      checks.\${system}.ok = derivation { name = "ok"; inherit system; builder = "/bin/sh"; args = [ "-c" "echo ok > $out" ]; };
    };
}
`;

function flakeDir(text = COMMANDS_FLAKE): string {
  const dir = tmpDir('cmd-flake');
  fs.writeFileSync(path.join(dir, 'flake.nix'), text);
  return dir;
}

test('listing: nixosConfigurations, homeConfigurations and devShells by name only; a missing output is empty', async () => {
  requireNix();
  const dir = flakeDir();
  assert.deepEqual(await attrNames(dir, 'nixosConfigurations', NIX), { ok: true, names: ['gpu-box', 'laptop'] });
  assert.deepEqual(await attrNames(dir, 'homeConfigurations', NIX), { ok: true, names: ['me@laptop'] });
  assert.deepEqual(await attrNames(dir, 'darwinConfigurations', NIX), { ok: true, names: [] });
  assert.deepEqual(await attrNames(dir, 'devShells.x86_64-linux', NIX), { ok: true, names: ['default', 'rocm'] });
  const broken = flakeDir('{ outputs = { self }: { nixosConfigurations = undefinedThing; }; }\n');
  const r = await attrNames(broken, 'nixosConfigurations', NIX);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /undefined variable 'undefinedThing'/);
  assert.deepEqual(await attrNames(dir, 'nixosConfigurations', { ...NIX, nix: '/nonexistent/nix' }), { ok: false, reason: '/nonexistent/nix is not installed', missing: true });
});

test('a dev shell environment from a flake and from shell.nix; the cache key follows the files', async () => {
  requireNix();
  const dir = flakeDir();
  const flake = await captureDevEnv(dir, { flakeAttr: 'devShells.x86_64-linux.rocm' }, NIX);
  assert.ok(flake.ok, JSON.stringify(flake));
  assert.equal(flake.env.variables.GREETING, 'from-rocm');
  assert.equal(flake.env.variables.HOME, undefined, 'the sandbox HOME is not taken over');
  fs.writeFileSync(path.join(dir, 'shell.nix'), `${SHELL('plain-shell', 'from-shell-nix', 'builtins.currentSystem')}\n`);
  const plain = await captureDevEnv(dir, { file: path.join(dir, 'shell.nix') }, NIX);
  assert.ok(plain.ok, JSON.stringify(plain));
  assert.equal(plain.env.variables.GREETING, 'from-shell-nix');
  const key = cacheKey('flake#default', shellInputs(dir));
  assert.equal(cacheKey('flake#default', shellInputs(dir)), key);
  fs.appendFileSync(path.join(dir, 'flake.nix'), '\n# edited\n');
  assert.notEqual(cacheKey('flake#default', shellInputs(dir)), key);
  assert.notEqual(cacheKey('flake#rocm', shellInputs(dir)), cacheKey('flake#default', shellInputs(dir)));
});

test('flake check: a good flake passes; a broken one gives a problem on the workspace file and line', async () => {
  requireNix();
  const good = flakeDir(COMMANDS_FLAKE.replace(/nixosConfigurations = .*\n/, '').replace(/homeConfigurations.*\n/, ''));
  const ok = await run(['nix', ...FLAKE_FLAGS, 'flake', 'check', '--no-write-lock-file', good], { cwd: good, env: ENV });
  assert.equal(ok.kind, 'ok', JSON.stringify(ok));
  const bad = flakeDir('{\n  outputs = { self }: {\n    checks.x86_64-linux.bad = missingName;\n  };\n}\n');
  const r = await run(['nix', ...FLAKE_FLAGS, 'flake', 'check', '--no-write-lock-file', bad], { cwd: bad, env: ENV });
  assert.equal(r.kind, 'failed');
  const problems = parseNixErrors(r.kind === 'failed' ? r.stderr : '', bad);
  assert.equal(problems.length, 1, r.kind === 'failed' ? r.stderr : '');
  assert.deepEqual({ ...problems[0], trace: [] }, { message: "undefined variable 'missingName'", file: path.join(bad, 'flake.nix'), line: 3, column: 31, trace: [] });
});

test('flake update: the change summary per input, from the two flake.lock files nix wrote', async () => {
  requireNix();
  const input = tmpDir('input');
  fs.writeFileSync(path.join(input, 'flake.nix'), '{ outputs = { self }: { v = 1; }; }\n');
  const dir = flakeDir(`{\n  inputs.dep.url = "path:${input}";\n  outputs = { self, dep }: { v = dep.v; };\n}\n`);
  const lock = () => spawnSync('nix', [...FLAKE_FLAGS, 'flake', 'lock', dir], { env: ENV, encoding: 'utf8' });
  assert.equal(lock().status, 0);
  const before = fs.readFileSync(path.join(dir, 'flake.lock'), 'utf8');
  fs.writeFileSync(path.join(input, 'flake.nix'), '{ outputs = { self }: { v = 2; }; }\n');
  const update = spawnSync('nix', [...FLAKE_FLAGS, 'flake', 'update', dir], { env: ENV, encoding: 'utf8' });
  assert.equal(update.status, 0, update.stderr);
  const after = fs.readFileSync(path.join(dir, 'flake.lock'), 'utf8');
  const changes = lockChanges(before, after);
  assert.equal(changes.length, 1);
  assert.equal(changes[0].input, 'dep');
  assert.equal(changes[0].kind, 'updated');
  assert.match(describeChanges(changes)[0], /^dep: sha256-\S+ \(\d{4}-\d\d-\d\d\) → sha256-\S+ \(\d{4}-\d\d-\d\d\)$/);
  assert.deepEqual(describeChanges(lockChanges(after, after)), ['all inputs are already up to date']);
});
