import { RELEASES } from '../options/catalog';
import { isNixpkgs, lockDate, parseLock, rootInput, type LockNode } from './flakeLock';

/**
 * The NixOS release a configuration is written against: from the setting, from the nixpkgs input
 * in flake.lock, or assumed (the newest stable one) when nothing says.
 */
export interface Release {
  /** "25.11", "unstable", … */
  name: string;
  source: 'setting' | 'flake.lock' | 'flake.nix' | 'assumed';
  /** For unstable (or a fork's own branch) from flake.lock: the day it was locked … */
  locked?: string;
  /** … and so the newest release it surely contains: changes after it may not be in yet. */
  floor?: string;
  /** The file is in no configuration: the release is the flake's, which may not be the file's. */
  unused?: boolean;
}

/** The newest stable release we know; assumed when nothing else says. */
export const NEWEST_STABLE = RELEASES.filter(r => r !== 'unstable').pop()!;

/** Release names order as numbers, and unstable after every numbered one. */
export function compareReleases(a: string, b: string): number {
  const rank = (r: string) => (r === 'unstable' ? Infinity : Number(r));
  return rank(a) - rank(b);
}

/**
 * How sure a release-dependent finding can be: `known` when the release is known (setting,
 * flake.lock, flake.nix); when it is only assumed, which nixpkgs the file meets is a guess, so
 * the finding is information (its message names the assumed release and how to set it).
 */
export function releaseSeverity<S extends 'error' | 'warning'>(release: Release, known: S): S | 'information' {
  return release.source === 'assumed' || release.unused ? 'information' : known;
}

export function atLeast(release: Release, min: string): boolean {
  return compareReleases(release.name, min) >= 0;
}

/**
 * Has the release surely got a change made in `since` (a rename, a removal, a new assertion)? An
 * unstable nixpkgs locked on a day has what was released by then; what came later may be missing.
 */
export function hasChange(release: Release, since: string): boolean {
  return compareReleases(release.floor ?? release.name, since) >= 0;
}

/** The newest release out by `day` (YYYY-MM-DD), counting each as out at the end of its month. */
export function releasedBy(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const md = m * 100 + d;
  const yy = (n: number) => String(n % 100).padStart(2, '0');
  return md >= 1130 ? `${yy(y)}.11` : md >= 531 ? `${yy(y)}.05` : `${yy(y - 1)}.11`;
}

/**
 * A nixpkgs lock node's release as configurations carry it: the branch's ("25.11"), or for
 * unstable and a fork's own branch, "unstable@DAY" with the day it was locked.
 */
export function releaseOfNode(node: LockNode): string | undefined {
  const o = node.original;
  const named = o?.type === 'indirect' ? (o.ref ? releaseOfRef(o.ref) : 'unstable') : releaseOfRef(o?.ref ?? refInUrl(o?.url));
  if (named && named !== 'unstable') return named;
  const t = node.locked?.lastModified;
  return typeof t === 'number' ? `unstable@${lockDate(t)}` : named;
}

/** A release name as configurations carry it ("25.11", "unstable@2025-11-27") -> a Release. */
export function parseRelease(name: string, source: Release['source']): Release {
  const m = /^unstable@(\d{4}-\d\d-\d\d)$/.exec(name);
  return m ? { name: 'unstable', source, locked: m[1], floor: releasedBy(m[1]) } : { name, source };
}

/** "NixOS 25.11 (from flake.lock)" — for messages whose truth depends on the release. */
export function describeRelease(release: Release): string {
  const name = release.locked ? `NixOS unstable as locked on ${release.locked}` : release.name === 'unstable' ? 'NixOS unstable' : `NixOS ${release.name}`;
  if (release.source === 'assumed') return `${name} (assumed; set nixAi.nixosRelease or lock nixpkgs to change it)`;
  const from = release.source === 'setting' ? 'nixAi.nixosRelease' : release.source === 'flake.nix' ? "flake.nix's nixpkgs url" : 'flake.lock';
  return `${name} (from ${from}${release.unused ? '; no configuration here uses this file' : ''})`;
}

/** A branch or tag of nixpkgs -> its release: nixos-25.11, release-25.05, nixpkgs-unstable, master. */
export function releaseOfRef(ref: string | undefined): string | undefined {
  if (ref === undefined || ref === '' || ref === 'master' || /unstable/.test(ref)) return 'unstable';
  return /(?:^|[-/])(\d\d\.\d\d)(?:$|[-/])/.exec(ref)?.[1];
}

/** The nixpkgs input's release named by a flake.lock's text, if it names one. */
export function releaseFromLock(lockText: string): string | undefined {
  const lock = parseLock(lockText);
  if (!lock) return undefined;
  const node = rootInput(lock, 'nixpkgs') ?? Object.values(lock.nodes).find(isNixpkgs);
  if (!node?.original || !isNixpkgs(node)) return undefined;
  return releaseOfNode(node);
}

export function refInUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const ref = /[?&]ref=([^&]+)/.exec(url)?.[1] ?? /nixpkgs\/(?:archive\/)?([^/?]+?)(?:\.tar\.gz)?(?:[?]|$)/.exec(url)?.[1];
  return ref ? decodeURIComponent(ref) : undefined;
}

/** The release a nixpkgs input's url names: "github:NixOS/nixpkgs/nixos-25.11", "…?ref=nixos-unstable". */
export function releaseFromUrl(url: string | undefined): string | undefined {
  if (!url || !/nixpkgs/i.test(url)) return undefined;
  const ref = /[?&]ref=([^&]+)/.exec(url)?.[1] ?? /^(?:github|gitlab|sourcehut):[^/]+\/[^/]+\/([^?]+)/.exec(url)?.[1] ?? /^(?:flake:)?nixpkgs\/([^?]+)/.exec(url)?.[1] ?? refInUrl(url);
  if (ref === undefined) return /^(github:[^/]+\/nixpkgs|(?:flake:)?nixpkgs)\/?$/i.test(url) ? 'unstable' : undefined;
  if (/^[0-9a-f]{40}$/.test(ref)) return undefined;
  return releaseOfRef(decodeURIComponent(ref));
}

/**
 * The release to assume: a setting other than "auto" wins, then flake.lock, then the branch in
 * flake.nix's nixpkgs url, then the newest stable.
 */
export function detectRelease(setting: string, lockText: string | undefined, nixpkgsUrl?: string): Release {
  if (setting && setting !== 'auto') return { name: setting, source: 'setting' };
  const fromLock = lockText === undefined ? undefined : releaseFromLock(lockText);
  if (fromLock) return parseRelease(fromLock, 'flake.lock');
  const fromUrl = releaseFromUrl(nixpkgsUrl);
  return fromUrl ? { name: fromUrl, source: 'flake.nix' } : { name: NEWEST_STABLE, source: 'assumed' };
}

/**
 * The release a configuration is built with: the setting wins; then the release of the nixpkgs
 * whose lib builds it (`nixpkgs-server.lib.nixosSystem`, from flake.lock); else the file's.
 */
export function releaseOf(cfg: { release?: string } | undefined, fallback: Release): Release {
  if (fallback.source === 'setting' || !cfg?.release) return fallback;
  return parseRelease(cfg.release, 'flake.lock');
}

/** The distinct releases among configurations (the fallback when there are none). */
export function releasesOf(configs: ReadonlyArray<{ release?: string }>, fallback: Release): Release[] {
  const out = new Map<string, Release>();
  for (const c of configs) {
    const r = releaseOf(c, fallback);
    out.set(`${r.name}@${r.locked ?? ''}`, r);
  }
  return out.size ? [...out.values()] : [fallback];
}
