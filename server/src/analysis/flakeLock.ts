/** flake.lock, read once: what each input of the root flake is locked to. */

export interface LockNode {
  inputs?: Record<string, string | string[]>;
  locked?: { type?: string; owner?: string; repo?: string; rev?: string; lastModified?: number; narHash?: string; url?: string; ref?: string; path?: string; dir?: string };
  original?: { type?: string; owner?: string; repo?: string; ref?: string; url?: string; id?: string; path?: string; dir?: string };
  /** false for an input that is not a flake (`flake = false`). */
  flake?: boolean;
}

export interface FlakeLock {
  root: string;
  nodes: Record<string, LockNode>;
}

export function parseLock(text: string | undefined): FlakeLock | undefined {
  if (!text) return undefined;
  try {
    const lock = JSON.parse(text) as { root?: unknown; nodes?: unknown };
    if (typeof lock.nodes !== 'object' || lock.nodes === null) return undefined;
    return { root: typeof lock.root === 'string' ? lock.root : 'root', nodes: lock.nodes as Record<string, LockNode> };
  } catch {
    return undefined;
  }
}

/**
 * The node an input of the root flake is locked to. A `follows` (a path of input names from the
 * root) is followed, at most 16 deep.
 */
export function rootInput(lock: FlakeLock, name: string): LockNode | undefined {
  return target(lock, lock.nodes[lock.root], name, 0);
}

function target(lock: FlakeLock, from: LockNode | undefined, name: string, depth: number): LockNode | undefined {
  const ref = from?.inputs?.[name];
  if (typeof ref === 'string') return lock.nodes[ref];
  if (!Array.isArray(ref) || depth > 16) return undefined;
  let node: LockNode | undefined = lock.nodes[lock.root];
  for (const step of ref) node = target(lock, node, step, depth + 1);
  return node;
}

/** A nixpkgs input, by what it was locked from (github:NixOS/nixpkgs, the nixpkgs registry entry, a nixpkgs URL). */
export function isNixpkgs(node: LockNode | undefined): boolean {
  const o = node?.original;
  if (!o) return false;
  return o.repo?.toLowerCase() === 'nixpkgs' || o.id === 'nixpkgs' || /nixpkgs/i.test(o.url ?? '');
}

const DAY_MS = 86_400_000;

/** The day a lock's `lastModified` (seconds) falls on, as YYYY-MM-DD. */
export function lockDate(lastModified: number): string {
  return new Date(lastModified * 1000).toISOString().slice(0, 10);
}

/** Whole days from a lock's `lastModified` (seconds) to `now` (milliseconds). */
export function daysSince(lastModified: number, now: number): number {
  return Math.floor((now - lastModified * 1000) / DAY_MS);
}
