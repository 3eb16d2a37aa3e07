import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Configuration, WorkspaceAnalysis } from '../../server/src/analysis/configuration';
import { workspaceOf } from '../helpers';

/** The configuration model over a workspace of in-memory files (paths under /ws). */
async function workspace(files: Record<string, string>): Promise<WorkspaceAnalysis> {
  return (await workspaceOf(files)).analysis;
}

function only(a: WorkspaceAnalysis, file: string, name?: string): Configuration {
  const all = a.configurationsOf(`/ws/${file}`).filter(c => name === undefined || c.name === name);
  assert.equal(all.length, 1, `one configuration for ${file}${name ? ` named ${name}` : ''}, got ${a.configurationsOf(`/ws/${file}`).map(c => c.name).join(', ')}`);
  return all[0];
}

const flake = (modules: string, extra = '') =>
  `{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";\n  outputs = { self, nixpkgs, ... }@inputs: let ${extra} in {\n    nixosConfigurations.box = nixpkgs.lib.nixosSystem { modules = ${modules}; };\n  };\n}\n`;

test('module lists are followed through let bindings, ++, lib.optionals, lib.optional and if', async () => {
  const a = await workspace({
    'flake.nix': flake('common ++ [ ./host.nix ] ++ lib.optionals gpu [ ./gpu.nix ] ++ lib.optional laptop ./laptop.nix ++ (if x then [ ./a.nix ] else [ ./b.nix ])',
      'common = [ ./base.nix ]; lib = nixpkgs.lib; gpu = true; laptop = false;'),
    'base.nix': '{ ... }: { networking.hostName = "box"; }',
    'host.nix': '{ ... }: { imports = [ ./hw ]; }',
    'hw/default.nix': '{ ... }: { hardware.nvidia.open = true; }',
    'gpu.nix': '{ ... }: { services.xserver.videoDrivers = [ "nvidia" ]; }',
    'laptop.nix': '{ ... }: { hardware.nvidia.prime.offload.enable = true; }',
    'a.nix': '{ ... }: { services.ollama.enable = true; }',
    'b.nix': '{ ... }: { services.ollama.enable = false; }',
  });
  const box = only(a, 'base.nix');
  assert.equal(box.complete, true, box.unseen.map(u => u.text).join(', '));
  assert.deepEqual([...box.files].map(f => f.replace('/ws/', '')).sort(), ['a.nix', 'b.nix', 'base.nix', 'flake.nix', 'gpu.nix', 'host.nix', 'hw/default.nix']);
  assert.equal(box.isSet('hardware.nvidia.open'), 'set');
  assert.equal(box.listHas('services.xserver.videoDrivers', 'nvidia'), true, 'optionals with a literal true is unconditional');
  assert.equal(box.isSet('hardware.nvidia.prime.offload.enable'), 'unset', 'optional with a literal false adds nothing');
  assert.equal(box.isTrue('services.ollama.enable'), 'unknown', 'either branch of an if may apply');
  assert.equal(box.isSet('hardware.nvidia.prime.sync.enable'), 'unset');
});

test('a module we cannot read makes every answer unknown; a known one only for what it defines', async () => {
  const a = await workspace({
    'flake.nix': flake('[ ./host.nix inputs.nixos-hardware.nixosModules.common-gpu-nvidia ]'),
    'host.nix': '{ ... }: { services.xserver.videoDrivers = [ "nvidia" ]; }',
  });
  const box = only(a, 'host.nix');
  assert.equal(box.complete, false);
  assert.deepEqual(box.unseen.map(u => u.text), ['inputs.nixos-hardware.nixosModules.common-gpu-nvidia']);
  assert.equal(box.isSet('hardware.nvidia.open'), 'unknown');
  assert.equal(box.listHas('services.xserver.videoDrivers', 'nvidia'), true, 'what is visibly set at normal priority stays known');

  const b = await workspace({
    'flake.nix': flake('[ ./host.nix home-manager.nixosModules.home-manager (modulesPath + "/installer/scan/not-detected.nix") ]').replace('inputs.nixpkgs.url', 'inputs.home-manager.url = "github:nix-community/home-manager"; inputs.nixpkgs.url'),
    'host.nix': '{ ... }: { services.xserver.videoDrivers = [ "nvidia" ]; }',
  });
  const hm = only(b, 'host.nix');
  assert.equal(hm.complete, true, hm.unseen.map(u => u.text).join(', '));
  assert.equal(hm.isSet('hardware.nvidia.open'), 'unset');
  assert.equal(hm.isSet('home-manager.useGlobalPkgs'), 'unknown', "home-manager's own module may define its options");
});

test('modules that arrive through specialArgs are unseen: a module list entry naming an argument is not read as a file', async () => {
  const a = await workspace({
    'flake.nix': flake('[ ./host.nix ]').replace('nixosSystem { modules', 'nixosSystem { specialArgs = { inherit inputs; gpu = ./gpu.nix; }; modules'),
    'host.nix': '{ inputs, gpu, ... }: { imports = [ gpu inputs.hw.nixosModules.laptop ]; services.xserver.videoDrivers = [ "nvidia" ]; }',
    'gpu.nix': '{ ... }: { hardware.nvidia.open = true; }',
  });
  const box = only(a, 'host.nix');
  assert.deepEqual(box.unseen.map(u => u.text).sort(), ['gpu', 'inputs.hw.nixosModules.laptop']);
  assert.equal(box.isSet('hardware.nvidia.open'), 'unknown');
});

test('a value we cannot see into is opaque for everything under it', async () => {
  const a = await workspace({
    'configuration.nix': '{ config, ... }: let cfg = config.my; in { hardware.nvidia = cfg.nvidia; services.xserver.videoDrivers = [ "nvidia" ]; }',
  });
  const host = only(a, 'configuration.nix');
  assert.equal(host.complete, true);
  assert.equal(host.isSet('hardware.nvidia.open'), 'unknown');
  assert.equal(host.isSet('hardware.graphics.enable'), 'unset');
  const b = await workspace({ 'configuration.nix': '{ lib, ... }: { config = lib.mkIf true (import ./gpu-settings.nix); }' });
  assert.equal(only(b, 'configuration.nix').isSet('hardware.graphics.enable'), 'unknown', 'a whole config we cannot read');
});

test('priorities: mkForce beats a plain definition, which beats mkDefault; a specialisation is the configuration plus its own', async () => {
  const a = await workspace({
    'configuration.nix': `{ lib, ... }: {
      imports = [ ./hw.nix ];
      services.xserver.videoDrivers = [ "amdgpu" ];
      hardware.nvidia.prime.sync.enable = true;
      specialisation.on-the-go.configuration = {
        hardware.nvidia.prime.offload.enable = lib.mkForce true;
        hardware.nvidia.prime.sync.enable = lib.mkForce false;
      };
    }`,
    'hw.nix': '{ lib, ... }: { services.xserver.videoDrivers = lib.mkDefault [ "nvidia" ]; hardware.nvidia.open = lib.mkOverride 990 true; }',
  });
  const base = only(a, 'configuration.nix', 'configuration.nix');
  assert.equal(base.listHas('services.xserver.videoDrivers', 'nvidia'), false, 'the mkDefault list loses to the plain one');
  assert.equal(base.isTrue('hardware.nvidia.prime.sync.enable'), true);
  assert.equal(base.isTrue('hardware.nvidia.prime.offload.enable'), false);
  assert.equal(base.isTrue('hardware.nvidia.open'), true);
  const spec = only(a, 'configuration.nix', 'configuration.nix, specialisation on-the-go');
  assert.equal(spec.isTrue('hardware.nvidia.prime.sync.enable'), false);
  assert.equal(spec.isTrue('hardware.nvidia.prime.offload.enable'), true);
});

test('a module nothing imports answers "unknown" for what it does not say; a configuration.nix is a root unless a module list is computed', async () => {
  const lone = await workspace({ 'gpu.nix': '{ ... }: { services.xserver.videoDrivers = [ "nvidia" ]; }' });
  const gpu = only(lone, 'gpu.nix');
  assert.equal(gpu.complete, false);
  assert.deepEqual(gpu.unseen.map(u => u.text), ['whatever imports gpu.nix']);
  assert.equal(gpu.isSet('hardware.nvidia.open'), 'unknown');
  assert.equal(gpu.listHas('services.xserver.videoDrivers', 'nvidia'), true);

  const root = await workspace({ 'configuration.nix': '{ ... }: { imports = [ ./gpu.nix ]; }', 'gpu.nix': '{ ... }: { services.xserver.videoDrivers = [ "nvidia" ]; }' });
  assert.equal(only(root, 'gpu.nix').complete, true);
  assert.equal(only(root, 'gpu.nix').isSet('hardware.nvidia.open'), 'unset');

  const withRecipes = await workspace({
    'configuration.nix': '{ ... }: { imports = [ ./gpu.nix ]; }',
    'gpu.nix': '{ ... }: { services.xserver.videoDrivers = [ "nvidia" ]; }',
    'pkgs/tool.nix': '{ stdenv, fetchurl }: stdenv.mkDerivation { pname = "tool"; }',
  });
  assert.equal(only(withRecipes, 'gpu.nix').complete, true, 'a package recipe elsewhere is no module list');

  const loneParent = await workspace({ 'nvidia.nix': '{ ... }: { imports = [ ./prime.nix ]; }', 'prime.nix': '{ ... }: { hardware.nvidia.prime.sync.enable = true; }' });
  assert.equal(only(loneParent, 'prime.nix').name, 'nvidia.nix', 'a module a lone module imports is seen through it');
  assert.equal(only(loneParent, 'prime.nix').isSet('hardware.nvidia.prime.nvidiaBusId'), 'unknown');

  const dynamic = await workspace({
    'flake.nix': flake('[ ./hosts/${name}/configuration.nix ]', 'name = "x";'),
    'hosts/x/configuration.nix': '{ ... }: { services.xserver.videoDrivers = [ "nvidia" ]; }',
  });
  assert.equal(only(dynamic, 'hosts/x/configuration.nix').complete, false, 'a computed module list may import it along with other modules');
});

test('modules written as `_:` and as a bare attribute set are modules; `final: prev:` is not', async () => {
  const a = await workspace({
    'configuration.nix': '{ ... }: { imports = [ ./a.nix ./b.nix ./overlay.nix ]; }',
    'a.nix': '_: { hardware.nvidia.open = true; }',
    'b.nix': '{ hardware.graphics.enable = true; }',
    'overlay.nix': 'final: prev: { hardware = prev.hardware; }',
  });
  const host = only(a, 'configuration.nix');
  assert.equal(host.isTrue('hardware.nvidia.open'), true);
  assert.equal(host.isTrue('hardware.graphics.enable'), true);
  assert.equal(host.isSet('hardware'), 'unset');
});

test('flake-parts: modules a flake exports are judged on their own; options they declare are known', async () => {
  const a = await workspace({
    'flake.nix': '{ outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } { imports = [ ./parts/gpu.nix ]; }; }',
    'parts/gpu.nix': `{ ... }: {
      flake.modules.nixos.gpu = { hardware.nvidia.open = false; services.xserver.videoDrivers = [ "nvidia" ]; };
      flake.nixosModules.desk = { lib, ... }: { options.hardware.nvidia.myTweak = lib.mkEnableOption "x"; config.hardware.nvidia.myTweak = true; };
      perSystem = { pkgs, ... }: { devShells.default = pkgs.mkShell { }; };
    }`,
  });
  const gpu = only(a, 'parts/gpu.nix', 'export:flake.modules.nixos.gpu');
  assert.equal(gpu.set, 'nixos');
  assert.equal(gpu.isTrue('hardware.nvidia.open'), false);
  assert.equal(gpu.isSet('hardware.graphics.enable'), 'unknown', 'exported: whatever imports it may set the rest');
  const desk = only(a, 'parts/gpu.nix', 'export:flake.nixosModules.desk');
  assert.equal(desk.declares(['hardware', 'nvidia', 'myTweak']), 'set');
  assert.equal(desk.isTrue('hardware.nvidia.myTweak'), true);
  assert.ok(!a.configurationsOf('/ws/parts/gpu.nix').some(c => c.definitions.some(d => d.path[0] === 'perSystem' && d.set === 'nixos')), 'flake-parts options are not NixOS options');
});

test('unfree: the pkgs nixosSystem is given, nixpkgs.config, and a config we cannot read', async () => {
  const given = await workspace({
    'flake.nix': '{ outputs = { nixpkgs, ... }: { nixosConfigurations.box = nixpkgs.lib.nixosSystem { pkgs = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }; modules = [ ./c.nix ]; }; }; }',
    'c.nix': '{ ... }: { }',
  });
  assert.equal(only(given, 'c.nix').unfree(), true);
  const none = await workspace({ 'configuration.nix': '{ ... }: { nixpkgs.config.cudaSupport = true; }' });
  assert.equal(only(none, 'configuration.nix').unfree(), false);
  const predicate = await workspace({ 'configuration.nix': '{ lib, ... }: { nixpkgs.config.allowUnfreePredicate = pkg: true; }' });
  assert.equal(only(predicate, 'configuration.nix').unfree(), true);
  const opaque = await workspace({ 'configuration.nix': '{ ... }: { nixpkgs.config = import ./nixpkgs-config.nix; }' });
  assert.equal(only(opaque, 'configuration.nix').unfree(), 'unknown');
  const refused = await workspace({ 'configuration.nix': '{ lib, ... }: { nixpkgs.config.allowUnfree = lib.mkDefault false; }' });
  assert.equal(only(refused, 'configuration.nix').unfree(), false);
});

test('home-manager users are configurations of their own; with useGlobalPkgs they share the system\'s unfree answer', async () => {
  const a = await workspace({
    'configuration.nix': `{ ... }: {
      nixpkgs.config.allowUnfree = true;
      home-manager.useGlobalPkgs = true;
      home-manager.users.me = import ./home.nix;
    }`,
    'home.nix': '{ pkgs, ... }: { programs.git.enable = true; }',
  });
  const me = only(a, 'home.nix', 'configuration.nix, home-manager user me');
  assert.equal(me.set, 'home-manager');
  assert.equal(me.isTrue('programs.git.enable'), true);
  assert.equal(me.unfree(), true);
  const base = only(a, 'configuration.nix', 'configuration.nix');
  assert.equal(base.isSet('programs.git.enable'), 'unset', "the user's options are not the system's");
});

test('files Nix evaluates from a flake: import, callPackage and module lists; a path used as data is not', async () => {
  const a = await workspace({
    'flake.nix': '{ outputs = { self, nixpkgs }: { packages.x86_64-linux.a = nixpkgs.legacyPackages.x86_64-linux.callPackage ./pkg.nix { }; lib = import ./lib.nix; nixosModules.m = ./module.nix; src = ./data.nix; text = builtins.readFile ./read.nix; script = "${./script.nix}"; }; }',
    'pkg.nix': '{ stdenv }: stdenv.mkDerivation { src = ./.; }',
    'lib.nix': '{ x = import ./deep.nix; }',
    'deep.nix': '1',
    'module.nix': '{ ... }: { }',
    'data.nix': '1', 'read.nix': '1', 'script.nix': '1',
  });
  for (const f of ['flake.nix', 'pkg.nix', 'lib.nix', 'deep.nix', 'module.nix']) assert.equal(a.isPure(`/ws/${f}`), true, f);
  for (const f of ['data.nix', 'read.nix', 'script.nix']) assert.equal(a.isPure(`/ws/${f}`), false, f);
});

test('the walk is bounded: a binding that refers to itself and very deep nesting end in "unknown"', async () => {
  const cyclic = await workspace({ 'flake.nix': flake('mods', 'mods = mods ++ [ ./a.nix ];'), 'a.nix': '{ }' });
  assert.equal(only(cyclic, 'flake.nix', 'box').complete, false);
  const deep = `{ ... }: { config = ${'lib.mkIf c ('.repeat(400)}{ hardware.nvidia.open = true; }${')'.repeat(400)}; }`;
  const a = await workspace({ 'configuration.nix': deep });
  assert.equal(only(a, 'configuration.nix').isSet('hardware.nvidia.open'), 'unknown');
});

test('nix-darwin: darwinConfigurations built by darwinSystem are configurations of the darwin set, with their module files', async () => {
  const { onDisk } = await import('../onDisk');
  const w = await onDisk({
    'flake.nix': '{\n  inputs.nix-darwin.url = "github:nix-darwin/nix-darwin";\n  outputs = { self, nix-darwin, ... }: {\n    darwinConfigurations.mac = nix-darwin.lib.darwinSystem { modules = [ ./darwin.nix ]; };\n  };\n}\n',
    'darwin.nix': '{ ... }: {\n  nix.linux-builder.enable = true;\n  homebrew.enable = true;\n}\n',
  });
  const configs = w.configurations('darwin.nix');
  assert.deepEqual(configs.map(c => [c.name, c.set]), [['mac', 'darwin']]);
  assert.equal(configs[0].isTrue('nix.linux-builder.enable'), true);
  assert.deepEqual(w.findings('darwin.nix').filter(f => f.severity === 'error'), []);
});

test("nix-darwin: a darwin module's arguments never come from what the NixOS hosts pass (a Mac's stateVersion is an integer)", async () => {
  const { onDisk } = await import('../onDisk');
  const w = await onDisk({
    'flake.nix': `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
  inputs.nix-darwin.url = "github:nix-darwin/nix-darwin";
  outputs = { nixpkgs, nix-darwin, ... }:
    let helpers = import ./lib.nix { inherit nix-darwin; };
    in {
      nixosConfigurations.box = nixpkgs.lib.nixosSystem { specialArgs = { stateVersion = "25.11"; }; modules = [ ./host.nix ]; };
      darwinConfigurations = helpers.mkAll (builtins.getEnv "HOSTS");
    };
}
`,
    // what the Mac is given is not known here (an argument of the helper)
    'lib.nix': '{ nix-darwin }:\n{\n  mkAll = hosts: version: { mac = nix-darwin.lib.darwinSystem { specialArgs = { stateVersion = version; }; modules = [ ./darwin.nix ]; }; };\n}\n',
    'host.nix': '{ stateVersion, ... }: { system.stateVersion = stateVersion; boot.loader.grub.enable = false; }\n',
    // a computed module list makes the file read a second time, with its arguments evaluated
    'darwin.nix': '{ stateVersion, lib, ... }: {\n  imports = lib.optional true ./extra.nix;\n  system.stateVersion = stateVersion;\n  homebrew.enable = true;\n}\n',
    'extra.nix': '{ ... }: { }\n',
  });
  const darwin = w.configurations('darwin.nix');
  assert.ok(darwin.length && darwin.every(c => c.set === 'darwin'), JSON.stringify(darwin.map(c => [c.name, c.set])));
  assert.deepEqual(w.findings('darwin.nix').filter(f => f.code === 'option-type'), [], 'not "25.11" from the NixOS host');
});

test('nix-darwin: a home-manager user of a Mac is a view of its own, read as home-manager', async () => {
  const { onDisk } = await import('../onDisk');
  const w = await onDisk({
    'flake.nix': '{\n  inputs.nix-darwin.url = "github:nix-darwin/nix-darwin";\n  inputs.home-manager.url = "github:nix-community/home-manager";\n  outputs = { nix-darwin, home-manager, ... }: {\n    darwinConfigurations.mac = nix-darwin.lib.darwinSystem { modules = [ ./darwin.nix home-manager.darwinModules.home-manager { home-manager.users.alice = ./home.nix; } ]; };\n  };\n}\n',
    'darwin.nix': '{ ... }: { homebrew.enable = true; }\n',
    'home.nix': '{ ... }: { services.ollama.enable = true; home.stateVersion = "25.11"; }\n',
  });
  const views = w.configurations('home.nix').map(c => [c.name, c.set]);
  assert.ok(views.some(([name, set]) => set === 'home-manager' && /mac, home-manager user alice/.test(String(name))), JSON.stringify(views));
});
