import * as fs from 'fs';
import * as path from 'path';

/**
 * Problems from Nix's output: each `error: …` with the first `at FILE:LINE:COL:` after it, and the
 * trace's other `at …` lines as related places. Flakes are evaluated from a copy in the store
 * (/nix/store/<hash>-source/…); those paths are mapped back to the workspace when the file exists.
 */
export interface NixProblem {
  message: string;
  file: string;
  /** 1-based, as Nix prints them. */
  line: number;
  column: number;
  trace: Array<{ file: string; line: number; column: number }>;
}

/** A flake's copy in the store: /nix/store, or the store Nix was pointed at (NIX_STORE_DIR, e.g. a user's own). */
function storeSource(file: string): RegExpExecArray | null {
  const stores = ['/nix/store', process.env.NIX_STORE_DIR].filter((s): s is string => !!s).map(s => s.replace(/\/+$/, ''));
  const store = stores.find(s => file.startsWith(`${s}/`));
  return store === undefined ? null : /^\/[0-9a-z]{32}-source(\/.*)$/.exec(file.slice(store.length));
}
const AT = /(?:^|\s)at (\/[^\s:]+\.nix):(\d+):(\d+)/;
// Nix colours its output on a terminal; a task's output can carry the escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Nix's output without its colour escapes. */
export function withoutColours(output: string): string {
  return output.replace(ANSI, '');
}

export function mapToWorkspace(file: string, root: string, exists: (f: string) => boolean = fs.existsSync): string {
  const m = storeSource(file);
  if (!m) return file;
  const local = path.join(root, m[1]);
  return exists(local) ? local : file;
}

export function parseNixErrors(output: string, root: string, exists?: (f: string) => boolean): NixProblem[] {
  const lines = withoutColours(output).split(/\r?\n/);
  const problems: NixProblem[] = [];
  let current: { message: string; places: Array<{ file: string; line: number; column: number }> } | undefined;
  const close = () => {
    if (current?.places.length) {
      const [first, ...rest] = current.places;
      problems.push({ message: current.message, ...first, trace: rest });
    }
    current = undefined;
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    const error = /^\s*error: (.*)$/.exec(line);
    if (error) {
      close();
      current = { message: error[1].trim(), places: [] };
      const inline = AT.exec(error[1]);
      if (inline) current.places.push({ file: mapToWorkspace(inline[1], root, exists), line: Number(inline[2]), column: Number(inline[3]) });
      continue;
    }
    if (!current) continue;
    const at = AT.exec(line);
    if (at) {
      current.places.push({ file: mapToWorkspace(at[1], root, exists), line: Number(at[2]), column: Number(at[3]) });
      continue;
    }
    // The first text lines after "error:" (before any "at") complete a message split over lines.
    if (current.places.length === 0 && line.trim() && !/^\s*…/.test(line) && !/^\s*\(/.test(line) && !/^\s+\d+\|/.test(line)) {
      if (current.message === '') current.message = line.trim();
    }
  }
  close();
  return problems;
}
