import * as fs from 'fs';
import * as path from 'path';
import type { OptionSetName } from '../analysis/moduleContext';
import type { NixParser } from '../parse/language';
import { readTextFile } from '../util/files';
import { firstError, run, type RunResult } from '../util/run';
import { cacheKey, lockedNixpkgsRev, readCache, writeCache, type CachedOptions } from './cache';
import { discoverSource, pickName, safeAttrName, type OptionSource, type SourceSettings } from './discover';
import { findNixpkgsArgv, flakeArgv, flakeNamesArgv, nixpkgsArgv, parseEvalOutput, type EvalTarget, type LibEntry } from './nixEval';
import { parseOptionsJson } from './optionsJson';
import type { OptionInfo } from './types';

export interface LoaderDeps {
  parser: NixParser;
  /** The `nix` executable. */
  nix: string;
  cacheDir: string;
  timeoutMs: number;
  memoryLimitMb: number;
  hostname: string;
  signal?: AbortSignal;
  onSpawn?: (pid: number) => void;
  /** Evaluate even when the cache has an answer (the user asked for a reload). */
  fresh?: boolean;
  /** Told what is happening, for progress reports. */
  onStep?: (message: string) => void;
  /** Told of a cache that was unreadable and deleted. */
  log?: (message: string) => void;
}

/** What a load brings: option sets, and from an evaluation the package names and lib entries too. */
export interface Loaded {
  sets: Partial<Record<OptionSetName, OptionInfo[]>>;
  packages?: string[];
  lib?: LibEntry[];
  /** What was evaluated, to ask it about one package later. */
  target?: EvalTarget;
  nixpkgsRev?: string;
}

export type LoadOutcome =
  /** `key`: the cache key of an evaluation, which names the caches that go with it. */
  | ({ kind: 'loaded'; fromCache: boolean; source: string; key?: string } & Loaded)
  | { kind: 'failed'; source: string; message: string; nixMissing?: boolean }
  | { kind: 'cancelled' };

/** Load the option set that applies to a workspace folder: from the cache, a file, or by evaluating. */
export async function loadOptions(folder: string, settings: SourceSettings, deps: LoaderDeps): Promise<LoadOutcome> {
  const source = discoverSource(folder, settings, deps.parser, deps.hostname);
  if (source.kind === 'json') return loadJson(source.file);
  if (source.kind === 'flake') {
    const main = await loadFlake(source, deps);
    if (main.kind !== 'loaded' || !source.also) return main;
    // a flake with NixOS hosts and Macs: the darwin set too (its failure leaves the NixOS one)
    const also = await loadFlake({ kind: 'flake', dir: source.dir, ...source.also }, deps);
    if (also.kind !== 'loaded') {
      deps.log?.(`nix-ai: the nix-darwin options of ${source.dir} were not loaded: ${also.kind === 'failed' ? also.message : 'cancelled'}`);
      return main;
    }
    return { ...main, source: `${main.source} and ${also.source}`, sets: { ...also.sets, ...main.sets, ...(also.sets.darwin ? { darwin: also.sets.darwin } : {}) } };
  }
  return loadNixpkgs(source, deps);
}

function loadJson(file: string): LoadOutcome {
  const text = readTextFile(file);
  const label = `options file ${file}`;
  if (text === undefined) return { kind: 'failed', source: label, message: 'the file cannot be read' };
  try {
    return { kind: 'loaded', fromCache: false, source: label, sets: { nixos: parseOptionsJson(text, label) } };
  } catch (e) {
    return { kind: 'failed', source: label, message: `not an options.json: ${(e as Error).message}` };
  }
}

async function loadFlake(source: Extract<OptionSource, { kind: 'flake' }>, deps: LoaderDeps): Promise<LoadOutcome> {
  let name = source.name;
  const what = (n?: string) => `flake ${source.dir}#${source.output}${n ? `.${n}` : ''}`;
  if (!name) {
    deps.onStep?.(`Listing ${source.output}`);
    const listed = await runNix(flakeNamesArgv(deps.nix, source.dir, source.output), source.dir, deps);
    if (listed.kind !== 'ok') return failure(listed, what());
    name = pickName(JSON.parse(listed.stdout) as string[], '', deps.hostname);
    if (!name) return { kind: 'failed', source: what(), message: `${source.output} is empty` };
  }
  if (!safeAttrName(name)) return { kind: 'failed', source: what(name), message: `cannot evaluate an entry named ${JSON.stringify(name)}` };
  const lock = readTextFile(path.join(source.dir, 'flake.lock'));
  const key = cacheKey(['flake', source.dir, source.output, name, lock ?? readTextFile(path.join(source.dir, 'flake.nix')) ?? '']);
  const label = what(name);
  const nixpkgsRev = lockedNixpkgsRev(lock);
  return cachedOr(key, label, deps, async () => {
    deps.onStep?.(`Evaluating ${label}`);
    const r = await runNix(flakeArgv(deps.nix, source.dir, source.output, name!), source.dir, deps);
    if (r.kind !== 'ok') return failure(r, label);
    const { options, packages, lib } = parseEvalOutput(r.stdout, label);
    const sets = source.output === 'homeConfigurations' ? { 'home-manager': options } : splitHomeManager(options, source.output === 'darwinConfigurations' ? 'darwin' : 'nixos');
    const target: EvalTarget = { kind: 'flake', dir: source.dir, output: source.output, name: name! };
    return { kind: 'loaded', fromCache: false, source: label, sets, packages, lib, target, ...(nixpkgsRev ? { nixpkgsRev } : {}) };
  });
}

async function loadNixpkgs(source: Extract<OptionSource, { kind: 'nixpkgs' }>, deps: LoaderDeps): Promise<LoadOutcome> {
  let where = source.path;
  if (!where) {
    const found = await runNix(findNixpkgsArgv(deps.nix), deps.cacheDir, deps);
    if (found.kind === 'failed') {
      return { kind: 'failed', source: '<nixpkgs>', message: 'there is no flake.nix here and <nixpkgs> is not on NIX_PATH; set nixAi.options.nixpkgs to a nixpkgs checkout' };
    }
    if (found.kind !== 'ok') return failure(found, '<nixpkgs>');
    where = found.stdout.trim();
  }
  let real: string;
  try {
    real = fs.realpathSync(where);
  } catch {
    return { kind: 'failed', source: `nixpkgs at ${where}`, message: 'the path does not exist' };
  }
  const label = `nixpkgs at ${real}`;
  return cachedOr(cacheKey(['nixpkgs', real]), label, deps, async () => {
    deps.onStep?.(`Evaluating NixOS options of ${label}`);
    const r = await runNix(nixpkgsArgv(deps.nix, source.path ? real : undefined), deps.cacheDir, deps);
    if (r.kind !== 'ok') return failure(r, label);
    const { options, packages, lib } = parseEvalOutput(r.stdout, label);
    const target: EvalTarget = { kind: 'nixpkgs', ...(source.path ? { path: real } : {}) };
    return { kind: 'loaded', fromCache: false, source: label, sets: splitHomeManager(options), packages, lib, target };
  });
}

async function cachedOr(key: string, source: string, deps: LoaderDeps, evaluate: () => Promise<LoadOutcome>): Promise<LoadOutcome> {
  const hit = deps.fresh ? undefined : readCache(deps.cacheDir, key, deps.log);
  if (hit) {
    const { key: _key, source: cachedSource, ...loaded } = hit;
    return { kind: 'loaded', fromCache: true, source: cachedSource, key, ...loaded };
  }
  const outcome = await evaluate();
  if (outcome.kind === 'loaded') {
    const { kind: _kind, fromCache: _from, source: _source, key: _key, ...loaded } = outcome;
    const entry: CachedOptions = { key, source, ...loaded };
    try {
      writeCache(deps.cacheDir, entry);
    } catch {
      // A cache we cannot write only costs time on the next start.
    }
    return { ...outcome, key };
  }
  return outcome;
}

function runNix(argv: string[], cwd: string, deps: LoaderDeps): Promise<RunResult> {
  fs.mkdirSync(cwd, { recursive: true });
  return run(argv, { cwd, timeoutMs: deps.timeoutMs, memoryLimitMb: deps.memoryLimitMb, signal: deps.signal, onSpawn: deps.onSpawn });
}

function failure(r: Exclude<RunResult, { kind: 'ok' }>, source: string): LoadOutcome {
  switch (r.kind) {
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'missing':
      return { kind: 'failed', source, nixMissing: true, message: `${r.command} was not found; install Nix or set nixAi.nix.path` };
    case 'timeout':
      return { kind: 'failed', source, message: `the evaluation took longer than ${Math.round(r.afterMs / 1000)} s and was stopped (nixAi.options.timeoutSeconds)` };
    case 'memory':
      return { kind: 'failed', source, message: `the evaluation used more than ${r.limitMb} MB and was stopped (nixAi.options.memoryLimitMB)` };
    default:
      return { kind: 'failed', source, message: firstError(r.stderr) };
  }
}

/** Options of the home-manager NixOS module (`home-manager.users.<name>.*`) also form the home-manager set. */
export function splitHomeManager(options: OptionInfo[], set: 'nixos' | 'darwin' = 'nixos'): Partial<Record<OptionSetName, OptionInfo[]>> {
  const prefix = 'home-manager.users.<name>.';
  const hm = options.filter(o => o.name.startsWith(prefix)).map(o => ({ ...o, name: o.name.slice(prefix.length) }));
  return hm.length ? { [set]: options, 'home-manager': hm } : { [set]: options };
}
