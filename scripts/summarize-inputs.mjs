#!/usr/bin/env node
// Sums up what a flake input's NixOS modules set, for machines where its locked source is not in
// the store (server/src/analysis/inputModules.json, read by inputSummaries.ts). It reads the
// input's real source with nix-ai's own analysis and records the revision it read:
//   node scripts/summarize-inputs.mjs <kind> <checkout folder> <source> <revision>
// e.g. node scripts/summarize-inputs.mjs nixos-hardware ~/src/nixos-hardware github:NixOS/nixos-hardware 1a2b3c…
// <kind> is the input's repository name, as flake.lock names it (inputKind in lockedInputs.ts).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [kind, dir, source, rev] = process.argv.slice(2);
if (!kind || !dir || !source || !rev) {
  console.error('usage: summarize-inputs.mjs <kind> <checkout folder> <source> <revision>');
  process.exit(2);
}
const entry = path.join(os.tmpdir(), `nix-ai-summarize-${process.pid}.cjs`);
await esbuild.build({
  stdin: {
    contents: `
      import { loadNixParser } from './server/src/parse/language';
      import { summarizeFlake } from './server/src/analysis/summarize';
      export async function run(wasm, dir) { return summarizeFlake(await loadNixParser(wasm), dir); }`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true, platform: 'node', format: 'cjs', outfile: entry, logLevel: 'warning',
  define: { NIX_AI_VERSION: '"summarize"' },
  alias: { 'web-tree-sitter': path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
});
const { run } = createRequire(import.meta.url)(entry);
const modules = await run({ runtime: path.join(root, 'dist/web-tree-sitter.wasm'), grammar: path.join(root, 'dist/tree-sitter-nix.wasm') }, path.resolve(dir));
fs.rmSync(entry);
const file = path.join(root, 'server/src/analysis/inputModules.json');
const data = JSON.parse(fs.readFileSync(file, 'utf8'));
data.inputs[kind] = { source, rev, modules };
data.inputs = Object.fromEntries(Object.entries(data.inputs).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync(file, JSON.stringify(data, null, 1) + '\n');
console.log(`${kind}: ${Object.keys(modules).length} modules summed up from ${source} at ${rev}`);
