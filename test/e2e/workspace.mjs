// The e2e workspace: test/e2e/ws plus the example GPU workstation, copied so tests never edit
// the checkout. Its settings turn option loading off (no nixpkgs offline): the editor tests use
// the built-in catalog; the loader has its own tests with real nix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function makeWorkspace(prefix) {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? os.tmpdir()), prefix));
  fs.cpSync(path.join(root, 'test/e2e/ws'), dir, { recursive: true });
  for (const f of ['flake.nix', 'configuration.nix']) fs.copyFileSync(path.join(root, 'examples/gpu-workstation', f), path.join(dir, f));
  return dir;
}
