import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import * as zlib from 'zlib';
import { writeFileAtomic } from '../util/files';
import { parseOptionsJson } from './optionsJson';
import type { PackageDetail } from './packageDetails';
import type { OptionInfo } from './types';


/** Nothing we download may grow past this once decompressed (nixpkgs' packages.json is about 60 MB). */
const MAX_BYTES = 400 * 1024 * 1024;

export interface DownloadDeps {
  /** The channel's folder, with {channel} in it. */
  baseUrl: string;
  /** Where downloaded lists are kept, per channel. */
  cacheDir: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onStep?: (message: string) => void;
}

export interface Downloaded {
  channel: string;
  options: OptionInfo[];
  /** Top-level package names, nested sets' names, and each package's facts, from packages.json. */
  packages: { names: string[]; sets: Record<string, string[]>; details: Record<string, PackageDetail> };
  fromCache: boolean;
}

export type DownloadOutcome = { kind: 'ok'; data: Downloaded } | { kind: 'failed'; message: string } | { kind: 'cancelled' };

export function channelOf(release: string): string {
  return release === 'unstable' ? 'nixos-unstable' : `nixos-${release}`;
}

/**
 * The option and package lists of a NixOS release, from the disk cache or downloaded (the
 * compressed file as published, else the plain one). A download that is cut short, does not
 * decompress or is not the JSON we expect is discarded whole: nothing half-loaded, nothing cached.
 */
export async function downloadRelease(release: string, deps: DownloadDeps): Promise<DownloadOutcome> {
  const channel = channelOf(release);
  const dir = path.join(deps.cacheDir, channel);
  const cached = readCached(dir, channel);
  if (cached) return { kind: 'ok', data: cached };
  const base = deps.baseUrl.replace('{channel}', channel).replace(/\/+$/, '');
  const texts: Record<'options' | 'packages', string> = { options: '', packages: '' };
  for (const list of ['options', 'packages'] as const) {
    deps.onStep?.(`Downloading the ${list} of NixOS ${release}`);
    const got = await fetchList(`${base}/${list}.json`, deps);
    if (got.kind !== 'ok') return got.kind === 'cancelled' ? got : { kind: 'failed', message: `${list}.json of ${channel}: ${got.message}` };
    texts[list] = got.text;
  }
  let data: Downloaded;
  try {
    data = { channel, options: parseOptionsJson(texts.options, `NixOS ${release} (downloaded)`), packages: parsePackagesJson(texts.packages), fromCache: false };
  } catch (e) {
    return { kind: 'failed', message: `the lists of ${channel} are not what NixOS publishes (${(e as Error).message}); discarded` };
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(path.join(dir, 'options.json'), texts.options);
    writeFileAtomic(path.join(dir, 'packages.json'), texts.packages);
  } catch {
    // without a cache the lists are downloaded again next time
  }
  return { kind: 'ok', data };
}

function readCached(dir: string, channel: string): Downloaded | undefined {
  try {
    const options = fs.readFileSync(path.join(dir, 'options.json'), 'utf8');
    const packages = fs.readFileSync(path.join(dir, 'packages.json'), 'utf8');
    return { channel, options: parseOptionsJson(options, `${channel} (downloaded)`), packages: parsePackagesJson(packages), fromCache: true };
  } catch {
    return undefined;
  }
}

type Fetched = { kind: 'ok'; text: string } | { kind: 'failed'; message: string } | { kind: 'cancelled' };

/** `url`.br decompressed, else `url` itself. */
async function fetchList(url: string, deps: DownloadDeps): Promise<Fetched> {
  const compressed = await fetchBytes(`${url}.br`, deps);
  if (compressed.kind === 'ok') {
    try {
      return { kind: 'ok', text: zlib.brotliDecompressSync(compressed.bytes, { maxOutputLength: MAX_BYTES }).toString('utf8') };
    } catch (e) {
      return { kind: 'failed', message: `${url}.br does not decompress (${(e as Error).message}); discarded` };
    }
  }
  if (compressed.kind === 'cancelled') return compressed;
  if (compressed.kind === 'failed' && compressed.status !== 404) return compressed;
  const plain = await fetchBytes(url, deps);
  return plain.kind === 'ok' ? { kind: 'ok', text: plain.bytes.toString('utf8') } : plain;
}

type Bytes = { kind: 'ok'; bytes: Buffer } | { kind: 'failed'; message: string; status?: number } | { kind: 'cancelled' };

/** GET with a timeout, a size cap and cancellation; a body shorter than its Content-Length is a failure. */
function fetchBytes(url: string, deps: DownloadDeps): Promise<Bytes> {
  return new Promise(resolve => {
    if (deps.signal?.aborted) return resolve({ kind: 'cancelled' });
    const get = url.startsWith('https:') ? https.get : http.get;
    let settled = false;
    const done = (r: Bytes) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      deps.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const req = get(url, res => {
      if (res.statusCode !== 200) {
        res.resume();
        return done({ kind: 'failed', message: `${url} answered ${res.statusCode}`, status: res.statusCode });
      }
      const expected = Number(res.headers['content-length'] ?? NaN);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) {
          req.destroy();
          done({ kind: 'failed', message: `${url} is larger than ${MAX_BYTES / 1024 / 1024} MB` });
        } else chunks.push(c);
      });
      res.on('end', () => {
        if (Number.isFinite(expected) && size !== expected) done({ kind: 'failed', message: `${url} was cut short (${size} of ${expected} bytes); discarded` });
        else done({ kind: 'ok', bytes: Buffer.concat(chunks) });
      });
      res.on('aborted', () => done({ kind: 'failed', message: `${url} was cut short; discarded` }));
      res.on('error', e => done({ kind: 'failed', message: `${url}: ${e.message}` }));
    });
    req.on('error', e => done({ kind: 'failed', message: `${url} cannot be reached (${e.message})` }));
    const timer = setTimeout(() => {
      req.destroy();
      done({ kind: 'failed', message: `${url} did not answer in ${Math.round(deps.timeoutMs / 1000)} s` });
    }, deps.timeoutMs);
    const onAbort = () => {
      req.destroy();
      done({ kind: 'cancelled' });
    };
    deps.signal?.addEventListener('abort', onAbort);
  });
}

interface PublishedPackage {
  version?: unknown;
  meta?: { description?: unknown; homepage?: unknown; license?: unknown };
}

/** packages.json as NixOS publishes it: { version, packages: { "attr.path": { version, meta } } }. */
export function parsePackagesJson(json: string): Downloaded['packages'] {
  const data = JSON.parse(json) as { packages?: Record<string, PublishedPackage> };
  if (!data || typeof data.packages !== 'object' || data.packages === null) throw new Error('no packages in packages.json');
  const names = new Set<string>();
  const sets: Record<string, string[]> = {};
  const details: Record<string, PackageDetail> = {};
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  for (const [attr, p] of Object.entries(data.packages)) {
    const parts = attr.split('.');
    names.add(parts[0]);
    for (let i = 1; i < parts.length; i++) (sets[parts.slice(0, i).join('.')] ??= []).push(parts[i]);
    const homepage = Array.isArray(p?.meta?.homepage) ? p.meta!.homepage[0] : p?.meta?.homepage;
    details[attr] = { version: text(p?.version), description: text(p?.meta?.description), homepage: text(homepage), license: licenseOf(p?.meta?.license), isSet: false };
  }
  for (const set of Object.keys(sets)) sets[set] = [...new Set(sets[set])].sort();
  return { names: [...names].sort(), sets, details };
}

function licenseOf(l: unknown): string | string[] | null {
  if (Array.isArray(l)) return l.map(licenseOf).filter((x): x is string => typeof x === 'string');
  if (typeof l === 'string') return l;
  if (l && typeof l === 'object') {
    const o = l as { spdxId?: unknown; shortName?: unknown; fullName?: unknown };
    const id = o.spdxId ?? o.shortName ?? o.fullName;
    return typeof id === 'string' ? id : null;
  }
  return null;
}
