import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { firstError, run } from '../util/run';
import { FLAKE_FLAGS, type NixEnv } from './flakeOutputs';

/**
 * A dev shell's environment as `nix print-dev-env --json` gives it, reduced to what an editor
 * should take over: exported variables, without those that describe the build sandbox or the
 * shell itself. PATH is put in front of the editor's own.
 */
export interface DevEnv {
  /** Which shell: "flake#devShells.x86_64-linux.default" or "shell.nix". */
  source: string;
  variables: Record<string, string>;
}

const SKIP = new Set([
  'HOME', 'PWD', 'OLDPWD', 'SHELL', 'SHLVL', 'TERM', 'TMP', 'TEMP', 'TMPDIR', 'TEMPDIR', 'USER', 'LOGNAME', 'HOSTNAME',
  'NIX_BUILD_TOP', 'NIX_BUILD_CORES', 'NIX_LOG_FD', 'NIX_STORE', 'builder', 'out', 'outputs', 'shellHook', 'stdenv',
  'system', 'name', 'args', 'phases', 'SOURCE_DATE_EPOCH', 'IN_NIX_SHELL', 'NIX_ENFORCE_PURITY', '_', 'TZ', 'LANG',
]);

interface PrintDevEnv {
  variables?: Record<string, { type: string; value: unknown }>;
}

export function devEnvFromJson(json: string, source: string): DevEnv {
  const parsed = JSON.parse(json) as PrintDevEnv;
  const variables: Record<string, string> = {};
  for (const [name, v] of Object.entries(parsed.variables ?? {})) {
    if (v.type !== 'exported' || typeof v.value !== 'string' || SKIP.has(name)) continue;
    // Nix's placeholder when the shell sets no PATH of its own.
    if (name === 'PATH' && v.value === '/path-not-set') continue;
    variables[name] = v.value;
  }
  variables.IN_NIX_SHELL = 'impure';
  return { source, variables };
}

/** The files a shell's environment depends on; their contents make the cache key. */
export function shellInputs(dir: string, shellFile?: string): string[] {
  const files = shellFile ? [shellFile] : ['flake.nix', 'flake.lock'].map(f => path.join(dir, f));
  return files.filter(f => fs.existsSync(f));
}

export function cacheKey(source: string, files: readonly string[]): string {
  const hash = createHash('sha256').update(source);
  for (const f of files) hash.update(`\0${path.basename(f)}\0`).update(fs.readFileSync(f));
  return hash.digest('hex');
}

/** The argv that prints a shell's environment: a flake's devShell, or a shell.nix / default.nix. */
export function printDevEnvArgv(nix: string, dir: string, shell: { flakeAttr?: string; file?: string }): string[] {
  if (shell.file) return [nix, ...FLAKE_FLAGS, 'print-dev-env', '--json', '--impure', '--file', shell.file];
  return [nix, ...FLAKE_FLAGS, 'print-dev-env', '--json', '--no-write-lock-file', `${dir}#${shell.flakeAttr ?? 'default'}`];
}

export async function captureDevEnv(dir: string, shell: { flakeAttr?: string; file?: string }, nix: NixEnv): Promise<{ ok: true; env: DevEnv } | { ok: false; reason: string }> {
  const source = shell.file ? path.basename(shell.file) : `flake#${shell.flakeAttr ?? 'default'}`;
  const r = await run(printDevEnvArgv(nix.nix, dir, shell), { cwd: dir, env: nix.env, signal: nix.signal, timeoutMs: 30 * 60_000 });
  if (r.kind === 'ok') return { ok: true, env: devEnvFromJson(r.stdout, source) };
  if (r.kind === 'missing') return { ok: false, reason: `${r.command} is not installed` };
  if (r.kind === 'failed') return { ok: false, reason: firstError(r.stderr) };
  return { ok: false, reason: r.kind === 'cancelled' ? 'cancelled' : r.kind === 'timeout' ? 'timed out' : r.kind };
}

/** PATH-like variables go in front of what the editor already has; the rest replace it. */
export function mergedValue(name: string, value: string, current: string | undefined): string {
  if ((name === 'PATH' || name.endsWith('_PATH') || name === 'XDG_DATA_DIRS') && current) return `${value}:${current}`;
  return value;
}
