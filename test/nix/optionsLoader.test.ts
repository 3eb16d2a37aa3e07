import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createKnowledge } from '../../server/src/options/knowledge';
import { LibIndex } from '../../server/src/options/loadedPackages';
import { loadOptions, type LoaderDeps, type LoadOutcome } from '../../server/src/options/loader';
import { FIXTURES, fixtureWorkspace as workspace, NIX_CONFIG, tmpDir as tmp } from '../fixtureWorkspace';
import { parser } from '../helpers';
import { requireNix } from './nixTool';

// The whole loader path with the real nix (Debian nix-bin), on a fixture "nixpkgs" of our own.
process.env.NIX_CONFIG = NIX_CONFIG;
const NO_SETTINGS = { json: '', host: '', nixpkgs: '' };

async function deps(extra: Partial<LoaderDeps> = {}): Promise<LoaderDeps> {
  return { parser: await parser(), nix: 'nix', cacheDir: tmp('cache'), timeoutMs: 60_000, memoryLimitMb: 2048, hostname: 'test', ...extra };
}

function loaded(o: LoadOutcome): Extract<LoadOutcome, { kind: 'loaded' }> {
  assert.equal(o.kind, 'loaded', JSON.stringify(o));
  return o as Extract<LoadOutcome, { kind: 'loaded' }>;
}

/** Wait (with a deadline) until a killed process has disappeared or is only a zombie. */
async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    let state: string;
    try {
      state = /^State:\s+(\S)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
    } catch {
      return true;
    }
    if (state === 'Z') return true;
    await new Promise(r => setImmediate(r));
  }
  return false;
}

test('a flake nixosConfiguration: evaluated by nix in a child process, parsed, merged and cached', async () => {
  requireNix();
  const { ws } = workspace();
  const d = await deps();
  const first = loaded(await loadOptions(ws, NO_SETTINGS, d));
  assert.equal(first.fromCache, false);
  assert.equal(first.source, `flake ${ws}#nixosConfigurations.gpu`);
  const byName = new Map(first.sets.nixos!.map(o => [o.name, o]));
  assert.deepEqual([...byName.keys()].sort(), ['hardware.nvidia.fixtureOnly', 'hardware.nvidia.open', 'services.ollama.enable', 'services.ollama.port']);
  const open = byName.get('hardware.nvidia.open')!;
  assert.equal(open.type, 'null or boolean');
  assert.equal(open.default, 'null');
  assert.ok(open.declaredIn!.startsWith(`${process.env.NIX_STORE_DIR || '/nix/store'}/`) && open.declaredIn!.endsWith('/nixos/modules/nvidia.nix'), open.declaredIn);
  assert.ok(fs.existsSync(open.declaredIn!), 'the declaration is a readable file');
  assert.equal(byName.get('services.ollama.port')!.default, '11434');
  // the same evaluation lists the package set's names (the one that throws included: nothing is evaluated)
  assert.deepEqual(first.packages, ['broken', 'cudaPackages', 'hello', 'lib', 'nvtopPackages', 'ollama', 'ollama-cuda', 'python3Packages']);
  // and lib, each name where its sub-library defines it, so its doc comment is found
  const hasPrefix = first.lib!.find(e => e.name === 'hasPrefix')!;
  assert.deepEqual([hasPrefix.kind, path.basename(hasPrefix.file!), hasPrefix.line], ['function', 'strings.nix', 20]);
  const lib = new LibIndex(first.lib!, f => fs.readFileSync(f, 'utf8'));
  assert.equal(lib.doc('hasPrefix')?.signature, 'hasPrefix :: string -> string -> bool');
  assert.match(lib.doc('concatStringsSep')!.text, /^Joins strings with a separator/);
  assert.equal(lib.doc('noDocs'), undefined);
  assert.equal(first.lib!.find(e => e.name === 'types')?.kind, 'set');
  // Merged with the catalog: loaded facts win, our release notes stay, our other options stay.
  const kb = createKnowledge(first.sets);
  const merged = kb.options('nixos').get(['hardware', 'nvidia', 'open'])!;
  assert.equal(merged.description, 'Fixture: choose the open kernel modules.');
  assert.match(merged.releaseNote!, /24\.11/);
  assert.ok(kb.options('nixos').get(['hardware', 'nvidia', 'fixtureOnly']));
  assert.ok(kb.options('nixos').get(['hardware', 'graphics', 'enable']));
  // A restart reads the cache: no nix needed at all.
  const again = loaded(await loadOptions(ws, NO_SETTINGS, { ...d, nix: '/nonexistent/nix' }));
  assert.equal(again.fromCache, true);
  assert.deepEqual(again.sets, first.sets);
  assert.deepEqual([again.packages, again.lib], [first.packages, first.lib]);
  assert.ok(!fs.existsSync(path.join(ws, 'flake.lock')), 'the workspace is never written to');
});

test("a flake with only darwinConfigurations: its options load as the darwin set (the fixture's system builder stands in for darwinSystem)", async () => {
  requireNix();
  const { ws } = workspace();
  const text = fs.readFileSync(path.join(ws, 'flake.nix'), 'utf8').replace('nixosConfigurations.gpu', 'darwinConfigurations.mac');
  fs.writeFileSync(path.join(ws, 'flake.nix'), text);
  const got = loaded(await loadOptions(ws, NO_SETTINGS, await deps()));
  assert.equal(got.source, `flake ${ws}#darwinConfigurations.mac`);
  assert.deepEqual(Object.keys(got.sets), ['darwin']);
  assert.ok(got.sets.darwin!.some(o => o.name === 'services.ollama.port'));
  const kb = createKnowledge(got.sets);
  assert.ok(kb.complete.has('darwin') && !kb.complete.has('nixos'));
  assert.ok(kb.options('darwin').get(['nix', 'linux-builder', 'enable']), 'our darwin catalog stays beside what was loaded');
});

test('a flake with NixOS hosts and a Mac loads both sets, each from its own entry', async () => {
  requireNix();
  const { ws } = workspace();
  const text = fs.readFileSync(path.join(ws, 'flake.nix'), 'utf8').replace(
    'nixosConfigurations.gpu = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ]; };',
    'nixosConfigurations.gpu = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ]; };\n    darwinConfigurations.mac = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ]; };',
  );
  fs.writeFileSync(path.join(ws, 'flake.nix'), text);
  const got = loaded(await loadOptions(ws, NO_SETTINGS, await deps()));
  assert.equal(got.source, `flake ${ws}#nixosConfigurations.gpu and flake ${ws}#darwinConfigurations.mac`);
  assert.deepEqual(Object.keys(got.sets).sort(), ['darwin', 'nixos']);
  assert.ok(got.sets.darwin!.some(o => o.name === 'services.ollama.port'));
  // a Mac whose evaluation fails leaves the NixOS set loaded
  fs.writeFileSync(path.join(ws, 'flake.nix'), text.replace('darwinConfigurations.mac = nixpkgs.lib.nixosSystem', 'darwinConfigurations.mac = throw "no mac here"; unused = nixpkgs.lib.nixosSystem'));
  const logged: string[] = [];
  const partial = loaded(await loadOptions(ws, NO_SETTINGS, await deps({ log: m => logged.push(m) })));
  assert.deepEqual(Object.keys(partial.sets), ['nixos']);
  assert.match(logged.join('\n'), /nix-darwin options .* were not loaded: .*no mac here/);
});

test('a changed flake.lock means a new evaluation, with the new options', async () => {
  requireNix();
  const { ws, nixpkgs } = workspace();
  const d = await deps();
  const lock = (args: string[]) => assert.equal(spawnSync('nix', ['flake', 'lock', ...args], { cwd: ws, encoding: 'utf8' }).status, 0);
  lock([]);
  loaded(await loadOptions(ws, NO_SETTINGS, d));
  assert.equal(loaded(await loadOptions(ws, NO_SETTINGS, d)).fromCache, true);
  fs.writeFileSync(path.join(nixpkgs, 'nixos/modules/nvidia.nix'), fs.readFileSync(path.join(nixpkgs, 'nixos/modules/nvidia.nix'), 'utf8')
    .replace('fixtureOnly =', 'addedLater = lib.mkEnableOption "a new option";\n    fixtureOnly ='));
  lock(['--update-input', 'nixpkgs']);
  const after = loaded(await loadOptions(ws, NO_SETTINGS, d));
  assert.equal(after.fromCache, false);
  assert.ok(after.sets.nixos!.some(o => o.name === 'hardware.nvidia.addedLater'));
});

test('without a flake: a nixpkgs path from the settings; and an options.json file', async () => {
  requireNix();
  const folder = tmp('plain');
  const r = loaded(await loadOptions(folder, { ...NO_SETTINGS, nixpkgs: path.join(FIXTURES, 'nixpkgs-mini') }, await deps()));
  assert.equal(r.source, `nixpkgs at ${path.join(FIXTURES, 'nixpkgs-mini')}`);
  assert.ok(r.sets.nixos!.some(o => o.name === 'services.ollama.port'));
  const json = loaded(await loadOptions(folder, { ...NO_SETTINGS, json: path.join(FIXTURES, 'options.json') }, await deps()));
  const port = json.sets.nixos!.find(o => o.name === 'services.fromJson.port')!;
  assert.deepEqual([port.default, port.example, port.description, port.declaredIn], ['8080', '9090', 'A port.', 'https://github.com/NixOS/nixpkgs/blob/master/nixos/modules/x.nix']);
});

test('an evaluation that never ends is killed at the timeout; cancelling kills it too', async () => {
  requireNix();
  const blocking = path.join(tmp('blocking'), 'nixpkgs');
  fs.cpSync(path.join(FIXTURES, 'nixpkgs-blocking'), blocking, { recursive: true });
  assert.equal(spawnSync('mkfifo', [path.join(blocking, 'nixos/block.fifo')]).status, 0);
  const settings = { ...NO_SETTINGS, nixpkgs: blocking };
  let pid = 0;
  const timedOut = await loadOptions(tmp('plain'), settings, await deps({ timeoutMs: 1500, onSpawn: p => (pid = p) }));
  assert.equal(timedOut.kind, 'failed');
  assert.match((timedOut as { message: string }).message, /longer than 2 s/);
  assert.ok(await gone(pid), 'the nix process is gone');
  const abort = new AbortController();
  const cancelled = await loadOptions(tmp('plain'), settings, await deps({ signal: abort.signal, onSpawn: p => { pid = p; abort.abort(); } }));
  assert.deepEqual(cancelled, { kind: 'cancelled' });
  assert.ok(await gone(pid));
});

test('an evaluation over the memory cap is stopped; a missing nix is reported as such', async () => {
  requireNix();
  const hungry = await loadOptions(tmp('plain'), { ...NO_SETTINGS, nixpkgs: path.join(FIXTURES, 'nixpkgs-hungry') }, await deps({ memoryLimitMb: 150 }));
  assert.equal(hungry.kind, 'failed');
  assert.match((hungry as { message: string }).message, /more than 150 MB/);
  const { ws } = workspace();
  const missing = await loadOptions(ws, NO_SETTINGS, await deps({ nix: '/nonexistent/nix' }));
  assert.equal(missing.kind, 'failed');
  assert.equal((missing as { nixMissing?: boolean }).nixMissing, true);
});
