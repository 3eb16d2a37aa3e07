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
