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
