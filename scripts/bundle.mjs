#!/usr/bin/env node
// Bundle the extension (client), the language server and the CLI into dist/ with esbuild, and
// copy the two .wasm files the server loads beside them, and the native parser.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { NIX_AI_VERSION: JSON.stringify(pkg.version) },
  // web-tree-sitter's ESM build needs import.meta.url, which a CommonJS bundle lacks: use its CJS build
  alias: { 'web-tree-sitter': path.join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
};

/** cli.js reaches the MCP server through dist/mcp.js instead of carrying it. */
const mcpApart = {
  name: 'mcp-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/mcp\/main$/ }, () => ({ path: './mcp.js', external: true }));
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(dist, 'extension.js'), external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/server.ts')], outfile: path.join(dist, 'server.js') }),
  // the MCP server (and its SDK) is a bundle of its own, loaded only by `nix-ai mcp`: checks start as fast as before
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/cli/main.ts')], outfile: path.join(dist, 'cli.js'), plugins: [mcpApart] }),
  esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/mcp/main.ts')], outfile: path.join(dist, 'mcp.js') }),
]);

const wasm = [
  [path.join(root, 'node_modules/web-tree-sitter/tree-sitter.wasm'), 'web-tree-sitter.wasm'],
  [path.join(root, 'build/grammar/tree-sitter-nix.wasm'), 'tree-sitter-nix.wasm'],
];
for (const [from, name] of wasm) {
  if (!fs.existsSync(from)) {
    console.error(`bundle: ${path.relative(root, from)} is missing (run npm run build:grammar)`);
    process.exit(1);
  }
  fs.copyFileSync(from, path.join(dist, name));
}
// the native parser, where this machine could build it (without it everything parses with wasm)
const addon = path.join(root, 'build/grammar/nix-ai-parser.node');
if (fs.existsSync(addon)) fs.copyFileSync(addon, path.join(dist, 'nix-ai-parser.node'));
for (const f of ['server.js', 'cli.js']) fs.chmodSync(path.join(dist, f), 0o755);
console.log(`bundle: dist/ has ${fs.readdirSync(dist).filter(f => !f.endsWith('.map')).join(', ')}`);
