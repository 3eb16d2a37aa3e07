import * as fs from 'fs';

/** A file's text, or undefined when it cannot be read (missing, a directory, no permission). */
export function readTextFile(path: string): string | undefined {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
