import assert from 'node:assert/strict';
import * as fs from 'fs';
import { test } from 'node:test';
import { SUDO, colmenaArgv, deployRsArgv, homeRollbackArgv, rebuildArgv, rollbackArgv } from '../../server/src/nix/rebuildCommand';
import { parseNixErrors } from '../../server/src/nix/nixErrors';
import { run } from '../../server/src/util/run';
import { standIns } from '../standIns';

const FLAKE = { dir: '/work/hosts', name: 'gpu-box' };

test('rebuild command lines: local, remote, nh, darwin, home-manager, non-flake', () => {
  assert.deepEqual(rebuildArgv({ kind: 'nixos', flake: FLAKE, action: 'switch' }), [...SUDO, 'nixos-rebuild', 'switch', '--flake', '/work/hosts#gpu-box']);
  assert.deepEqual(rebuildArgv({ kind: 'nixos', flake: FLAKE, action: 'build' }), ['nixos-rebuild', 'build', '--flake', '/work/hosts#gpu-box']);
  assert.deepEqual(rebuildArgv({ kind: 'nixos', flake: FLAKE, action: 'switch', targetHost: 'root@gpu', buildHost: 'builder' }),
    ['nixos-rebuild', 'switch', '--flake', '/work/hosts#gpu-box', '--target-host', 'root@gpu', '--build-host', 'builder', '--use-remote-sudo']);
  assert.deepEqual(rebuildArgv({ kind: 'nixos', flake: FLAKE, action: 'boot', nh: true, targetHost: 'gpu' }), ['nh', 'os', 'boot', '/work/hosts', '--hostname', 'gpu-box', '--target-host', 'gpu']);
  assert.deepEqual(rebuildArgv({ kind: 'home', flake: { dir: '/h', name: 'me@laptop' }, action: 'switch', nh: true }), ['nh', 'home', 'switch', '/h', '--configuration', 'me@laptop']);
  assert.deepEqual(rebuildArgv({ kind: 'darwin', flake: { dir: '/m', name: 'mac' }, action: 'switch' }), [...SUDO, 'darwin-rebuild', 'switch', '--flake', '/m#mac']);
  assert.deepEqual(rebuildArgv({ kind: 'home', flake: { dir: '/h', name: 'me@laptop' }, action: 'build' }), ['home-manager', 'build', '--flake', '/h#me@laptop']);
  assert.deepEqual(rebuildArgv({ kind: 'nixos', configurationNix: '/etc/nixos/configuration.nix', action: 'test' }), [...SUDO, 'nixos-rebuild', 'test', '-I', 'nixos-config=/etc/nixos/configuration.nix']);
  assert.throws(() => rebuildArgv({ kind: 'home', flake: FLAKE, action: 'boot' }), /home-manager has no action "boot"/);
  assert.deepEqual(rollbackArgv('nixos'), [...SUDO, 'nixos-rebuild', 'switch', '--rollback']);
  assert.deepEqual(rollbackArgv('nixos', 'root@gpu'), ['nixos-rebuild', 'switch', '--rollback', '--target-host', 'root@gpu', '--use-remote-sudo']);
  assert.deepEqual(rollbackArgv('darwin'), [...SUDO, 'darwin-rebuild', 'switch', '--rollback']);
  assert.deepEqual(colmenaArgv('gpu-box'), ['colmena', 'apply', '--on', 'gpu-box']);
  assert.deepEqual(deployRsArgv('/work/hosts', 'gpu-box'), ['deploy', '/work/hosts#gpu-box']);
});

test('stand-ins on PATH receive exactly these argv; a host with shell metacharacters stays one literal argument', async () => {
  const s = standIns();
  const env = { ...process.env, PATH: `${s.bin}:${process.env.PATH}`, NIX_AI_RECORD: s.record };
  const host = 'root@gpu; touch /tmp/nix-ai-pwned $(id) `id`';
  const argv = rebuildArgv({ kind: 'nixos', flake: FLAKE, action: 'switch', targetHost: host });
  const r = await run(argv, { cwd: '/', env });
  assert.equal(r.kind, 'ok');
  assert.match(r.kind === 'ok' ? r.stdout : '', /activating the configuration/);
  assert.deepEqual(s.calls(), [argv]);
  assert.equal(s.calls()[0][s.calls()[0].indexOf('--target-host') + 1], host);
  const local = rebuildArgv({ kind: 'nixos', flake: FLAKE, action: 'switch' });
  await run(local, { cwd: '/', env });
  assert.deepEqual(s.calls().slice(1), [local, local.slice(SUDO.length)], 'sudo, then nixos-rebuild under it');
  assert.equal(fs.existsSync('/tmp/nix-ai-pwned'), false, 'nothing ran the host name through a shell');
  for (const argv of [colmenaArgv('gpu;box'), deployRsArgv('/work/hosts', 'gpu box'), rebuildArgv({ kind: 'nixos', flake: FLAKE, action: 'test', nh: true })]) {
    assert.equal((await run(argv, { cwd: '/', env })).kind, 'ok');
    assert.deepEqual(s.calls().pop(), argv);
  }
});

test('home-manager rollback activates the previous generation listed by home-manager generations', async () => {
  const s = standIns();
  const env = { ...process.env, PATH: `${s.bin}:${process.env.PATH}`, NIX_AI_RECORD: s.record };
  const r = await run(rollbackArgv('home'), { cwd: '/', env });
  assert.equal(r.kind, 'ok');
  assert.deepEqual(homeRollbackArgv(r.kind === 'ok' ? r.stdout : ''), ['/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-home-manager-generation/activate']);
  assert.equal(homeRollbackArgv('only one line -> /nix/store/x'), undefined);
});

test('a failing stand-in build: its error and store path become a problem on the workspace file', async () => {
  const s = standIns();
  const env = { ...process.env, PATH: `${s.bin}:${process.env.PATH}`, NIX_AI_RECORD: s.record, NIX_AI_FAIL_IN: 'configuration.nix', NIX_AI_FAIL_LINE: '7' };
  const r = await run(rebuildArgv({ kind: 'nixos', flake: FLAKE, action: 'build' }), { cwd: '/', env });
  assert.equal(r.kind, 'failed');
  const problems = parseNixErrors(r.kind === 'failed' ? r.stderr : '', '/work/hosts', f => f === '/work/hosts/configuration.nix');
  assert.deepEqual(problems, [{ message: "undefined variable 'nvidiaPackage'", file: '/work/hosts/configuration.nix', line: 7, column: 5, trace: [] }]);
});
