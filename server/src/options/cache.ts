import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { OptionSetName } from '../analysis/moduleContext';
import type { OptionInfo } from './types';

/** Bump when OPTIONS_EXPR or the cached shape changes, so old caches are not read. */
export const CACHE_FORMAT = 1;

export interface CachedOptions {
  key: string;
  /** What was evaluated, for messages ("flake /src#nixosConfigurations.gpu"). */
  source: string;
  sets: Partial<Record<OptionSetName, OptionInfo[]>>;
  nixpkgsRev?: string;
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

export function readCache(dir: string, key: string): CachedOptions | undefined {
  try {
    const data = JSON.parse(fs.readFileSync(cacheFile(dir, key), 'utf8')) as CachedOptions;
    return data.key === key ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Write atomically (temp file + rename) so a crash never leaves half a cache. */
export function writeCache(dir: string, entry: CachedOptions): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = cacheFile(dir, entry.key);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(entry));
  fs.renameSync(tmp, file);
}

/** The nixpkgs revision flake.lock pins, for links to declarations. */
export function lockedNixpkgsRev(lockText: string | undefined): string | undefined {
  if (!lockText) return undefined;
  try {
    const lock = JSON.parse(lockText) as { nodes?: Record<string, { locked?: { rev?: string } }>; root?: string };
    const rootInputs = (lock.nodes?.[lock.root ?? 'root'] as { inputs?: Record<string, string | string[]> } | undefined)?.inputs ?? {};
    const node = typeof rootInputs.nixpkgs === 'string' ? rootInputs.nixpkgs : 'nixpkgs';
    return lock.nodes?.[node]?.locked?.rev;
  } catch {
    return undefined;
  }
}
