import * as fs from 'fs';

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
