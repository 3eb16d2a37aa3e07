#!/usr/bin/env node
// `npm start`: after the build and packaging, the main job on the bundled examples.
// examples/mistakes.nix has deliberate errors, so `nix-ai check` exits 1 there: that is the
// expected result. Anything else (a crash, a usage error) fails.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
console.log('$ nix-ai check examples/');
const r = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'check', 'examples/'], { cwd: root, stdio: 'inherit' });
if (r.status === 0 || r.status === 1) {
  console.log(`\nnix-ai check exited ${r.status} (1 = errors found, as examples/mistakes.nix intends). The extension is nix-ai.vsix.`);
  process.exit(0);
}
process.exit(r.status ?? 1);
