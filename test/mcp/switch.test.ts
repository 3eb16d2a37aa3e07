import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { before, test } from 'node:test';
import * as path from 'path';
import { FLAKE_FLAGS } from '../../server/src/nix/flakeOutputs';
import { tmpDir } from '../fixtureWorkspace';
import { requireNix } from '../nix/nixTool';
import { standIns } from '../standIns';
import { call, connect, folder, structured, text, toolsFlake } from './mcpClient';

/**
 * switch through recording stand-ins for nixos-rebuild and sudo, a recording wrapper around the
 * real nix (so the build really happens), and a health check that records and exits as told.
 */
let root: string;
let realNix: string;

before(() => {
  requireNix();
  root = folder('mcp-switch', toolsFlake());
  realNix = spawnSync('sh', ['-c', 'command -v nix'], { encoding: 'utf8' }).stdout.trim();
});

function setup(extra: string[], env: Record<string, string> = {}) {
  const tools = standIns();
  fs.writeFileSync(path.join(tools.bin, 'nix'), `#!/bin/sh\n{ printf '%s\\0' nix "$@"; printf '\\n'; } >> "$NIX_AI_RECORD"\nexec ${realNix} "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(tools.bin, 'health'), `#!/bin/sh\n{ printf '%s\\0' health "$@"; printf '\\n'; } >> "$NIX_AI_RECORD"\nexit "$1"\n`, { mode: 0o755 });
  const log = path.join(tmpDir('switch-log'), 'mcp-switch.log');
  const args = ['--nix', path.join(tools.bin, 'nix'), '--log', log, '--system-profile', path.join(tmpDir('profile'), 'system'), ...extra];
  return { tools, log, connect: () => connect(root, args, { PATH: `${tools.bin}:${process.env.PATH}`, NIX_AI_RECORD: tools.record, ...env }) };
}

const listing = () => ['nix', ...FLAKE_FLAGS, 'eval', '--json', '--no-write-lock-file', `${root}#nixosConfigurations`, '--apply', 'builtins.attrNames'];
const building = (name: string) => ['nix', ...FLAKE_FLAGS, 'build', '--no-link', '--json', '--no-write-lock-file', '-L', `${root}#nixosConfigurations.${name}.config.system.build.toplevel`];
/** A command that needs root: as root it runs as it is; otherwise through `sudo -n` (the stand-in records both). */
const asRoot = (argv: string[]) => (process.getuid?.() === 0 ? [argv] : [['sudo', '-n', ...argv], argv]);

test('switch is refused unless the server was started with --allow-switch, and nothing runs', async () => {
  const s = setup([]);
  const mcp = await s.connect();
  try {
    const r = await call(mcp, 'switch', { configuration: 'box' });
    assert.equal(r.isError, true);
    assert.match(text(r), /switch is off: the user has to start nix-ai mcp with --allow-switch/);
    assert.deepEqual(s.tools.calls(), []);
    assert.equal(fs.existsSync(s.log), false);
  } finally {
    await mcp.close();
  }
});

test('switch builds first, switches, runs the health checks; a failing one rolls back (exact argv sequence, and the log)', async () => {
  const s = setup(['--allow-switch', '--health-check', '["health","0"]', '--health-check', 'health 3']);
  const mcp = await s.connect();
  try {
    const r = await call(mcp, 'switch', { configuration: 'box' });
    assert.equal(r.isError, true, 'a rolled-back switch is a failed call');
    assert.match(text(r), /switched to box, but a health check failed: health check health 3 failed with exit status 3; rolled back to the previous generation/);
    assert.deepEqual(s.tools.calls(), [
      listing(),
      building('box'),
      ...asRoot(['nixos-rebuild', 'switch', '--flake', `${root}#box`]),
      ['health', '0'],
      ['health', '3'],
      ...asRoot(['nixos-rebuild', 'switch', '--rollback']),
    ]);
    const result = r.structuredContent as { storePath: string; switched: { ok: boolean }; healthChecks: Array<{ ok: boolean }>; rolledBack: { ok: boolean } };
    assert.match(result.storePath, /-nixos-system-box-2$/);
    assert.deepEqual([result.switched.ok, result.healthChecks.map(h => h.ok), result.rolledBack.ok], [true, [true, false], true]);
    const log = fs.readFileSync(s.log, 'utf8').trim().split('\n').map(l => l.replace(/^\S+ /, ''));
    const sudo = process.getuid?.() === 0 ? '' : 'sudo -n ';
    assert.deepEqual(log.map(l => l.replace(/ \(.*\)$/, '')), [
      `switch box ok: ${sudo}nixos-rebuild switch --flake ${root}#box`,
      'health-check box ok: health 0',
      'health-check box failed: health 3',
      `rollback box ok: ${sudo}nixos-rebuild switch --rollback`,
    ]);
  } finally {
    await mcp.close();
  }
});

test('switch with passing health checks stays; a configuration that fails to build is never switched to', async () => {
  const s = setup(['--allow-switch', '--health-check', 'health 0']);
  const mcp = await s.connect();
  try {
    const ok = structured<{ switched: { ok: boolean }; healthChecks: unknown[]; rolledBack?: unknown }>(await call(mcp, 'switch', { configuration: 'box' }));
    assert.equal(ok.switched.ok, true);
    assert.equal(ok.healthChecks.length, 1);
    assert.equal(ok.rolledBack, undefined);
    const broken = await call(mcp, 'switch', { configuration: 'broken' });
    assert.equal(broken.isError, true);
    assert.match(text(broken), /building broken failed: undefined variable 'missingThing'/);
    assert.deepEqual(s.tools.calls().filter(c => c[0] !== 'nix'), [...asRoot(['nixos-rebuild', 'switch', '--flake', `${root}#box`]), ['health', '0']]);
  } finally {
    await mcp.close();
  }
});

test('rollback only when the generation moved: an unchanged profile is left alone, a moved one is rolled back', async () => {
  const profileDir = tmpDir('profile-known');
  const profile = path.join(profileDir, 'system');
  fs.symlinkSync('generation-1', profile);
  const same = setup(['--allow-switch', '--health-check', 'health 1', '--system-profile', profile]);
  let mcp = await same.connect();
  try {
    const r = await call(mcp, 'switch', { configuration: 'box' });
    assert.match(text(r), /the generation did not change, so nothing was rolled back/);
    assert.equal(same.tools.calls().some(c => c.includes('--rollback')), false);
  } finally {
    await mcp.close();
  }
  const moved = setup(['--allow-switch', '--health-check', 'health 1', '--system-profile', profile], { NIX_AI_PROFILE: profile });
  mcp = await moved.connect();
  try {
    const r = await call(mcp, 'switch', { configuration: 'box' });
    assert.match(text(r), /rolled back to the previous generation/);
    assert.notEqual(fs.readlinkSync(profile), 'generation-1');
  } finally {
    await mcp.close();
  }
});

test('a switch that needs a password says so at once; a target host that is not a host name is refused', async () => {
  const s = setup(['--allow-switch'], { NIX_AI_NEEDS_PASSWORD: '1' });
  const mcp = await s.connect();
  try {
    const r = await call(mcp, 'switch', { configuration: 'box', targetHost: 'root@gpu-box' });
    assert.equal(r.isError, true);
    assert.match(text(r), /switching to box needs sudo, and this server never waits for a password/);
    assert.deepEqual(s.tools.calls().filter(c => c[0] !== 'nix'), [['nixos-rebuild', 'switch', '--flake', `${root}#box`, '--target-host', 'root@gpu-box', '--use-remote-sudo']]);
    assert.match(text(r), /nothing was rolled back: whether the switch made a new generation is not known here/);
    const hostile = await call(mcp, 'switch', { configuration: 'box', targetHost: '-oProxyCommand=touch /tmp/x' });
    assert.match(text(hostile), /is not a host name/);
  } finally {
    await mcp.close();
  }
});

test('one switch at a time: a second call while the first runs is refused', async () => {
  const s = setup(['--allow-switch']);
  const mcp = await s.connect();
  try {
    const [first, second] = await Promise.all([call(mcp, 'switch', { configuration: 'box' }), call(mcp, 'switch', { configuration: 'box' })]);
    assert.equal(first.isError, undefined, text(first));
    assert.equal(second.isError, true);
    assert.match(text(second), /another switch is still running/);
    assert.equal(s.tools.calls().filter(c => c[0] === 'nixos-rebuild').length, 1);
  } finally {
    await mcp.close();
  }
});
