import assert from 'node:assert/strict';
import * as path from 'path';
import { test } from 'node:test';
import { matches, workspaceSymbols } from '../../server/src/features/workspaceSymbols';
import { workspaceOf } from '../helpers';

const FILES = {
  'flake.nix': `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
  outputs = { self, nixpkgs }: {
    nixosConfigurations.gpu-box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; };
    packages.x86_64-linux.llama-server = self.packages.x86_64-linux.default;
    devShells.x86_64-linux.cuda = { };
    nixosModules.ollama = ./ollama.nix;
  };
}`,
  'host.nix': '{ config, ... }: { imports = [ ./ollama.nix ]; services.llm.enable = true; }',
  'ollama.nix': `{ lib, ... }: {
  options.services.llm = {
    enable = lib.mkEnableOption "the LLM service";
    port = lib.mkOption { type = lib.types.port; default = 11434; };
  };
}`,
};

test('workspace symbols: configurations, modules, declared options, and what flakes export', async () => {
  const { analysis, docs } = await workspaceOf(FILES);
  const sources = {
    facts: analysis.facts().values(),
    flakes: [{ file: '/ws/flake.nix', doc: docs.get('/ws/flake.nix')! }],
    lines: (file: string) => docs.get(file)?.lines,
    label: (file: string) => path.relative('/ws', file),
  };
  const all = workspaceSymbols('', sources).map(s => `${s.kind} ${s.container} ${s.name} ${path.basename(s.file)}:${s.range.start.line}`).sort();
  assert.deepEqual(all, [
    'configuration nixosConfigurations gpu-box flake.nix:3',
    'devShell devShells.x86_64-linux cuda flake.nix:5',
    'module nixos module host.nix host.nix:0',
    'module nixos module ollama.nix ollama.nix:0',
    'module nixosModules ollama flake.nix:6',
    'option ollama.nix services.llm.enable ollama.nix:2',
    'option ollama.nix services.llm.port ollama.nix:3',
    'package packages.x86_64-linux llama-server flake.nix:4',
  ]);
  assert.deepEqual(workspaceSymbols('llmport', { ...sources, facts: analysis.facts().values() }).map(s => s.name), ['services.llm.port']);
  assert.ok(matches('gbx', 'gpu-box') && !matches('xg', 'gpu-box') && matches('', 'a'));
});
