import * as fs from 'fs';
import * as path from 'path';
import { run, firstError, type RunResult } from '../util/run';

/**
 * What a workspace can build or enter, listed cheaply: only the attribute names of one output
 * (`nix eval --json DIR#nixosConfigurations --apply builtins.attrNames`), never the values.
 */
export type ConfigurationKind = 'nixos' | 'darwin' | 'home';

export const OUTPUT_OF: Record<ConfigurationKind, string> = {
  nixos: 'nixosConfigurations',
  darwin: 'darwinConfigurations',
  home: 'homeConfigurations',
};

export interface NixEnv {
  nix: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export type Listing = { ok: true; names: string[] } | { ok: false; reason: string; missing?: boolean };

export const FLAKE_FLAGS = ['--extra-experimental-features', 'nix-command flakes'];

/** `nix eval --json DIR#attr --apply builtins.attrNames`: the names, [] when the output does not exist. */
export async function attrNames(dir: string, attr: string, nix: NixEnv): Promise<Listing> {
  const r = await run([nix.nix, ...FLAKE_FLAGS, 'eval', '--json', '--no-write-lock-file', `${dir}#${attr}`, '--apply', 'builtins.attrNames'],
    { cwd: dir, env: nix.env, signal: nix.signal, timeoutMs: 120_000 });
  return listingOf(r);
}

function listingOf(r: RunResult): Listing {
  if (r.kind === 'ok') {
    const names = JSON.parse(r.stdout) as unknown;
    return { ok: true, names: Array.isArray(names) ? names.map(String) : [] };
  }
  if (r.kind === 'missing') return { ok: false, reason: `${r.command} is not installed`, missing: true };
  if (r.kind === 'failed' && isMissingOutput(r.stderr)) return { ok: true, names: [] };
  if (r.kind === 'failed') return { ok: false, reason: firstError(r.stderr) };
  return { ok: false, reason: r.kind === 'timeout' ? 'listing timed out' : r.kind };
}

/** Nix's answer when a flake has no such output (the listing is then empty, not failed). */
export function isMissingOutput(stderr: string): boolean {
  return /does not provide attribute|attribute '[^']+' missing/.test(stderr);
}

/** The system nix builds for here, e.g. x86_64-linux (for devShells.<system>). */
export async function currentSystem(nix: NixEnv, cwd: string): Promise<string | undefined> {
  const r = await run([nix.nix, ...FLAKE_FLAGS, 'eval', '--impure', '--raw', '--expr', 'builtins.currentSystem'], { cwd, env: nix.env, timeoutMs: 30_000 });
  return r.kind === 'ok' ? r.stdout.trim() : undefined;
}

/** The entry named like this machine, else the first. */
export function defaultTarget(names: readonly string[], hostname: string): string | undefined {
  const short = hostname.split('.')[0];
  return names.find(n => n === hostname) ?? names.find(n => n === short) ?? names[0];
}

/** Which kind of project a folder is, for the dev shell and rebuild commands. */
export interface Project {
  dir: string;
  flake: boolean;
  /** shell.nix or default.nix, for nix-shell. */
  shellFile?: string;
  devenv: boolean;
  flox: boolean;
  configurationNix?: string;
}

export function inspectProject(dir: string): Project {
  const has = (f: string) => fs.existsSync(path.join(dir, f));
  return {
    dir,
    flake: has('flake.nix'),
    shellFile: has('shell.nix') ? path.join(dir, 'shell.nix') : has('default.nix') ? path.join(dir, 'default.nix') : undefined,
    devenv: has('devenv.nix'),
    flox: has('.flox'),
    configurationNix: has('configuration.nix') ? path.join(dir, 'configuration.nix') : undefined,
  };
}
