import * as fs from 'fs';
import * as path from 'path';

/**
 * A file's text, or undefined when it cannot be read (missing, a directory, no permission). A
 * package set names thousands of files that are not there: a stat first spares an exception each.
 */
export function readTextFile(path: string): string | undefined {
  try {
    return fs.statSync(path, { throwIfNoEntry: false })?.isFile() ? fs.readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A path built by path.resolve or path.join, stored as one flat string. V8 keeps a joined string as
 * a tree of its pieces (a resolved path is a dozen of them, ~320 bytes); a package set keeps
 * 10,000 such paths per file. The JSON round trip copies it flat and keeps every code unit.
 */
export function flatPath(p: string): string {
  return JSON.parse(JSON.stringify(p)) as string;
}

/**
 * Replace a file's text so that a reader sees the old text or the new, never half of it: written
 * beside it, then renamed over it. A symbolic link is followed (the link stays a link), and an
 * existing file keeps its permissions.
 */
export function writeFileAtomic(file: string, text: string): void {
  let target = file;
  let mode: number | undefined;
  try {
    target = fs.realpathSync(file);
    mode = fs.statSync(target).mode & 0o7777;
  } catch {
    // a new file
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.nix-ai-${process.pid}.tmp`);
  fs.writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * A JSON file this program wrote, read back; undefined when there is none. One that is not what
 * `valid` expects (cut short, edited, not JSON) is deleted and `discarded` is told why, so a
 * cache is built again instead of half-read.
 */
export function readJsonFile<T>(file: string, valid: (data: unknown) => data is T, discarded?: (why: string) => void): T | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let why = 'not the shape nix-ai writes';
  try {
    const data: unknown = JSON.parse(text);
    if (valid(data)) return data;
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  fs.rmSync(file, { force: true });
  discarded?.(why);
  return undefined;
}

/** A file, a folder, or nothing there (or nothing we may read). */
export function pathKind(file: string): 'file' | 'directory' | undefined {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : undefined;
  } catch {
    return undefined;
  }
}
