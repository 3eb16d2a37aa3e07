import * as fs from 'fs';
import * as path from 'path';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.direnv']);

/**
 * The .nix files under the given paths, sorted, each once. Folders are walked recursively,
 * skipping .git, node_modules and `result` symlinks (nix build outputs). A path given
 * explicitly is taken even when it does not end in .nix. Unreadable paths are returned as errors.
 */
export function collectNixFiles(paths: string[], limit = Infinity): { files: string[]; errors: Array<{ path: string; message: string }>; truncated: boolean } {
  const files = new Set<string>();
  const errors: Array<{ path: string; message: string }> = [];
  let truncated = false;
  const walk = (dir: string) => {
    if (files.size >= limit) {
      truncated = true;
      return;
    }
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ path: dir, message: (e as Error).message });
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink() && /^result(-.*)?$/.test(entry.name)) continue;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.name.endsWith('.nix') && (entry.isFile() || entry.isSymbolicLink())) {
        files.add(full);
      }
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      errors.push({ path: p, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message });
      continue;
    }
    if (stat.isDirectory()) walk(p);
    else files.add(p);
  }
  return { files: [...files].sort(), errors, truncated };
}
