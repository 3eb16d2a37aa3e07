import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parseLock, rootInput } from '../analysis/flakeLock';
import { readJsonFile, writeFileAtomic } from '../util/files';
import type { Loaded } from './loader';

/** Bump when OPTIONS_EXPR or the cached shape changes, so old caches are not read. */
export const CACHE_FORMAT = 2;

export interface CachedOptions extends Loaded {
  key: string;
  /** What was evaluated, for messages ("flake /src#nixosConfigurations.gpu"). */
  source: string;
}

export function cacheKey(parts: readonly string[]): string {
  const h = createHash('sha256');
  h.update(`nix-ai options v${CACHE_FORMAT}\0`);
  for (const p of parts) h.update(`${p}\0`);
  return h.digest('hex');
}

function cacheFile(dir: string, key: string): string {
  return path.join(dir, `options-${key.slice(0, 32)}.json`);
}

/**
 * The cached options for `key`, if any. A cache file that is not what we write (cut short,
 * edited, from a broken disk) is deleted and `discarded` is told why: the options are then
 * evaluated again instead of half-loaded.
 */
export function readCache(dir: string, key: string, discarded?: (message: string) => void): CachedOptions | undefined {
  const file = cacheFile(dir, key);
  const data = readJsonFile(file, isCachedOptions, why => discarded?.(`options: the cache ${file} was unreadable (${why}); deleted, the options are evaluated again`));
  return data?.key === key ? data : undefined;
}

function isCachedOptions(d: unknown): d is CachedOptions {
  const c = d as CachedOptions | null;
  return typeof c === 'object' && c !== null && typeof c.key === 'string' && typeof c.source === 'string'
    && typeof c.sets === 'object' && c.sets !== null && Object.values(c.sets).every(list => Array.isArray(list) && list.every(o => typeof o?.name === 'string'))
    && (c.packages === undefined || (Array.isArray(c.packages) && c.packages.every(n => typeof n === 'string')))
    && (c.lib === undefined || (Array.isArray(c.lib) && c.lib.every(e => typeof e?.name === 'string')));
}

/** Write atomically (temp file + rename) so a crash never leaves half a cache. */
export function writeCache(dir: string, entry: CachedOptions): void {
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(cacheFile(dir, entry.key), JSON.stringify(entry));
}

/** The nixpkgs revision flake.lock pins, for links to declarations. */
export function lockedNixpkgsRev(lockText: string | undefined): string | undefined {
  const lock = parseLock(lockText);
  return lock && (rootInput(lock, 'nixpkgs') ?? lock.nodes.nixpkgs)?.locked?.rev;
}
