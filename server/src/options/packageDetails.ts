import * as fs from 'fs';
import * as path from 'path';
import { readJsonFile, writeFileAtomic } from '../util/files';
import { run } from '../util/run';
import { packageArgv, type EvalTarget } from './nixEval';

/** What the user's nixpkgs says about one package. */
export interface PackageDetail {
  version: string | null;
  description: string | null;
  homepage: string | null;
  license: string | string[] | null;
  /** A set of packages (`python3Packages`), not a package. */
  isSet: boolean | null;
}

export interface Stored {
  details: Record<string, PackageDetail>;
  sets: Record<string, string[]>;
}

export interface DetailDeps {
  nix: string;
  /** The cache file for this package set (beside the options cache, named by its key); none: kept in memory. */
  cacheFile?: string;
  timeoutMs: number;
  memoryLimitMb: number;
  log?: (message: string) => void;
}

/**
 * One package's version, description, homepage and licence, and the names in a nested set
 * (`python3Packages.`), asked of the user's nixpkgs when first wanted. Answers are kept in memory
 * and on disk, so a package is evaluated once per nixpkgs; one question at a time per path.
 */
export class PackageDetails {
  private stored: Stored;
  private readonly pending = new Map<string, Promise<unknown>>();
  /** Questions Nix could not answer (a package that throws): not asked again this session. */
  private readonly failed = new Set<string>();

  /**
   * `target`: what to evaluate for a package not known yet; none (a downloaded list) answers from
   * `known` alone.
   */
  constructor(private readonly target: EvalTarget | undefined, private readonly deps: DetailDeps, known?: Stored) {
    const file = deps.cacheFile;
    this.stored = known ?? (file ? readJsonFile(file, isStored, why => deps.log?.(`packages: the cache ${file} was unreadable (${why}); deleted`)) : undefined) ?? { details: {}, sets: {} };
  }

  detailNow(attrPath: readonly string[]): PackageDetail | undefined {
    return this.stored.details[attrPath.join('.')];
  }

  namesNow(attrPath: readonly string[]): string[] | undefined {
    return this.stored.sets[attrPath.join('.')];
  }

  async detail(attrPath: readonly string[], signal?: AbortSignal): Promise<PackageDetail | undefined> {
    const known = this.detailNow(attrPath);
    if (known) return known;
    const out = await this.ask(attrPath, 'details', signal);
    if (!isDetail(out)) return undefined;
    this.stored.details[attrPath.join('.')] = out;
    this.save();
    return out;
  }

  async names(attrPath: readonly string[], signal?: AbortSignal): Promise<string[] | undefined> {
    const known = this.namesNow(attrPath);
    if (known) return known;
    const out = await this.ask(attrPath, 'names', signal);
    if (!Array.isArray(out) || !out.every(n => typeof n === 'string')) return undefined;
    this.stored.sets[attrPath.join('.')] = out;
    this.save();
    return out;
  }

  private ask(attrPath: readonly string[], what: 'details' | 'names', signal?: AbortSignal): Promise<unknown> {
    const key = `${what}\0${attrPath.join('.')}`;
    if (this.failed.has(key)) return Promise.resolve(undefined);
    let p = this.pending.get(key);
    if (!p) {
      p = this.evaluate(attrPath, what, signal).then(out => {
        if (out === undefined && !signal?.aborted) this.failed.add(key);
        return out;
      }).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  private async evaluate(attrPath: readonly string[], what: 'details' | 'names', signal?: AbortSignal): Promise<unknown> {
    const argv = this.target && packageArgv(this.deps.nix, this.target, attrPath, what);
    if (!argv || !this.target) return undefined;
    const cwd = this.target.kind === 'flake' ? this.target.dir : this.deps.cacheFile ? path.dirname(this.deps.cacheFile) : process.cwd();
    fs.mkdirSync(cwd, { recursive: true });
    const r = await run(argv, { cwd, timeoutMs: this.deps.timeoutMs, memoryLimitMb: this.deps.memoryLimitMb, signal });
    if (r.kind !== 'ok') {
      if (r.kind !== 'cancelled') this.deps.log?.(`packages: could not evaluate ${attrPath.join('.')} (${r.kind}${r.kind === 'failed' ? `: ${r.stderr.trim().split('\n').pop()}` : ''})`);
      return undefined;
    }
    try {
      return JSON.parse(r.stdout);
    } catch {
      return undefined;
    }
  }

  private save(): void {
    const file = this.deps.cacheFile;
    if (!file) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, JSON.stringify(this.stored));
    } catch {
      // a cache we cannot write only costs an evaluation next time
    }
  }
}

function isDetail(d: unknown): d is PackageDetail {
  const x = d as PackageDetail | null;
  return typeof x === 'object' && x !== null && 'version' in x && 'description' in x;
}

function isStored(d: unknown): d is Stored {
  const x = d as Stored | null;
  return typeof x === 'object' && x !== null && typeof x.details === 'object' && x.details !== null && typeof x.sets === 'object' && x.sets !== null
    && Object.values(x.sets).every(list => Array.isArray(list));
}
