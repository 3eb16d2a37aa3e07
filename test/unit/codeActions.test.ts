import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeActions } from '../../server/src/features/codeActions';
import { diagnose } from '../../server/src/features/diagnostics';
import { parseDoc } from '../helpers';
import { applyFix, checkFix } from '../ruleFixtures';

const M = (body: string) => `{ config, lib, pkgs, ... }:\n{\n${body}\n}\n`;

test('"Ignore <code> on this line" adds a comment above, or the code to one already there; the finding goes', async () => {
  const text = M('  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";');
  const doc = await parseDoc(text);
  const [finding] = diagnose(doc).filter(f => f.code === 'prime-bus-id-format');
  const ignore = codeActions(doc, [finding]).find(a => a.title === 'Ignore prime-bus-id-format on this line')!;
  const after = applyFix(doc, { title: ignore.title, edits: ignore.edits, safe: false, preferred: false });
  assert.equal(after, M('  # nix-ai: ignore prime-bus-id-format\n  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";'));
  assert.deepEqual(diagnose(await parseDoc(after)).map(f => f.code), []);

  const two = await parseDoc(M('  # nix-ai: ignore unknown-option\n  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";'));
  const [f2] = diagnose(two).filter(f => f.code === 'prime-bus-id-format');
  const merged = codeActions(two, [f2]).find(a => a.title.startsWith('Ignore prime-bus-id-format on'))!;
  assert.equal(applyFix(two, { title: '', edits: merged.edits, safe: false, preferred: false }),
    M('  # nix-ai: ignore unknown-option prime-bus-id-format\n  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";'));
});

test('"Ignore <code> everywhere" runs the client command with the code; rule fixes come first, syntax errors get no ignore', async () => {
  const doc = await parseDoc(M('  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";\n  x = ;'));
  const found = diagnose(doc);
  const actions = codeActions(doc, found);
  assert.equal(actions[0].title, 'Use "PCI:196:0:0"');
  const everywhere = actions.find(a => a.title === 'Ignore prime-bus-id-format everywhere (setting)')!;
  assert.deepEqual(everywhere.command, { id: 'nixAi.ignoreCode', args: ['prime-bus-id-format'] });
  assert.deepEqual(everywhere.edits, []);
  assert.ok(!actions.some(a => a.title.includes('syntax-error')));
});

test('the other choice of each fix: a literal system, a CUDA-wide unfree predicate, removing amdvlk', async () => {
  await checkFix('impure-current-system', '{ outputs = { nixpkgs, ... }: { p = «import nixpkgs { }»; }; }', /system = "x86_64-linux"/,
    '{ outputs = { nixpkgs, ... }: { p = import nixpkgs { system = "x86_64-linux"; }; }; }', { uri: 'file:///work/flake.nix' });
  await checkFix('cuda-unfree', M('  nixpkgs.config.«cudaSupport» = true;'), /allowUnfreePredicate/,
    M('  nixpkgs.config.cudaSupport = true;\n  nixpkgs.config.allowUnfreePredicate = pkg: builtins.any (prefix: lib.hasPrefix prefix (lib.getName pkg)) [ "nvidia" "cuda" "libcu" "libnv" "libnpp" "cudnn" "nccl" "tensorrt" ];'),
    { uri: 'file:///work/configuration.nix' });
  await checkFix('removed-option', M('  hardware.graphics.enable = true;\n  «hardware.amdgpu.amdvlk.enable» = true;'), /Remove/, M('  hardware.graphics.enable = true;'));
});

test('more fixes: legacy driver names, a misspelt option, unfree in a flake, a deprecated option moved to its new home', async () => {
  await checkFix('removed-option', M('  services.xserver.videoDrivers = [ «"nvidiaBeta"» ];'), /Use "nvidia"/, M('  services.xserver.videoDrivers = [ "nvidia" ];'));
  await checkFix('unknown-option', M('  hardware.nvidia = { «opn» = true; };'), /^Change to hardware\.nvidia\.open$/, M('  hardware.nvidia = { open = true; };'));
  await checkFix('cuda-unfree', '{ outputs = { nixpkgs, ... }: { p = (import nixpkgs { system = "x86_64-linux"; }).«cudaPackages».cudatoolkit; }; }', /config\.allowUnfree/,
    '{ outputs = { nixpkgs, ... }: { p = (import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; }).cudaPackages.cudatoolkit; }; }', { uri: 'file:///work/flake.nix' });
  await checkFix('deprecated-option', M('  hardware.graphics.enable = true;\n  virtualisation.docker = {\n    enable = true;\n    «enableNvidia» = true;\n  };'), /^Rename to hardware\.nvidia-container-toolkit\.enable$/,
    M('  hardware.graphics.enable = true;\n  virtualisation.docker = {\n    enable = true;\n  };\n  hardware.nvidia-container-toolkit.enable = true;'));
});
