import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run, type RunResult } from '../util/run';

/** At most this many symbolic links are followed for one path (Linux's own limit). */
const MAX_LINKS = 40;

/**
 * The files of the machine the doctor reads: this one (`/`) or another one's disk mounted in a
 * folder. Paths are the machine's own (`/run/opengl-driver/lib`); a symbolic link whose target
 * is absolute resolves inside the root, as it would on that machine. Nothing here writes.
 */
export class Machine {
  readonly root: string;

  constructor(root = '/') {
    this.root = path.resolve(root);
  }

  /** The running machine itself, not a disk: its programs can run and its processes are ours. */
  get isHost(): boolean {
    return this.root === '/';
  }

  /** Where the machine's path lies on this computer (no links followed). */
  hostPath(p: string): string {
    return path.join(this.root, p);
  }

  /** The machine path `p` ends at once every link is followed, or undefined when it does not exist. */
  resolve(p: string): string | undefined {
    const pending = p.split('/').filter(Boolean);
    let at = '/';
    let links = 0;
    while (pending.length) {
      const part = pending.shift()!;
      if (part === '.') continue;
      if (part === '..') {
        at = path.posix.dirname(at);
        continue;
      }
      const next = path.posix.join(at, part);
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(this.hostPath(next));
      } catch {
        return undefined;
      }
      if (!stat.isSymbolicLink()) {
        at = next;
        continue;
      }
      if (++links > MAX_LINKS) return undefined;
      let target: string;
      try {
        target = fs.readlinkSync(this.hostPath(next));
      } catch {
        return undefined;
      }
      if (target.startsWith('/')) at = '/';
      pending.unshift(...target.split('/').filter(Boolean));
    }
    return at;
  }

  /** The immediate target of a link, as written (undefined when `p` is no link). */
  readlink(p: string): string | undefined {
    const where = this.resolve(path.posix.dirname(p));
    if (!where) return undefined;
    try {
      return fs.readlinkSync(this.hostPath(path.posix.join(where, path.posix.basename(p))));
    } catch {
      return undefined;
    }
  }

  stat(p: string): fs.Stats | undefined {
    const real = this.resolve(p);
    if (!real) return undefined;
    try {
      return fs.statSync(this.hostPath(real));
    } catch {
      return undefined;
    }
  }

  exists(p: string): boolean {
    return this.resolve(p) !== undefined;
  }

  isDir(p: string): boolean {
    return !!this.stat(p)?.isDirectory();
  }

  /** A text file's content, or undefined when it is missing or unreadable. */
  read(p: string): string | undefined {
    const real = this.resolve(p);
    if (!real) return undefined;
    try {
      return fs.readFileSync(this.hostPath(real), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** The names in a folder, sorted; none when it is missing. */
  list(p: string): string[] {
    const real = this.resolve(p);
    if (!real) return [];
    try {
      return fs.readdirSync(this.hostPath(real)).sort();
    } catch {
      return [];
    }
  }

  /** The machine's name: /etc/hostname, or this computer's when it is the host. */
  hostname(): string | undefined {
    const own = this.read('/etc/hostname')?.trim();
    if (own) return own;
    return this.isHost ? os.hostname() : undefined;
  }
}

/** Where programs are looked for on the machine, after PATH on the host. */
const PROGRAM_DIRS = ['/run/wrappers/bin', '/run/current-system/sw/bin', '/nix/var/nix/profiles/default/bin', '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];

/**
 * The machine path of a program: on the host PATH comes first (the user's own shell), then the
 * places a NixOS or another Linux keeps programs; on a mounted disk only those places.
 */
export function findProgram(m: Machine, name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = [...(m.isHost ? (env.PATH ?? '').split(':').filter(d => d.startsWith('/')) : []), ...PROGRAM_DIRS];
  if (m.isHost && env.HOME) dirs.push(path.join(env.HOME, '.nix-profile/bin'));
  for (const dir of dirs) {
    const p = path.posix.join(dir, name);
    const stat = m.stat(p);
    if (stat?.isFile() && stat.mode & 0o111) return p;
  }
  return undefined;
}

/** Where a program is and what it did: no path when the machine has none, no result when it was not run (a disk under --root). */
export type ProgramResult = { path: string; result?: RunResult } | { path: undefined; result?: undefined };

/** Run a program of the machine (argv, a timeout, nothing written to it), if it has one. */
export async function runProgram(m: Machine, name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number, really = true): Promise<ProgramResult> {
  const found = findProgram(m, name, env);
  if (!found) return { path: undefined };
  if (!really) return { path: found };
  const result = await run([m.hostPath(m.resolve(found) ?? found), ...args], { cwd: os.tmpdir(), env, timeoutMs });
  return { path: found, result };
}
