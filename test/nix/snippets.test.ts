import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import { test } from 'node:test';
import * as path from 'path';
import { diagnose } from '../../server/src/features/diagnostics';
import { ROOT, parseDoc } from '../helpers';
import { nixParse, requireNix } from './nixTool';

const snippets = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'nix.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;

/** What VS Code inserts when every placeholder keeps its default (first choice for a choice). */
export function expand(body: string[]): string {
  return body.join('\n')
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\\$/g, '$');
}

test('there is a snippet for each GPU/AI setup we promise', () => {
  const prefixes = Object.values(snippets).map(s => s.prefix).sort();
  assert.deepEqual(prefixes, ['flake-cuda-shell', 'flake-nixos-host', 'home-manager-module', 'nvidia-desktop', 'nvidia-prime', 'ollama', 'podman-distrobox', 'rocm']);
});

const NEEDS_OTHER_MODULES = new Set(['cuda-unfree', 'container-toolkit-no-driver', 'nvidia-graphics-disabled']);

for (const [name, snippet] of Object.entries(snippets)) {
  test(`snippet "${name}" expands to Nix that the real parser and our checker accept`, async () => {
    requireNix();
    const text = expand(snippet.body);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-snippet-')), `${snippet.prefix}.nix`);
    fs.writeFileSync(file, text);
    const nix = nixParse(file);
    assert.ok(nix.ok, `nix-instantiate --parse rejects it: ${nix.error}\n${text}`);
    // A snippet is one module of a configuration: what the rest of the configuration must set
    // (the driver, unfree packages) is not the snippet's to say.
    assert.deepEqual(diagnose(await parseDoc(text), { ignore: NEEDS_OTHER_MODULES }), []);
  });
}
