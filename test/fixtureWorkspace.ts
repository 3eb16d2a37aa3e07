import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers';

export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** Nix settings that work offline, without a daemon or build users. */
export const NIX_CONFIG = 'build-users-group =\nsubstituters =\nexperimental-features = nix-command flakes';

/**
 * NIX_CONFIG for flakes offline: the settings above, no sandbox, and an empty flake registry
 * (nix would otherwise download the global one).
 */
export function offlineFlakeConfig(): string {
  const registry = path.join(tmpDir('registry'), 'registry.json');
  fs.writeFileSync(registry, '{"flakes":[],"version":2}');
  return `${NIX_CONFIG}\nflake-registry = ${registry}\nsandbox = false`;
}

export function tmpDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `nix-ai-${name}-`));
}

/** A workspace flake with one NixOS host, whose nixpkgs input is a fresh copy of the fixture nixpkgs. */
export function fixtureWorkspace(): { ws: string; nixpkgs: string } {
  const nixpkgs = path.join(tmpDir('nixpkgs'), 'nixpkgs');
  fs.cpSync(path.join(FIXTURES, 'nixpkgs-mini'), nixpkgs, { recursive: true });
  const ws = tmpDir('ws');
  fs.writeFileSync(path.join(ws, 'flake.nix'), `{
  inputs.nixpkgs.url = "path:${nixpkgs}";
  outputs = { self, nixpkgs }: {
    nixosConfigurations.gpu = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ]; };
  };
}
`);
  fs.writeFileSync(path.join(ws, 'configuration.nix'), '{ ... }: { hardware.nvidia.open = true; }\n');
  return { ws, nixpkgs };
}
