import { createHash } from 'crypto';
import * as path from 'path';
import type { FlakeInputs } from './eval/value';
import { isNixpkgs, type FlakeLock, type LockNode } from './flakeLock';
import { releaseOfNode } from './release';

/**
 * Where a flake's inputs are: flake.lock pins each to a `narHash`, and Nix keeps the input's
 * source at the store path that hash determines (a fixed-output path of type "source", named
 * "source"). Computing it needs no evaluation and no network; the source is there on any machine
 * that has locked or built the flake. One reader for the configuration model (modules of inputs)
 * and for the editor features that go into an input.
 */

const BASE32 = '0123456789abcdfghijklmnpqrsvwxyz';

/** Nix's own base-32 (its alphabet, least significant bits first). */
function nixBase32(bytes: Uint8Array): string {
  const len = Math.ceil((bytes.length * 8) / 5);
  let out = '';
  for (let n = len - 1; n >= 0; n--) {
    const b = n * 5;
    const i = Math.floor(b / 8);
    const j = b % 8;
    const c = (bytes[i] >> j) | (i + 1 < bytes.length ? bytes[i + 1] << (8 - j) : 0);
    out += BASE32[c & 0x1f];
  }
  return out;
}

/** The bytes of a `sha256-…` (SRI) or `sha256:…` (base-16, base-32 or base-64) hash. */
function sha256Bytes(hash: string): Uint8Array | undefined {
  const sri = /^sha256-([A-Za-z0-9+/]+={0,2})$/.exec(hash);
  if (sri) {
    const b = Buffer.from(sri[1], 'base64');
    return b.length === 32 ? b : undefined;
  }
  const typed = /^sha256:([0-9a-z+/=]+)$/i.exec(hash);
  if (!typed) return undefined;
  const s = typed[1];
  if (/^[0-9a-f]{64}$/i.test(s)) return Buffer.from(s, 'hex');
  if (s.length === 52 && [...s].every(ch => BASE32.includes(ch))) {
    const out = new Uint8Array(32);
    for (let n = 0; n < s.length; n++) {
      const c = BASE32.indexOf(s[s.length - 1 - n]);
      const b = n * 5;
      const i = Math.floor(b / 8);
      const j = b % 8;
      out[i] |= (c << j) & 0xff;
      if (i + 1 < 32) out[i + 1] |= c >> (8 - j);
    }
    return out;
  }
  const b = Buffer.from(s, 'base64');
  return b.length === 32 ? b : undefined;
}

/** The store directory: NIX_STORE_DIR when set (a store of one's own), else /nix/store. */
export function storeDir(): string {
  return process.env.NIX_STORE_DIR || '/nix/store';
}

/** Is the file inside the store (a flake input's locked source)? */
export function inStore(file: string): boolean {
  return file.startsWith(`${storeDir()}/`);
}

/**
 * The store path of a source with this NAR hash: what Nix computes for a fixed-output path
 * ingested recursively with SHA-256 (`source:sha256:<hex>:<store>:<name>`, hashed, folded to 20
 * bytes, in Nix's base-32).
 */
export function sourceStorePath(narHash: string, name = 'source', store = storeDir()): string | undefined {
  const bytes = sha256Bytes(narHash);
  if (!bytes) return undefined;
  const fingerprint = `source:sha256:${Buffer.from(bytes).toString('hex')}:${store}:${name}`;
  const digest = createHash('sha256').update(fingerprint).digest();
  const folded = new Uint8Array(20);
  for (let i = 0; i < digest.length; i++) folded[i % 20] ^= digest[i];
  return `${store}/${nixBase32(folded)}-${name}`;
}

/** What an input is, from where it was locked: the repository name, or nixpkgs. */
export function inputKind(node: LockNode | undefined, name: string, url?: string): string {
  if (node && isNixpkgs(node)) return 'nixpkgs';
  const fromUrl = ownerAndRepo(node?.original?.url ?? node?.locked?.url) ?? ownerAndRepo(url);
  const owner = node?.original?.owner ?? node?.locked?.owner ?? fromUrl?.owner;
  const repo = node?.original?.repo ?? node?.locked?.repo ?? fromUrl?.repo;
  if (repo) return KIND_OF_REPO[`${owner ?? ''}/${repo}`.toLowerCase()] ?? repo.toLowerCase();
  if (url && /nixpkgs/i.test(url)) return 'nixpkgs';
  if (!url && /^nixpkgs\b/.test(name)) return 'nixpkgs';
  return name.toLowerCase();
}

/** Repositories known under another name (owner/repo). */
const KIND_OF_REPO: Record<string, string> = {
  'snowfallorg/lib': 'snowfall-lib',
};

function ownerAndRepo(url: string | undefined): { owner: string; repo: string } | undefined {
  if (!url) return undefined;
  const m = /^(?:github|gitlab|sourcehut):~?([^/]+)\/([^/?#]+)/.exec(url) ?? /^(?:git\+)?https?:\/\/[^/]+\/(?:([^/]+)\/)+?([^/?#]+?)(?:\.git)?(?:[/?#]|$)/.exec(url);
  return m ? { owner: m[1] ?? '', repo: m[2] } : undefined;
}

/** One input as flake.lock pins it. */
export interface LockedInput {
  name: string;
  /** The lock node's key, to reach the input's own inputs. */
  key: string;
  node: LockNode;
  kind: string;
  /** Where its source is in the store (whether or not it is there), and the flake's folder in it. */
  storePath?: string;
  dir?: string;
}

/** The input `name` of the flake at lock node `from` (the root when undefined), follows followed. */
export function lockedInput(lock: FlakeLock, name: string, from?: string): LockedInput | undefined {
  const key = inputKey(lock, from ?? lock.root, name, 0);
  const node = key ? lock.nodes[key] : undefined;
  if (!key || !node) return undefined;
  const hash = node.locked?.narHash;
  const storePath = hash ? sourceStorePath(hash) : undefined;
  const sub = node.locked?.dir ?? node.original?.dir;
  return { name, key, node, kind: inputKind(node, name), storePath, ...(storePath ? { dir: sub ? path.join(storePath, sub) : storePath } : {}) };
}

/** The lock node key an input of node `from` resolves to: a key, or a `follows` path from the root. */
function inputKey(lock: FlakeLock, from: string, name: string, depth: number): string | undefined {
  const ref = lock.nodes[from]?.inputs?.[name];
  if (typeof ref === 'string') return ref;
  if (!Array.isArray(ref) || depth > 16) return undefined;
  let key: string | undefined = lock.root;
  for (const step of ref) {
    key = key === undefined ? undefined : inputKey(lock, key, step, depth + 1);
  }
  return key;
}

/** The names of the inputs of lock node `from` (the root when undefined). */
export function lockedInputNames(lock: FlakeLock, from?: string): string[] {
  return Object.keys(lock.nodes[from ?? lock.root]?.inputs ?? {});
}

/** A flake's inputs for the evaluator: names, kinds, locked sources (when present), nixpkgs releases. */
export function flakeInputsOf(
  dir: string, declared: Readonly<Record<string, string>>, lock: FlakeLock | undefined, key: string | undefined, exists: (dir: string) => boolean,
): FlakeInputs {
  const names = new Set([...Object.keys(declared), ...(lock ? lockedInputNames(lock, key) : [])]);
  const locked = new Map<string, LockedInput | undefined>();
  const get = (name: string) => {
    if (!locked.has(name)) locked.set(name, lock ? lockedInput(lock, name, key) : undefined);
    return locked.get(name);
  };
  return {
    dir,
    names,
    key,
    lock,
    kind: name => inputKind(get(name)?.node, name, declared[name]),
    source: name => {
      const li = get(name);
      return li?.storePath && li.dir && li.node.flake !== false && exists(li.storePath) ? li.dir : undefined;
    },
    release: name => {
      const node = get(name)?.node;
      return node && isNixpkgs(node) ? releaseOfNode(node) : undefined;
    },
  };
}
