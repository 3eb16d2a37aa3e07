import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEditor } from './run';

/** Debian's neovim (0.7) with its built-in LSP client, headless, against the built server. */
test('Neovim: diagnostics, completion, hover, definition (also through a flake input), rename and formatting from nix-ai-ls', () => {
  const { answers: got, status } = runEditor({
    name: 'Neovim', script: 'neovim.lua', install: 'neovim',
    argv: script => ['nvim', '--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${script}`],
  });
  assert.equal(got.error, undefined, got.error);
  assert.equal(status, 0);
  assert.deepEqual(got.diagnostics.map((d: any) => [d.line, d.code]), [[6, 'deprecated-option']]);
  assert.match(got.diagnostics[0].message, /^hardware\.opengl\.enable was renamed in NixOS 24\.11/);
  assert.ok(got.completion.includes('open') && got.completion.includes('package'), got.completion.join(' '));
  assert.match(got.hover, /allowUnfree/);
  assert.deepEqual(got.definition, { line: 2, character: 2 });
  assert.match(got.refused, /'pkgs' is passed by name/);
  assert.deepEqual(got.text, [
    '{ pkgs, ... }:',
    'let',
    '  cudaPkgs = pkgs.cudaPackages;',
    'in',
    '{',
    '  nixpkgs.config.allowUnfree = false;',
    '  hardware.opengl.enable = true;',
    '  hardware.nvidia.open = true;',
    '  services.xserver.videoDrivers = [ "nvidia" ];',
    '  environment.systemPackages = [ cudaPkgs.cudatoolkit ];',
    '}',
  ]);
  assert.deepEqual(got.definitionAfterEdits, { line: 2, character: 2 });
  assert.match(got.inputDefinition, /^file:\/\/.*-source\/tuned\.nix$/, 'through the flake input into its locked source');
});
