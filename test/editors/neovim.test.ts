import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { tmpDir } from '../fixtureWorkspace';
import { ROOT } from '../helpers';

/** Debian's neovim (0.7) with its built-in LSP client, headless, against the built server. */
test('Neovim: diagnostics, completion, hover, definition, rename and formatting from nix-ai-ls', () => {
  const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (version.error) throw new Error('nvim is not installed; this test runs the real Neovim (Debian: apt-get install neovim)');
  const dir = tmpDir('neovim');
  const file = path.join(dir, 'host.nix');
  fs.copyFileSync(path.join(ROOT, 'test', 'editors', 'host.nix'), file);
  const outFile = path.join(dir, 'answers.json');
  const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(ROOT, 'test', 'editors', 'neovim.lua')}`], {
    encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, NIX_AI_NODE: process.execPath, NIX_AI_SERVER: path.join(ROOT, 'dist', 'server.js'), NIX_AI_FILE: file, NIX_AI_OUT: outFile, XDG_STATE_HOME: dir, XDG_CACHE_HOME: dir, XDG_DATA_HOME: dir },
  });
  assert.ok(fs.existsSync(outFile), `nvim wrote no answers (exit ${r.status}): ${r.stderr}`);
  const got = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  assert.equal(got.error, undefined, got.error);
  assert.equal(r.status, 0);
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
});
