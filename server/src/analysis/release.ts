import { RELEASES } from '../options/catalog';
import { isNixpkgs, parseLock, rootInput } from './flakeLock';

/**
 * The NixOS release a configuration is written against: from the setting, from the nixpkgs input
 * in flake.lock, or assumed (the newest stable one) when nothing says.
 */
export interface Release {
  /** "25.11", "unstable", … */
  name: string;
  source: 'setting' | 'flake.lock' | 'flake.nix' | 'assumed';
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
  return release.source === 'assumed' ? 'information' : known;
}

export function atLeast(release: Release, min: string): boolean {
  return compareReleases(release.name, min) >= 0;
}

/** "NixOS 25.11 (from flake.lock)" — for messages whose truth depends on the release. */
export function describeRelease(release: Release): string {
  const name = release.name === 'unstable' ? 'NixOS unstable' : `NixOS ${release.name}`;
  if (release.source === 'assumed') return `${name} (assumed; set nixAi.nixosRelease or lock nixpkgs to change it)`;
  return `${name} (from ${release.source === 'setting' ? 'nixAi.nixosRelease' : release.source === 'flake.nix' ? "flake.nix's nixpkgs url" : 'flake.lock'})`;
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
  const original = (rootInput(lock, 'nixpkgs') ?? Object.values(lock.nodes).find(isNixpkgs))?.original;
  if (!original || !isNixpkgs({ original })) return undefined;
  if (original.type === 'indirect') return original.ref ? releaseOfRef(original.ref) : 'unstable';
  return releaseOfRef(original.ref ?? refInUrl(original.url));
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
  if (fromLock) return { name: fromLock, source: 'flake.lock' };
  const fromUrl = releaseFromUrl(nixpkgsUrl);
  return fromUrl ? { name: fromUrl, source: 'flake.nix' } : { name: NEWEST_STABLE, source: 'assumed' };
}

/**
 * The release a configuration is built with: the setting wins; then the release of the nixpkgs
 * whose lib builds it (`nixpkgs-server.lib.nixosSystem`, from flake.lock); else the file's.
 */
export function releaseOf(cfg: { release?: string } | undefined, fallback: Release): Release {
  if (fallback.source === 'setting' || !cfg?.release) return fallback;
  return { name: cfg.release, source: 'flake.lock' };
}

/** The distinct releases among configurations (the fallback when there are none). */
export function releasesOf(configs: ReadonlyArray<{ release?: string }>, fallback: Release): Release[] {
  const out = new Map<string, Release>();
  for (const c of configs) {
    const r = releaseOf(c, fallback);
    out.set(r.name, r);
  }
  return out.size ? [...out.values()] : [fallback];
}
