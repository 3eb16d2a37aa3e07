import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseLock } from '../../server/src/analysis/flakeLock';
import { lockedInput, sourceStorePath } from '../../server/src/analysis/lockedInputs';
import { FIXTURES, offlineFlakeConfig, tmpDir } from '../fixtureWorkspace';
import { onDisk } from '../onDisk';

/**
 * Modules of flake inputs read from their locked source (issue 24): real `nix flake lock` on
 * `path:` inputs copies them into the store, where the narHash in flake.lock says they are.
 */

const NIX_CONFIG = offlineFlakeConfig();

/** An input flake exporting two NixOS modules: one that chooses the kernel modules and allows unfree, one that sets nothing. */
function gpuFlake(): string {
  const dir = path.join(tmpDir('input'), 'gpu-modules');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'flake.nix'), '{ outputs = _: { nixosModules.tuned = ./tuned.nix; nixosModules.plain = import ./plain.nix; }; }\n');
  fs.writeFileSync(path.join(dir, 'tuned.nix'), '{ ... }: { hardware.nvidia.open = true; nixpkgs.config.allowUnfree = true; }\n');
  fs.writeFileSync(path.join(dir, 'plain.nix'), '{ ... }: { networking.firewall.enable = true; }\n');
  return dir;
}

/** A workspace flake whose host imports `gpu.nixosModules.<name>`, locked for real (its nixpkgs, a path, names no release: checked as 25.11). */
async function lockedWorkspace(module: string) {
  const nixpkgs = path.join(tmpDir('nixpkgs'), 'nixpkgs');
  fs.cpSync(path.join(FIXTURES, 'nixpkgs-mini'), nixpkgs, { recursive: true });
  const gpu = gpuFlake();
  const files = {
    'flake.nix': `{
  inputs.nixpkgs.url = "path:${nixpkgs}";
  inputs.gpu.url = "path:${gpu}";
  outputs = { nixpkgs, gpu, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix gpu.nixosModules.${module} ]; };
  };
}
`,
    'host.nix': '{ ... }: { services.xserver.videoDrivers = [ "nvidia" ]; hardware.graphics.enable = true; }\n',
  };
  const ws = tmpDir('locked');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(ws, name), text);
  const r = spawnSync('nix', ['flake', 'lock'], { cwd: ws, env: { ...process.env, NIX_CONFIG }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lock = fs.readFileSync(path.join(ws, 'flake.lock'), 'utf8');
  return { files: { ...files, 'flake.lock': lock }, lock };
}

test('the store path computed from flake.lock is where nix flake lock put the input', async () => {
  const { lock } = await lockedWorkspace('tuned');
  const input = lockedInput(parseLock(lock)!, 'gpu')!;
  assert.ok(input.storePath, 'a path from the narHash');
  assert.equal(input.storePath, sourceStorePath(input.node.locked!.narHash!));
  assert.ok(fs.existsSync(path.join(input.storePath!, 'tuned.nix')), `${input.storePath} holds the input's files`);
});

test('an input module read from the store answers for what it sets (and for what it does not)', async () => {
  const tuned = await onDisk((await lockedWorkspace('tuned')).files, '25.11');
  assert.deepEqual(tuned.findings('host.nix').filter(f => f.severity === 'error' || f.severity === 'warning'), [], 'open and allowUnfree come from the input\'s module');

  const plain = await onDisk((await lockedWorkspace('plain')).files, '25.11');
  const errors = plain.findings('host.nix').filter(f => f.severity === 'error').map(f => f.code).sort();
  assert.deepEqual(errors, ['cuda-unfree', 'nvidia-open-unset'], 'read in full from the store: it sets neither, so these are certain');
});

test('an input whose locked source is not in the store leaves a warning that names it', async () => {
  const { files } = await lockedWorkspace('plain');
  // the same lock, with a hash no store holds: the source is "not on this machine"
  const lock = JSON.parse(files['flake.lock']) as { nodes: Record<string, { locked?: { narHash?: string } }> };
  lock.nodes.gpu.locked!.narHash = 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
  const w = await onDisk({ ...files, 'flake.lock': JSON.stringify(lock) }, '25.11');
  const found = w.findings('host.nix').filter(f => f.code === 'nvidia-open-unset' || f.code === 'cuda-unfree');
  assert.deepEqual(found.map(f => f.severity), ['warning', 'warning']);
  for (const f of found) assert.match(f.message, /unless a module from input gpu sets it/);
});
