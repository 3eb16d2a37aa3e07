import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { parentPort, Worker, workerData } from 'worker_threads';
import type { ModuleFacts } from '../analysis/facts';
import { loadParser } from '../parse/native';
import type { Severity } from '../rules/types';
import { FileChecker, KEEP_TREES_BYTES, type CheckOptions } from './checkFiles';
import type { FileReport } from './report';

/**
 * `nix-ai check --jobs N`: the files are shared among N worker threads. Each worker reads and
 * parses its share and sends what each file says about the others (facts); every worker then gets
 * all the facts, analyses the configurations as one thread would, and checks its own files. The
 * reports come back in the order one thread gives them: the output is the same byte for byte.
 */

/** Below this much Nix per worker a worker costs more to start than it saves. */
const MIN_BYTES_PER_WORKER = 512 * 1024;

/** The worker threads' own marker in workerData. */
const KIND = 'nix-ai-check-worker';

interface Job {
  kind: typeof KIND;
  /** Where the parser's files are (the bundle's folder). */
  dir: string;
  all: string[];
  mine: string[];
  release: string;
  ignore: string[];
  severity?: Severity;
  /** This worker's share of the trees kept between the passes (bytes). */
  keepTrees: number;
}

/**
 * Facts travel serialized (v8.serialize of [file, facts] pairs): the main thread only passes the
 * bytes on, instead of reading every worker's facts and writing them again for each other worker.
 */
type FromWorker =
  | { type: 'facts'; facts: Uint8Array; unreadable: FileReport[] }
  | { type: 'reports'; reports: FileReport[] };
type ToWorker = { type: 'seed'; facts: Uint8Array[] };
type Facts = Array<[string, ModuleFacts | undefined]>;

/** The cores this process may use. */
function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/**
 * How many workers to check `files` on: `jobs` when asked for (no more than the files), else as
 * many as the cores where there is enough Nix to share (a few small files: none, one thread).
 */
export function workersFor(files: readonly string[], jobs: number | undefined): number {
  let n = Math.min(jobs ?? availableCores(), files.length);
  if (jobs === undefined) {
    let bytes = 0;
    for (const f of files) bytes += sizeOf(f);
    n = Math.min(n, Math.floor(bytes / MIN_BYTES_PER_WORKER));
  }
  return n >= 2 ? n : 0;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * The files as one thread would see them (a file named twice counts once, at its first place,
 * under its last name), shared among `count` workers by size, the largest first.
 */
function share(files: readonly string[], count: number): { all: string[]; shares: string[][] } {
  const named = new Map<string, string>();
  for (const f of files) named.set(path.resolve(f), f);
  const all = [...named.keys()];
  const shares: string[][] = Array.from({ length: count }, () => []);
  const load = new Array<number>(count).fill(0);
  const sized = all.map(f => ({ f, size: sizeOf(f) })).sort((a, b) => b.size - a.size || (a.f < b.f ? -1 : 1));
  for (const { f, size } of sized) {
    let least = 0;
    for (let i = 1; i < count; i++) if (load[i] < load[least]) least = i;
    shares[least].push(named.get(f)!);
    load[least] += size;
  }
  // each share in the order the files were given
  const order = new Map(all.map((f, i) => [f, i]));
  for (const s of shares) s.sort((a, b) => order.get(path.resolve(a))! - order.get(path.resolve(b))!);
  return { all, shares };
}

/**
 * Check `files` on `count` workers started from `entry` (the CLI's own script, which calls
 * runCheckWorker in a worker). Unreadable files are added to `unreadable`, the rest returned.
 */
export async function checkInWorkers(entry: string, dir: string, files: readonly string[], args: CheckOptions, count: number, unreadable: FileReport[]): Promise<FileReport[]> {
  const { all, shares } = share(files, count);
  const workers = shares.map(mine => new Worker(entry, {
    workerData: {
      kind: KIND, dir, all, mine, release: args.release, ignore: [...args.ignore], severity: args.severity,
      keepTrees: Math.floor(KEEP_TREES_BYTES / count),
    } satisfies Job,
  }));
  const facts: Uint8Array[] = [];
  const reports: FileReport[][] = [];
  const lost: FileReport[][] = [];
  try {
    await Promise.all(workers.map((w, i) => new Promise<void>((resolve, reject) => {
      w.on('message', (m: FromWorker) => {
        if (m.type === 'facts') {
          facts[i] = m.facts;
          lost[i] = m.unreadable;
          // every share's facts are in: each worker gets the others'
          if (facts.filter(Boolean).length === workers.length) {
            workers.forEach((other, j) => other.postMessage({ type: 'seed', facts: facts.filter((_, k) => k !== j) } satisfies ToWorker));
          }
        } else {
          reports[i] = m.reports;
          resolve();
        }
      });
      w.on('error', reject);
      w.on('exit', code => (reports[i] ? resolve() : reject(new Error(`a check worker stopped (exit ${code}) before it reported`))));
    })));
  } finally {
    await Promise.all(workers.map(w => w.terminate()));
  }
  for (const u of lost) unreadable.push(...u);
  // back in the order the files were given
  const order = new Map(all.map((f, i) => [f, i]));
  return reports.flat().sort((a, b) => order.get(path.resolve(a.path))! - order.get(path.resolve(b.path))!);
}

/** In a worker thread started by checkInWorkers: do its share, then end. True when this is such a worker. */
export function runCheckWorker(): boolean {
  const job = workerData as Job | undefined;
  if (!parentPort || job?.kind !== KIND) return false;
  const port = parentPort;
  void (async () => {
    const parser = await loadParser(job.dir, () => undefined);
    const unreadable: FileReport[] = [];
    const checker = new FileChecker(parser, job.all, job.mine, unreadable, job.keepTrees);
    port.once('message', (m: ToWorker) => {
      for (const bytes of m.facts) checker.seed(v8.deserialize(bytes) as Facts);
      const reports = checker.check({ release: job.release, ignore: new Set(job.ignore), severity: job.severity });
      port.postMessage({ type: 'reports', reports } satisfies FromWorker);
      port.close();
    });
    const facts = v8.serialize(checker.facts());
    port.postMessage({ type: 'facts', facts, unreadable } satisfies FromWorker, [facts.buffer as ArrayBuffer]);
  })();
  return true;
}
