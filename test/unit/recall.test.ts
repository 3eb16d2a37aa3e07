import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flake, NIXPKGS, nvidiaModule, onDisk } from '../onDisk';

/**
 * Configurations as people write them (issue 24): each shape once where the checker must find the
 * missing unfree allowance of an NVIDIA host, and once where a module the shape brings in allows
 * it (or the host is not what it looks like), so it must stay silent.
 */

const UNFREE = '{ ... }: { nixpkgs.config.allowUnfree = true; }\n';
const nothing = '{ ... }: { }\n';

async function unfreeErrors(files: Record<string, string>, file: string) {
  const w = await onDisk(files);
  return { w, found: w.findings(file, 'cuda-unfree') };
}

test('helpers: a let-bound mkHost called through genAttrs gives one configuration per host, named by it', async () => {
  const mk = (common: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, `{ self, nixpkgs, ... }: let
    mkHost = name: nixpkgs.lib.nixosSystem { modules = [ ./hosts/\${name}.nix ./common.nix ]; };
  in { nixosConfigurations = nixpkgs.lib.genAttrs [ "gpu" "office" ] mkHost; }`),
    'hosts/gpu.nix': nvidiaModule(),
    'hosts/office.nix': '{ ... }: { networking.hostName = "office"; }\n',
    'common.nix': common,
  });
  const { w, found } = await unfreeErrors(mk(nothing), 'hosts/gpu.nix');
  assert.deepEqual(w.configurations('hosts/gpu.nix').map(c => c.name), ['gpu']);
  assert.deepEqual(w.configurations('common.nix').map(c => c.name).sort(), ['gpu', 'office']);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /configuration gpu \(\.\.\/flake\.nix/);
  assert.deepEqual((await unfreeErrors(mk(UNFREE), 'hosts/gpu.nix')).found, []);
});

test('helpers: mapAttrs over builtins.readDir of the hosts folder', async () => {
  const mk = (extra: Record<string, string>) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, `{ nixpkgs, ... }: {
    nixosConfigurations = nixpkgs.lib.mapAttrs (name: _: nixpkgs.lib.nixosSystem { modules = [ ./hosts/\${name} ]; }) (builtins.readDir ./hosts);
  }`),
    'hosts/gpu/default.nix': nvidiaModule(Object.keys(extra).length ? '  imports = [ ./unfree.nix ];\n' : ''),
    ...extra,
  });
  const { w, found } = await unfreeErrors(mk({}), 'hosts/gpu/default.nix');
  assert.deepEqual(w.configurations('hosts/gpu/default.nix').map(c => c.name), ['gpu']);
  assert.equal(found.length, 1);
  assert.deepEqual((await unfreeErrors(mk({ 'hosts/gpu/unfree.nix': UNFREE }), 'hosts/gpu/default.nix')).found, []);
});

test('helpers: listToAttrs over a list of hosts, the helper imported from a file of the repository', async () => {
  const mk = (common: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, `{ nixpkgs, ... }@inputs: let mkHost = import ./lib/mkHost.nix inputs; in {
    nixosConfigurations = builtins.listToAttrs (map (h: { name = h; value = mkHost h; }) [ "gpu" ]);
  }`),
    'lib/mkHost.nix': '{ nixpkgs, ... }: name: nixpkgs.lib.nixosSystem { modules = [ ../hosts/${name}.nix ../common.nix ]; }\n',
    'hosts/gpu.nix': nvidiaModule(),
    'common.nix': common,
  });
  assert.equal((await unfreeErrors(mk(nothing), 'hosts/gpu.nix')).found.length, 1);
  assert.deepEqual((await unfreeErrors(mk(UNFREE), 'hosts/gpu.nix')).found, []);
});

test('folders: import-tree imports every .nix file below, leaving out paths with a segment starting with _', async () => {
  const mk = (extra: Record<string, string>) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS, 'import-tree': 'github:vic/import-tree' }, `{ nixpkgs, ... }@inputs: {
    nixosConfigurations.gpu = nixpkgs.lib.nixosSystem { modules = [ (inputs.import-tree ./modules) ]; };
  }`),
    'modules/nvidia.nix': nvidiaModule(),
    ...extra,
  });
  assert.equal((await unfreeErrors(mk({ 'modules/_off/unfree.nix': UNFREE }), 'modules/nvidia.nix')).found.length, 1, 'a file under _off is not imported');
  assert.deepEqual((await unfreeErrors(mk({ 'modules/nix/unfree.nix': UNFREE }), 'modules/nvidia.nix')).found, []);
});

test('folders: haumea loads the .nix files of a folder (private ones left out) as paths', async () => {
  const mk = (extra: Record<string, string>) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS, haumea: 'github:nix-community/haumea' }, `{ nixpkgs, haumea, ... }: {
    nixosConfigurations.gpu = nixpkgs.lib.nixosSystem {
      modules = builtins.attrValues (haumea.lib.load { src = ./modules; loader = haumea.lib.loaders.path; });
    };
  }`),
    'modules/nvidia.nix': nvidiaModule(),
    ...extra,
  });
  assert.equal((await unfreeErrors(mk({ 'modules/_unfree.nix': UNFREE }), 'modules/nvidia.nix')).found.length, 1);
  assert.deepEqual((await unfreeErrors(mk({ 'modules/unfree.nix': UNFREE }), 'modules/nvidia.nix')).found, []);
});

test('folders: lib.filesystem.listFilesRecursive filtered on .nix, and lib.fileset', async () => {
  for (const list of [
    'builtins.filter (f: nixpkgs.lib.hasSuffix ".nix" (toString f)) (nixpkgs.lib.filesystem.listFilesRecursive ./modules)',
    'nixpkgs.lib.fileset.toList (nixpkgs.lib.fileset.fileFilter (file: file.hasExt "nix") ./modules)',
  ]) {
    const mk = (unfree: string) => ({
      'flake.nix': flake({ nixpkgs: NIXPKGS }, `{ nixpkgs, ... }: { nixosConfigurations.gpu = nixpkgs.lib.nixosSystem { modules = ${list}; }; }`),
      'modules/nvidia.nix': nvidiaModule(),
      [unfree]: UNFREE,
    });
    assert.equal((await unfreeErrors(mk('modules/unfree.txt'), 'modules/nvidia.nix')).found.length, 1, `${list}: a .txt file is no module`);
    assert.deepEqual((await unfreeErrors(mk('modules/deep/unfree.nix'), 'modules/nvidia.nix')).found, [], list);
  }
});

test('folders: a module whose imports are read from builtins.readDir, filtered and mapped to paths', async () => {
  const mk = (unfree: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, '{ nixpkgs, ... }: { nixosConfigurations.gpu = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ]; }; }'),
    'configuration.nix': `{ lib, ... }: {
  imports = map (f: ./modules + "/\${f}") (builtins.filter (lib.hasSuffix ".nix") (builtins.attrNames (builtins.readDir ./modules)));
}\n`,
    'modules/nvidia.nix': nvidiaModule(),
    [unfree]: UNFREE,
  });
  assert.equal((await unfreeErrors(mk('modules/unfree.nix.off'), 'modules/nvidia.nix')).found.length, 1);
  assert.deepEqual((await unfreeErrors(mk('modules/unfree.nix'), 'modules/nvidia.nix')).found, []);
});

test('flake-parts: configurations and deferred modules defined across files (the dendritic layout)', async () => {
  const mk = (extra: Record<string, string>) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS, 'flake-parts': 'github:hercules-ci/flake-parts', 'import-tree': 'github:vic/import-tree' },
      'inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./modules)'),
    'modules/hosts.nix': `{ inputs, config, ... }: {
  flake.nixosConfigurations.gpu = inputs.nixpkgs.lib.nixosSystem { modules = [ config.flake.modules.nixos.gpu ]; };
}\n`,
    'modules/nvidia.nix': `{
  flake.modules.nixos.gpu = { ... }: {
    services.xserver.videoDrivers = [ "nvidia" ];
    hardware.nvidia.open = true;
  };
}\n`,
    ...extra,
  });
  const { w, found } = await unfreeErrors(mk({}), 'modules/nvidia.nix');
  assert.deepEqual(w.configurations('modules/nvidia.nix').map(c => c.name), ['gpu']);
  assert.equal(found.length, 1);
  assert.deepEqual((await unfreeErrors(mk({ 'modules/unfree.nix': '{ flake.modules.nixos.gpu.nixpkgs.config.allowUnfree = true; }\n' }), 'modules/nvidia.nix')).found, []);
});

test('frameworks: snowfall-lib systems and modules folders, with its channels-config', async () => {
  const mk = (config: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS, 'snowfall-lib': 'github:snowfallorg/lib' }, `inputs: inputs.snowfall-lib.mkFlake { inherit inputs; src = ./.; ${config} }`),
    'systems/x86_64-linux/gpu/default.nix': '{ ... }: { imports = [ ./hardware.nix ]; }\n',
    'systems/x86_64-linux/gpu/hardware.nix': '{ ... }: { networking.hostName = "gpu"; }\n',
    'modules/nixos/nvidia/default.nix': nvidiaModule(),
  });
  const { w, found } = await unfreeErrors(mk(''), 'modules/nixos/nvidia/default.nix');
  assert.deepEqual(w.configurations('modules/nixos/nvidia/default.nix').map(c => c.name), ['gpu']);
  assert.equal(found.length, 1);
  assert.deepEqual((await unfreeErrors(mk('channels-config.allowUnfree = true;'), 'modules/nixos/nvidia/default.nix')).found, []);
});

test('frameworks: colmena makeHive nodes are configurations of defaults and the node', async () => {
  const mk = (defaults: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS, colmena: 'github:zhaofengli/colmena' }, `{ nixpkgs, colmena, ... }: {
    nixosConfigurations = (colmena.lib.makeHive {
      meta.nixpkgs = import nixpkgs { system = "x86_64-linux"; };
      defaults = ${defaults};
      gpu = { imports = [ ./gpu.nix ]; };
    }).nodes;
  }`),
    'gpu.nix': nvidiaModule(),
  });
  assert.equal((await unfreeErrors(mk('{ ... }: { }'), 'gpu.nix')).found.length, 1);
  assert.deepEqual((await unfreeErrors(mk('{ ... }: { nixpkgs.config.allowUnfree = true; }'), 'gpu.nix')).found, []);
});

test('conditions on the configuration\'s own options: config = mkIf cfg.enable { … } holds where the host enables it', async () => {
  const mk = (host: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, '{ nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./gpu.nix ./host.nix ]; }; }'),
    'gpu.nix': `{ config, lib, ... }: let cfg = config.my.gpu; in {
  options.my.gpu.enable = lib.mkEnableOption "the GPU";
  config = lib.mkIf cfg.enable {
    services.xserver.videoDrivers = [ "nvidia" ];
    hardware.nvidia.open = true;
  };
}\n`,
    'host.nix': host,
  });
  assert.equal((await unfreeErrors(mk('{ ... }: { my.gpu.enable = true; }\n'), 'gpu.nix')).found.length, 1);
  assert.deepEqual((await unfreeErrors(mk('{ ... }: { my.gpu.enable = false; }\n'), 'gpu.nix')).found, [], 'off: the driver is not used');
  assert.deepEqual((await unfreeErrors(mk(nothing), 'gpu.nix')).found, [], 'unset: its declared default (false) applies');
});

test('option values from files: nixpkgs.config = import ./nixpkgs-config.nix is read', async () => {
  const mk = (config: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, '{ nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; }; }'),
    'host.nix': nvidiaModule('  nixpkgs.config = import ./nixpkgs-config.nix;\n'),
    'nixpkgs-config.nix': config,
  });
  assert.equal((await unfreeErrors(mk('{ cudaSupport = false; }\n'), 'host.nix')).found.length, 1);
  assert.deepEqual((await unfreeErrors(mk('{ allowUnfree = true; }\n'), 'host.nix')).found, []);
});

test('an allowUnfreePredicate is asked about the driver: one that only takes CUDA refuses nvidia-x11', async () => {
  const mk = (names: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, '{ nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; }; }'),
    'host.nix': nvidiaModule(`  nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) [ ${names} ];\n`),
  });
  const refused = (await unfreeErrors(mk('"cuda_cudart" "cuda_nvcc"'), 'host.nix')).found;
  assert.equal(refused.length, 1);
  assert.match(refused[0].message, /allowUnfreePredicate does not accept the driver/);
  assert.deepEqual((await unfreeErrors(mk('"nvidia-x11" "nvidia-settings"'), 'host.nix')).found, []);
  // nixpkgs.config as a function of pkgs, falling back on nixpkgs' own CUDA predicate (CUDA's licences only)
  const cuda = (names: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, '{ nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; }; }'),
    'host.nix': nvidiaModule(`  nixpkgs.config = { pkgs, ... }: { allowUnfreePredicate = p: builtins.elem (lib.getName p) [ ${names} ] || pkgs._cuda.lib.allowUnfreeCudaPredicate p; };\n`),
  });
  assert.equal((await unfreeErrors(cuda('"nvidia-settings"'), 'host.nix')).found.length, 1);
  assert.deepEqual((await unfreeErrors(cuda('"nvidia-x11" "nvidia-settings"'), 'host.nix')).found, []);
});

test('modules of flake inputs: one whose source is not here makes the finding a warning that names the input', async () => {
  const mk = (host: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS, gpu: 'github:someone/gpu-flake' }, `{ nixpkgs, gpu, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix gpu.nixosModules.default ]; };
  }`),
    'host.nix': host,
  });
  const found = (await unfreeErrors(mk(nvidiaModule()), 'host.nix')).found;
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.match(found[0].message, /unless a module from input gpu sets it/);
  assert.deepEqual((await unfreeErrors(mk(nvidiaModule('  nixpkgs.config.allowUnfree = true;\n')), 'host.nix')).found, []);
});

test('modules of flake inputs: nixos-hardware summed up; what its module sets is reported where it is imported', async () => {
  const mk = (extra: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS, 'nixos-hardware': 'github:NixOS/nixos-hardware' }, `{ nixpkgs, nixos-hardware, ... }: {
    nixosConfigurations.laptop = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; specialArgs = { inherit nixos-hardware; }; };
  }`),
    'host.nix': `{ nixos-hardware, ... }: {
  imports = [ nixos-hardware.nixosModules.common-gpu-nvidia ];
  nixpkgs.config.allowUnfree = true;
  hardware.nvidia.prime = { intelBusId = "PCI:0:2:0"; nvidiaBusId = "PCI:1:0:0"; };
${extra}}\n`,
  });
  const w = await onDisk(mk(''));
  const open = w.findings('host.nix', 'nvidia-open-unset');
  assert.equal(open.length, 1);
  assert.equal(open[0].severity, 'error', 'the summary says what the module sets: nothing unknown is left');
  assert.equal(open[0].text, 'nixos-hardware.nixosModules.common-gpu-nvidia');
  assert.match(open[0].message, /set by inputs\.nixos-hardware\.nixosModules\.common-gpu-nvidia, brought in here/);
  assert.deepEqual((await onDisk(mk('  hardware.nvidia.open = false;\n'))).findings('host.nix', 'nvidia-open-unset'), []);
  // its offload (mkOverride 990) meets a sync the host adds
  const conflict = (await onDisk(mk('  hardware.nvidia.open = false;\n  hardware.nvidia.prime.sync.enable = true;\n'))).findings('host.nix', 'prime-mode-conflict');
  assert.equal(conflict.length, 2);
});

test('default arguments: a hint when every caller passes them, information at an entry point', async () => {
  const w = await onDisk({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, `{ nixpkgs, ... }: let pkgs = nixpkgs.legacyPackages.x86_64-linux; in {
    packages.x86_64-linux.default = import ./pkg.nix { inherit pkgs; };
  }`),
    'pkg.nix': '{ pkgs ? import <nixpkgs> { }, system ? builtins.currentSystem }: pkgs.hello\n',
    'shell.nix': '{ pkgs ? import <nixpkgs> { } }: pkgs.mkShell { }\n',
  });
  const pkg = w.findings('pkg.nix').filter(f => f.code.startsWith('impure')).sort((a, b) => a.text.localeCompare(b.text));
  assert.deepEqual(pkg.map(f => [f.code, f.severity, f.text]), [
    ['impure-lookup-path', 'hint', '<nixpkgs>'],
    ['impure-current-system', 'information', 'builtins.currentSystem'],
  ], 'one finding per cause: import <nixpkgs> { } is the lookup alone; system is not passed');
  assert.match(pkg[0].message, /every caller in this workspace passes pkgs/);
  assert.deepEqual(w.findings('shell.nix').filter(f => f.code.startsWith('impure')).map(f => f.severity), ['information']);
});

test('each configuration on the release of the nixpkgs that builds it', async () => {
  const lock = {
    nodes: {
      nixpkgs: { locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: 'a'.repeat(40), narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-25.11' } },
      'nixpkgs-server': { locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: 'b'.repeat(40), narHash: 'sha256-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=' }, original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-24.05' } },
      root: { inputs: { nixpkgs: 'nixpkgs', 'nixpkgs-server': 'nixpkgs-server' } },
    },
    root: 'root',
    version: 7,
  };
  const w = await onDisk({
    'flake.nix': flake({ nixpkgs: 'github:NixOS/nixpkgs/nixos-25.11', 'nixpkgs-server': 'github:NixOS/nixpkgs/nixos-24.05' }, `{ nixpkgs, nixpkgs-server, ... }: {
    nixosConfigurations.desktop = nixpkgs.lib.nixosSystem { modules = [ ./shared.nix ./desktop.nix ]; };
    nixosConfigurations.server = nixpkgs-server.lib.nixosSystem { modules = [ ./shared.nix ./server.nix ]; };
  }`),
    'flake.lock': JSON.stringify(lock),
    'shared.nix': '{ ... }: { hardware.opengl.enable = true; }\n',
    'desktop.nix': '{ ... }: { hardware.opengl.driSupport32Bit = true; }\n',
    'server.nix': '{ ... }: { hardware.opengl.extraPackages = [ ]; }\n',
  });
  const shared = w.findings('shared.nix', 'deprecated-option');
  assert.equal(shared.length, 1);
  assert.match(shared[0].message, /configuration server \(NixOS 24\.05\) is built with a nixpkgs where it is fine/);
  assert.equal(w.findings('desktop.nix', 'deprecated-option').length, 1);
  assert.deepEqual(w.findings('server.nix', 'deprecated-option'), [], 'hardware.opengl is the right name on 24.05');
});

test('options the configuration declares win: a home-manager module declaring services.ollama.models in nested form', async () => {
  const w = await onDisk({
    'flake.nix': flake({ nixpkgs: NIXPKGS, 'home-manager': 'github:nix-community/home-manager' }, `{ nixpkgs, home-manager, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ home-manager.nixosModules.home-manager { home-manager.users.me = import ./home.nix; } ]; };
  }`),
    'home.nix': '{ ... }: { imports = [ ./ollama-models.nix ]; services.ollama.models = [ { name = "llama3"; } ]; home.stateVersion = "25.11"; }\n',
    'ollama-models.nix': `{ lib, ... }: {
  options = {
    services.ollama = {
      models = lib.mkOption { type = lib.types.listOf (lib.types.submodule { options.name = lib.mkOption { type = lib.types.str; }; }); default = [ ]; };
    };
  };
}\n`,
  });
  assert.deepEqual(w.findings('home.nix').filter(f => f.severity === 'error' || f.severity === 'warning'), []);
});

test('unstable (or a fork) as locked on a day: changes released after that day are not held against it', async () => {
  const node = (day: string, ref: string, owner = 'NixOS') => ({
    locked: { type: 'github', owner, repo: 'nixpkgs', rev: 'c'.repeat(40), lastModified: Date.parse(`${day}T12:00:00Z`) / 1000, narHash: 'sha256-CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=' },
    original: { type: 'github', owner, repo: 'nixpkgs', ref },
  });
  const host = (extra: string) => `{ pkgs, ... }: { services.ollama.enable = true; services.ollama.acceleration = "cuda"; hardware.opengl.enable = true; ${extra} }\n`;
  const on = async (lockNode: object) => onDisk({
    'flake.nix': flake({ nixpkgs: 'github:NixOS/nixpkgs/nixos-unstable' }, `{ nixpkgs, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; };
  }`),
    'flake.lock': JSON.stringify({ nodes: { nixpkgs: lockNode, root: { inputs: { nixpkgs: 'nixpkgs' } } }, root: 'root', version: 7 }),
    'host.nix': host('hardware.opengl.setLdLibraryPath = true;'),
  });
  // locked before 26.05 came out: acceleration may still be there; opengl was renamed in 24.11, long before
  const before = await on(node('2025-11-27', 'nixos-unstable'));
  assert.deepEqual(before.findings('host.nix', 'removed-option'), []);
  const renamed = before.findings('host.nix', 'deprecated-option');
  assert.equal(renamed.length, 1);
  assert.match(renamed[0].message, /NixOS unstable as locked on 2025-11-27/);
  const after = await on(node('2026-07-01', 'nixos-unstable'));
  assert.equal(after.findings('host.nix', 'removed-option').length, 1, 'by July 2026 the removal is in');
  // a fork's own branch, locked in 2023: neither change is in it
  const fork = await on(node('2023-11-16', 'nix-ml-ops', 'Preemo-Inc'));
  assert.deepEqual([...fork.findings('host.nix', 'removed-option'), ...fork.findings('host.nix', 'deprecated-option')], []);
  // older than the catalog: an option it does not know may have existed then
  assert.deepEqual(fork.findings('host.nix', 'unknown-option'), []);
  assert.equal(after.findings('host.nix', 'unknown-option').length, 1);
});

test('a file no configuration of its flake uses is checked against the flake\'s nixpkgs as information', async () => {
  const w = await onDisk({
    'flake.nix': flake({ nixpkgs: 'github:NixOS/nixpkgs/nixos-25.11' }, `{ nixpkgs, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; };
  }`),
    'flake.lock': JSON.stringify({ nodes: { nixpkgs: { locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: 'a'.repeat(40), narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-25.11' } }, root: { inputs: { nixpkgs: 'nixpkgs' } } }, root: 'root', version: 7 }),
    'host.nix': '{ ... }: { hardware.opengl.enable = true; }\n',
    'old/laptop.nix': '{ ... }: { hardware.opengl.enable = true; }\n',
  });
  assert.deepEqual(w.findings('host.nix', 'deprecated-option').map(f => f.severity), ['warning']);
  const old = w.findings('old/laptop.nix', 'deprecated-option');
  assert.deepEqual(old.map(f => f.severity), ['information']);
  assert.match(old[0].message, /no configuration here uses this file/);
});

test('default arguments: one that only feeds another default is unused where every caller passes that one; a flake\'s import self calls default.nix', async () => {
  const w = await onDisk({
    'flake.nix': flake({ nixpkgs: NIXPKGS }, `{ self, nixpkgs, ... }: let pkgs = nixpkgs.legacyPackages.x86_64-linux; in {
    lib = import self { inherit (nixpkgs) lib; };
    checks.x86_64-linux.t = import ./tests { inherit pkgs; };
    checks.x86_64-linux.o = import ./tests/other.nix { inherit pkgs; };
  }`),
    'default.nix': '{ lib ? import <nixpkgs/lib> }: { inherit lib; }\n',
    'tests/default.nix': '{ system ? builtins.currentSystem, pkgs ? import <nixpkgs> { inherit system; } }: pkgs.hello\n',
    'tests/other.nix': '{ system ? builtins.currentSystem, pkgs ? import <nixpkgs> { } }: pkgs.hello // { inherit system; }\n',
  });
  const sev = (file: string) => w.findings(file).filter(f => f.code.startsWith('impure')).map(f => `${f.code} ${f.severity}`).sort();
  assert.deepEqual(sev('default.nix'), ['impure-lookup-path hint']);
  assert.deepEqual(sev('tests/default.nix'), ['impure-current-system hint', 'impure-lookup-path hint']);
  assert.deepEqual(sev('tests/other.nix'), ['impure-current-system information', 'impure-lookup-path hint'], 'system is used in the body too');
});

test('flake-parts: nixpkgs.config declared at flake level and handed to every host as a value (an empty allowUnfreePackages lets nothing in)', async () => {
  const mk = (set: string) => ({
    'flake.nix': flake({ nixpkgs: NIXPKGS, 'flake-parts': 'github:hercules-ci/flake-parts' },
      'inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { systems = [ "x86_64-linux" ]; imports = [ ./nixpkgs.nix ./hosts.nix ]; }'),
    'nixpkgs.nix': `{ lib, ... }: {
  options.nixpkgs.config = {
    allowUnfree = lib.mkOption { type = lib.types.bool; default = false; };
    allowUnfreePredicate = lib.mkOption { type = lib.types.functionTo lib.types.bool; default = _: false; };
    allowUnfreePackages = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
  };
  config = { ${set} };
}\n`,
    'hosts.nix': `{ inputs, config, ... }: {
  flake.nixosConfigurations.gpu = inputs.nixpkgs.lib.nixosSystem { modules = [ ./gpu.nix { nixpkgs = config.nixpkgs; } ]; };
}\n`,
    'gpu.nix': nvidiaModule(),
  });
  assert.equal((await unfreeErrors(mk(''), 'gpu.nix')).found.length, 1);
  assert.deepEqual((await unfreeErrors(mk('nixpkgs.config.allowUnfree = true;'), 'gpu.nix')).found, []);
  assert.deepEqual((await unfreeErrors(mk('nixpkgs.config.allowUnfreePredicate = p: true;'), 'gpu.nix')).found, []);
});
