import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete, type CompletionResult } from '../../server/src/features/completion';
import { createKnowledge } from '../../server/src/options/knowledge';
import { parser, withCursor } from '../helpers';

const kb = createKnowledge();
const MODULE = 'file:///etc/nixos/configuration.nix';
const FLAKE = 'file:///src/host/flake.nix';

async function completeAt(marked: string, uri = MODULE, limit?: number): Promise<CompletionResult> {
  const { doc, offset } = await withCursor(marked, uri);
  return complete(await parser(), doc, offset, kb, limit);
}

async function labels(marked: string, uri = MODULE): Promise<string[]> {
  return (await completeAt(marked, uri)).items.map(i => i.label);
}

const NVIDIA = ['open', 'package', 'prime', 'modesetting', 'powerManagement'];

const optionShapes: Array<[string, string]> = [
  ['dotted', '{ hardware.nvidia.$0 }'],
  ['dotted inside a module function', '{ config, pkgs, ... }: { hardware.nvidia.$0 }'],
  ['nested sets', '{ hardware = { nvidia = { $0 }; }; }'],
  ['mixed dotted and nested', '{ hardware = { nvidia.$0 }; }'],
  ['inside config = { }', '{ config, ... }: { options = { }; config = { hardware.nvidia.$0 }; }'],
  ['inside lib.mkIf', '{ config, lib, ... }: { config = lib.mkIf config.hardware.graphics.enable { hardware.nvidia.$0 }; }'],
  ['inside lib.mkMerge', '{ lib, ... }: lib.mkMerge [ { } { hardware.nvidia.$0 } ]'],
  ['value of lib.mkDefault', '{ lib, ... }: { hardware = lib.mkDefault { nvidia.$0 }; }'],
  ['value of mkForce (with lib;)', '{ lib, ... }: with lib; { hardware.nvidia = mkForce { $0 }; }'],
  ['inline module in imports', '{ imports = [ ./hardware.nix { hardware.nvidia.$0 } ]; }'],
  ['broken file: unfinished path before }', '{\n  hardware.nvidia.$0\n}'],
  ['broken file: unfinished path before more bindings', '{\n  hardware.nvidia.$0\n  services.ollama.enable = true;\n}'],
  ['let body that is the module', '{ pkgs, ... }: let cuda = pkgs.cudaPackages; in { hardware.nvidia.$0 }'],
  ['specialisation configuration', '{ specialisation.gaming.configuration = { hardware.nvidia.$0 }; }'],
];

for (const [name, marked] of optionShapes) {
  test(`completes NixOS options: ${name}`, async () => {
    const got = await labels(marked);
    for (const l of NVIDIA) assert.ok(got.includes(l), `${l} missing from ${got.join(' ')}`);
  });
}

test('completes modules of a flake nixosSystem, and flake schema around them', async () => {
  const flake = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  outputs = { self, nixpkgs }: {
    nixosConfigurations.gpu = nixpkgs.lib.nixosSystem {
      modules = [ ./configuration.nix ({ pkgs, ... }: { hardware.nvidia.$0 }) ];
    };
  };
}`;
  assert.ok((await labels(flake, FLAKE)).includes('open'));
  assert.deepEqual((await labels('{ $0 }', FLAKE)).sort(), ['description', 'inputs', 'nixConfig', 'outputs']);
  const input = await labels('{ inputs.nixpkgs.$0 }', FLAKE);
  for (const l of ['url', 'follows', 'flake', 'inputs']) assert.ok(input.includes(l), l);
  const outputs = await labels('{ outputs = { self }: { $0 }; }', FLAKE);
  for (const l of ['nixosConfigurations', 'devShells', 'packages']) assert.ok(outputs.includes(l), l);
  assert.ok((await labels('{ outputs = inputs: { devShells.$0 }; }', FLAKE)).includes('x86_64-linux'));
  assert.deepEqual(await labels('{ outputs = { nixpkgs, ... }: { x = nixpkgs.lib.nixosSystem { $0 }; }; }', FLAKE), ['modules', 'specialArgs', 'system', 'inherit'], '(inherit system; is common there)');
  assert.ok((await labels('{ inputs.nixpkgs.url = "$0"; }', FLAKE)).includes('github:NixOS/nixpkgs/nixos-unstable'));
});

test('labels are the next name only, with type, docs and an insertion that helps', async () => {
  const r = await completeAt('{ hardware.nvidia.$0 }');
  const open = r.items.find(i => i.label === 'open')!;
  assert.equal(open.kind, 'option');
  assert.equal(open.detail, 'null or boolean');
  assert.match(open.documentation!, /open kernel modules/);
  assert.match(open.documentation!, /\*Default:\*/);
  assert.equal(open.insertText, 'open = ${1|true,false,null|};');
  assert.equal(open.snippet, true);
  const prime = r.items.find(i => i.label === 'prime')!;
  assert.equal(prime.kind, 'group');
  assert.equal(prime.insertText, 'prime.');
  assert.equal(prime.retrigger, true);
  assert.ok(r.items.every(i => !i.label.includes('.')), 'only one name per label');
  // Already followed by "=": insert the name alone.
  const typed = await completeAt('{ hardware.nvidia.op$0 = true; }');
  assert.equal(typed.items.find(i => i.label === 'open')!.insertText, undefined);
  const { doc, offset } = await withCursor('{ hardware.nvidia.op$0 = true; }');
  const item = typed.items.find(i => i.label === 'open')!;
  assert.deepEqual([item.start, item.end], [offset - 2, offset]);
  void doc;
});

test('renamed and removed options sort last and are marked deprecated', async () => {
  const r = await completeAt('{ hardware.opengl.$0 }');
  const enable = r.items.find(i => i.label === 'enable')!;
  assert.equal(enable.deprecated, true);
  assert.match(enable.documentation!, /Renamed\*\* to `hardware\.graphics\.enable` in NixOS 24\.11/);
  const ollama = await completeAt('{ services.ollama.$0 }');
  assert.ok(ollama.items.find(i => i.label === 'acceleration')!.sortText! > ollama.items.find(i => i.label === 'package')!.sortText!);
});

test('value completion: enums, booleans, driver packages, CUDA and ROCm sets, ollama variants, torch', async () => {
  assert.deepEqual((await labels('{ hardware.intelgpu.driver = $0; }')).slice(0, 2), ['"i915"', '"xe"']);
  assert.deepEqual(await labels('{ hardware.intelgpu.driver = "$0"; }'), ['i915', 'xe']);
  assert.deepEqual((await labels('{ hardware.nvidia.open = $0; }')).slice(0, 3), ['true', 'false', 'null']);
  assert.deepEqual((await labels('{ lib, ... }: { hardware.nvidia.open = lib.mkForce $0; }')).slice(0, 3), ['true', 'false', 'null']);
  const drivers = await labels('{ config, ... }: { hardware.nvidia.package = config.boot.kernelPackages.nvidiaPackages.$0; }');
  for (const d of ['stable', 'beta', 'production', 'legacy_470', 'legacy_580', 'dc']) assert.ok(drivers.includes(d), d);
  const cuda = await labels('{ pkgs, ... }: { environment.systemPackages = [ pkgs.cudaPackages.$0 ]; }');
  for (const m of ['cudatoolkit', 'cudnn', 'nccl']) assert.ok(cuda.includes(m), m);
  assert.ok((await labels('{ pkgs, ... }: { x = [ pkgs.cudaPackages_12_8.$0 ]; }')).includes('cudnn'), 'versioned sets share members');
  assert.ok((await labels('{ pkgs, ... }: { x = [ pkgs.rocmPackages.$0 ]; }')).includes('clr'));
  const torch = await labels('{ pkgs, ... }: { x = pkgs.python3Packages.$0; }');
  for (const t of ['torch', 'torchWithCuda', 'torchWithRocm', 'torch-bin']) assert.ok(torch.includes(t), t);
  const ollama = await completeAt('{ pkgs, ... }: { services.ollama.package = pkgs.ollama-$0; }');
  assert.ok(['ollama-cuda', 'ollama-rocm', 'ollama-vulkan', 'ollama-cpu'].every(l => ollama.items.some(i => i.label === l)));
  const cudaItem = ollama.items.find(i => i.label === 'ollama-cuda')!;
  assert.equal(cudaItem.end - cudaItem.start, 'ollama-'.length, 'replaces the whole typed name, dash included');
  assert.ok((await labels('{ nixpkgs.config.cudaCapabilities = [ "$0" ]; }')).includes('8.9'));
  assert.ok((await labels('{ services.xserver.videoDrivers = [ $0 ]; }')).includes('"nvidia"'));
  assert.ok((await labels('{ config, ... }: { x = config.hardware.nvidia.$0; }')).includes('open'));
});

test('builtins after builtins., global builtins and local names in scope', async () => {
  const b = await labels('{ x = builtins.$0; }');
  assert.equal(b.length, kb.builtins.size);
  for (const n of ['getEnv', 'fetchTarball', 'toJSON', "foldl'"]) assert.ok(b.includes(n), n);
  const scoped = `{ pkgs, lib ? null, ... }@args:
let
  cuda = pkgs.cudaPackages;
  inherit (lib) mkIf;
  helper = rec { inner = 1; other = $0; };
in { }`;
  const got = await labels(scoped);
  for (const n of ['inner', 'cuda', 'mkIf', 'helper', 'pkgs', 'lib', 'args', 'map', 'import', 'toString']) assert.ok(got.includes(n), n);
  assert.ok(!got.includes('getEnv'), 'only global builtins without the prefix');
  // an empty name is no item (VS Code rejects a label-less one), found by the fuzzer
  for (const empty of ['let "" = 1; in $0', 'let = 1; in $0']) assert.ok(!(await labels(empty)).includes(''), empty);
  const withPkgs = await labels('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ nvt$0 ]; }');
  assert.ok(withPkgs.includes('cudaPackages') && withPkgs.includes('ollama-cuda'));
  // A let name shadows an argument of the same name.
  const shadow = await completeAt('x: let x = 1; in $0');
  assert.equal(shadow.items.filter(i => i.label === 'x').length, 1);
  assert.equal(shadow.items.find(i => i.label === 'x')!.detail, 'let binding');
});

test('no NixOS options in strings, comments, plain let values, overlays or packages', async () => {
  assert.deepEqual(await labels('{ x = "hardware.$0"; }'), []);
  assert.deepEqual(await labels('# hardware.$0\n{ }'), []);
  assert.deepEqual(await labels("{ x = ''\n  hardware.$0\n''; }"), []);
  assert.deepEqual(await labels('let settings = { hardware.$0 }; in { }'), []);
  assert.deepEqual(await labels('final: prev: { hardware.$0 }'), []);
  assert.deepEqual(await labels('{ stdenv }: stdenv.mkDerivation { hardware.$0 }'), []);
  assert.deepEqual(await labels('{ pkgs, ... }: { x = builtins.toJSON { hardware.$0 }; }'), []);
  assert.deepEqual(await labels('{ x = { a = 1; }.$0; }'), []);
});

test('large sets: the list is capped, the best matches kept, and marked incomplete', async () => {
  const r = await completeAt('{ x = builtins.to$0; }', MODULE, 10);
  assert.equal(r.items.length, 10);
  assert.equal(r.incomplete, true);
  assert.ok(r.items.slice(0, 5).every(i => i.label.startsWith('to')), r.items.map(i => i.label).join(' '));
  assert.equal((await completeAt('{ x = builtins.$0; }')).incomplete, false);
});

test('home-manager: options of the NixOS module become the home-manager set, used in home-manager files and users', async () => {
  const { splitHomeManager } = await import('../../server/src/options/loader');
  const sets = splitHomeManager([
    { name: 'hardware.nvidia.open', type: 'null or boolean', description: 'x' },
    { name: 'home-manager.users.<name>.programs.git.enable', type: 'boolean', description: 'Git.' },
  ]);
  assert.deepEqual(sets['home-manager']!.map(o => o.name), ['programs.git.enable']);
  const hmKb = (await import('../../server/src/options/knowledge')).createKnowledge(sets);
  const at = async (marked: string, uri: string) => {
    const { doc, offset } = await withCursor(marked, uri);
    return complete(await parser(), doc, offset, hmKb).items.map(i => i.label);
  };
  assert.ok((await at('{ programs.git.$0 }', 'file:///home/me/.config/home-manager/home.nix')).includes('enable'));
  assert.ok((await at('{ home-manager.users.alice = { programs.git.$0 }; }', MODULE)).includes('enable'));
  assert.ok(!(await at('{ home.stateVersion = "25.11"; hardware.nvidia.$0 }', 'file:///x/user.nix')).includes('open'), 'a home-manager file gets no NixOS options');
});

test('keywords complete where an expression goes, inherit where a binding starts; never inside a select', async () => {
  assert.ok((await labels('{ x = le$0; }')).includes('let'));
  assert.ok((await labels('{ x = wi$0; }')).includes('with'));
  const inherit = await completeAt('{ inh$0 }');
  assert.ok(inherit.items.some(i => i.label === 'inherit' && i.kind === 'keyword'));
  assert.ok(!(await labels('{ x = pkgs.le$0; }')).includes('let'));
  assert.ok(!(await labels('{ hardware.nvidia.$0 }')).includes('inherit'), 'not after a dot');
});

test("the formals of flake.nix's outputs complete the declared inputs not taken yet; a module's, what the module system passes", async () => {
  const flake = '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs";\n  inputs.gpu.url = "github:me/gpu";\n  outputs = { self, nixpkgs, $0 }: { };\n}\n';
  assert.deepEqual(await labels(flake, FLAKE), ['gpu']);
  assert.deepEqual(await labels(flake.replace('self, ', ''), FLAKE), ['gpu', 'self']);
  assert.deepEqual(await labels('{ config, $0 ... }: { }'), ['lib', 'pkgs', 'options', 'modulesPath', 'inputs']);
  assert.deepEqual(await labels('let f = { a, $0 }: a; in f'), []);
});

test('nix-darwin: modules of a darwinSystem and darwin.nix complete from the darwin catalog; home.nix from the home-manager one', async () => {
  const flake = `{
  inputs.nix-darwin.url = "github:nix-darwin/nix-darwin";
  outputs = { self, nix-darwin, ... }: {
    darwinConfigurations.mac = nix-darwin.lib.darwinSystem {
      modules = [ ({ pkgs, ... }: { nix.linux-builder.$0 }) ];
    };
  };
}`;
  const builder = await labels(flake, FLAKE);
  for (const l of ['enable', 'ephemeral', 'maxJobs', 'config']) assert.ok(builder.includes(l), `${l} in ${builder.join(' ')}`);
  assert.ok(!builder.includes('package'), 'not the NixOS options');
  assert.deepEqual(await labels(flake.replace('nix.linux-builder.$0', '$0'), FLAKE).then(ls => ls.includes('homebrew') && ls.includes('launchd')), true);
  const darwinFile = 'file:///src/hosts/mac/darwin.nix';
  assert.ok((await labels('{ ... }: { homebrew.$0 }', darwinFile)).includes('casks'));
  // a module that sets what only nix-darwin has is read as one, whatever its name
  assert.ok((await labels('{ ... }: { homebrew.enable = true; launchd.$0 }', 'file:///src/hosts/mac/default.nix')).includes('daemons'));
  const hm = await labels('{ ... }: { home.stateVersion = "25.11"; services.ollama.$0 }', 'file:///src/home/alice.nix');
  for (const l of ['enable', 'acceleration', 'port', 'environmentVariables']) assert.ok(hm.includes(l), `${l} in ${hm.join(' ')}`);
  assert.ok(!(await labels('{ ... }: { boot.loader.grub.enable = true; homebrew.$0 }', 'file:///src/hosts/box/default.nix')).includes('casks'), 'a Linux module is NixOS');
});

test('flake-parts: the mkFlake module and its files complete systems, perSystem and flake; inside perSystem its outputs', async () => {
  const flake = `{
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs@{ flake-parts, ... }: flake-parts.lib.mkFlake { inherit inputs; } {
    systems = [ "x86_64-linux" ];
    perSystem = { pkgs, ... }: { $0 };
  };
}`;
  assert.deepEqual((await labels(flake, FLAKE)).filter(l => l !== 'inherit').sort(), ['apps', 'checks', 'devShells', 'formatter', 'legacyPackages', 'packages']);
  const top = await labels(flake.replace('perSystem = { pkgs, ... }: { $0 };', '$0'), FLAKE);
  for (const l of ['perSystem', 'flake', 'debug', 'imports']) assert.ok(top.includes(l), `${l} in ${top.join(' ')}`);
  assert.ok(!top.includes('inputs') && !top.includes('nixConfig'), 'not the flake schema');
  const part = await labels('{ ... }: { perSystem = { pkgs, ... }: { devShells.default = pkgs.mkShell { }; }; flake.$0 }', 'file:///src/parts/hosts.nix');
  for (const l of ['nixosConfigurations', 'nixosModules', 'overlays']) assert.ok(part.includes(l), `${l} in ${part.join(' ')}`);
  // flake.nix's own top stays the flake schema
  assert.deepEqual((await labels('{ $0 }', FLAKE)).sort(), ['description', 'inputs', 'nixConfig', 'outputs']);
});

test('home-manager inside a nix-darwin host: home-manager.users.<name> completes home-manager options', async () => {
  const flake = `{
  outputs = { self, nix-darwin, home-manager, ... }: {
    darwinConfigurations.mac = nix-darwin.lib.darwinSystem {
      modules = [ home-manager.darwinModules.home-manager { home-manager.users.alice = { services.ollama.$0 }; } ];
    };
  };
}`;
  const ls = await labels(flake, FLAKE);
  for (const l of ['enable', 'acceleration', 'port']) assert.ok(ls.includes(l), `${l} in ${ls.join(' ')}`);
});
