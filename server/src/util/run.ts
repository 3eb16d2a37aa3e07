import { spawn } from 'child_process';
import * as fs from 'fs';

/**
 * The one wrapper for external programs: an argv array (never a shell string), an explicit
 * working directory, a timeout, a memory cap, cancellation, and a result that tells "the program
 * is not installed" apart from "it ran and failed".
 */
export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Text for the program's standard input; it is closed after writing. */
  input?: string;
  timeoutMs?: number;
  /** Kill the program when its resident memory grows past this (Linux only). */
  memoryLimitMb?: number;
  signal?: AbortSignal;
  /** Called once the process exists (for tests and logs). */
  onSpawn?: (pid: number) => void;
  /** Output as it arrives, for a terminal that shows it live. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** Keep standard input open and hand over a writer (a terminal forwarding what is typed). */
  onStdin?: (write: (data: string) => void) => void;
}

export type RunResult =
  | { kind: 'ok'; stdout: string; stderr: string }
  | { kind: 'missing'; command: string }
  | { kind: 'failed'; code: number | null; stdout: string; stderr: string }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'memory'; limitMb: number }
  | { kind: 'cancelled' };

const MEMORY_POLL_MS = 200;

/**
 * Not installed: ENOENT, or EACCES for a bare name that no folder on PATH holds (the lookup says
 * EACCES when it met a folder it may not enter, e.g. root's on a user's PATH).
 */
function isMissing(e: NodeJS.ErrnoException, command: string, env: NodeJS.ProcessEnv): boolean {
  if (e.code === 'ENOENT') return true;
  if (e.code !== 'EACCES' || command.includes('/')) return false;
  return !(env.PATH ?? '').split(':').some(dir => {
    try {
      return !!dir && fs.statSync(`${dir}/${command}`).isFile();
    } catch {
      return false;
    }
  });
}

export function run(argv: readonly string[], opts: RunOptions): Promise<RunResult> {
  return new Promise(resolve => {
    if (opts.signal?.aborted) return resolve({ kind: 'cancelled' });
    const [command, ...args] = argv;
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let ended: RunResult | undefined;
    const timers: NodeJS.Timeout[] = [];
    const finish = (r: RunResult) => {
      if (ended) return;
      ended = r;
      timers.forEach(t => clearTimeout(t));
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    /** Stop the program and anything it started (it leads its own process group). */
    const stop = (r: RunResult) => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
      finish(r);
    };
    const onAbort = () => stop({ kind: 'cancelled' });
    opts.signal?.addEventListener('abort', onAbort);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      opts.onOutput?.(d, 'stdout');
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      opts.onOutput?.(d, 'stderr');
    });
    child.stdin.on('error', () => undefined);
    child.on('error', (e: NodeJS.ErrnoException) => finish(isMissing(e, command, opts.env ?? process.env) ? { kind: 'missing', command } : { kind: 'failed', code: null, stdout, stderr: e.message }));
    child.on('spawn', () => {
      if (child.pid !== undefined) opts.onSpawn?.(child.pid);
      if (ended) return;
      if (opts.timeoutMs) {
        const ms = opts.timeoutMs;
        timers.push(setTimeout(() => stop({ kind: 'timeout', afterMs: ms }), ms));
      }
      if (opts.memoryLimitMb && child.pid !== undefined) watchMemory(child.pid, opts.memoryLimitMb, () => stop({ kind: 'memory', limitMb: opts.memoryLimitMb! }), timers);
    });
    child.on('close', code => finish(code === 0 ? { kind: 'ok', stdout, stderr } : { kind: 'failed', code, stdout, stderr }));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else if (opts.onStdin) opts.onStdin(data => { if (!ended && child.stdin.writable) child.stdin.write(data); });
    else child.stdin.end();
  });
}

function watchMemory(pid: number, limitMb: number, exceeded: () => void, timers: NodeJS.Timeout[]): void {
  const check = () => {
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return; // not Linux, or already gone
    }
    const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    if (/^State:\s+Z/m.test(status)) return;
    if (kb / 1024 > limitMb) exceeded();
    else timers.push(setTimeout(check, MEMORY_POLL_MS));
  };
  timers.push(setTimeout(check, MEMORY_POLL_MS));
}

/** The first line of an error worth showing a user (Nix prints "error: …"). */
export function firstError(stderr: string): string {
  const lines = stderr.split('\n').map(l => l.trim()).filter(Boolean);
  return (lines.find(l => l.startsWith('error:')) ?? lines[0] ?? 'no error output').replace(/^error:\s*/, '');
}
