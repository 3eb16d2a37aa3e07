#!/usr/bin/env node
// Build build/grammar/tree-sitter-nix.wasm from grammar/grammar.js (our extension of the npm
// package tree-sitter-nix): `tree-sitter generate` writes parser.c, clang compiles it and the
// package's external scanner to wasm32, wasm-ld links a side module that web-tree-sitter loads.
// Then the native parser for the CLI, the MCP server and the standalone server: the system's C
// compiler builds tree-sitter's runtime (the C sources in the npm package tree-sitter), the same
// parser.c and scanner, and server/native/nix_parser.c into build/grammar/nix-ai-parser.node.
// Skips each part when its inputs have not changed since the last build.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build', 'grammar');
const wasm = path.join(out, 'tree-sitter-nix.wasm');
const grammar = path.join(root, 'grammar', 'grammar.js');
const basePkg = path.join(root, 'node_modules', 'tree-sitter-nix');
const scanner = path.join(basePkg, 'src', 'scanner.c');

function fail(message) {
  console.error(`build-grammar: ${message}`);
  process.exit(1);
}

function findTool(candidates, hint) {
  for (const c of candidates.filter(Boolean)) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return c;
    } catch { /* try the next one */ }
  }
  return fail(`none of ${candidates.filter(Boolean).join(', ')} runs. ${hint}`);
}

if (!fs.existsSync(scanner)) fail('node_modules/tree-sitter-nix is missing: run `npm ci` first.');

const inputs = [grammar, path.join(basePkg, 'grammar.js'), scanner, fileURLToPath(import.meta.url)];
const hash = createHash('sha256');
for (const f of inputs) hash.update(fs.readFileSync(f));
const digest = hash.digest('hex');
const stamp = path.join(out, 'inputs.sha256');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: out, stdio: ['ignore', 'inherit', 'inherit'] });

if (fs.existsSync(wasm) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) {
  console.log('build-grammar: up to date');
} else {
  buildWasm();
}
buildNative();

function buildWasm() {
  const treeSitter = findTool(
    [process.env.TREE_SITTER, path.join(root, 'tools', 'tree-sitter', 'tree-sitter'), 'tree-sitter'],
    'Run `bash scripts/get-tree-sitter.sh` (Debian 13\'s tree-sitter-cli), or set TREE_SITTER.');
  const clang = findTool([process.env.WASM_CC, 'clang-14', 'clang'],
    'Install clang with the wasm32 target (Debian: apt-get install clang-14 lld-14), or set WASM_CC.');
  const wasmLd = findTool([process.env.WASM_LD, 'wasm-ld-14', 'wasm-ld'],
    'Install lld (Debian: apt-get install lld-14), or set WASM_LD.');

  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'include'), { recursive: true });

  run(treeSitter, ['generate', '--abi', '14', '--no-bindings', grammar]);

  // parser.h includes <stdlib.h>; there is no libc for wasm32 here, and the parser only needs the
  // allocator, which web-tree-sitter's runtime provides to the module at load time.
  fs.writeFileSync(path.join(out, 'include', 'stdlib.h'), [
    '#pragma once',
    '#include <stddef.h>',
    'void *malloc(size_t size);',
    'void *calloc(size_t count, size_t size);',
    'void *realloc(void *ptr, size_t size);',
    'void free(void *ptr);',
    'void abort(void);',
    '',
  ].join('\n'));

  const cflags = ['--target=wasm32-unknown-emscripten', '-Os', '-fPIC', '-fvisibility=hidden',
    '-nostdlib', '-ffreestanding', '-I', path.join(out, 'include'), '-I', path.join(out, 'src')];
  run(clang, [...cflags, '-c', path.join(out, 'src', 'parser.c'), '-o', 'parser.o']);
  run(clang, [...cflags, '-c', scanner, '-o', 'scanner.o']);
  run(wasmLd, ['--experimental-pic', '-shared', '--no-entry', '--export=tree_sitter_nix',
    '--allow-undefined', '-o', wasm, 'parser.o', 'scanner.o']);

  fs.writeFileSync(stamp, digest);
  console.log(`build-grammar: wrote ${path.relative(root, wasm)} (${fs.statSync(wasm).size} bytes)`);
}

function buildNative() {
  const addon = path.join(out, 'nix-ai-parser.node');
  const source = path.join(root, 'server', 'native', 'nix_parser.c');
  const runtime = path.join(root, 'node_modules', 'tree-sitter', 'vendor', 'tree-sitter', 'lib');
  if (!fs.existsSync(path.join(runtime, 'src', 'lib.c'))) fail('node_modules/tree-sitter (its C runtime) is missing: run `npm ci` first.');
  const nativeStamp = path.join(out, 'native.sha256');
  const h = createHash('sha256').update(digest).update(fs.readFileSync(source)).update(fs.readFileSync(path.join(runtime, 'include', 'tree_sitter', 'api.h')));
  const nativeDigest = h.update(process.version).digest('hex');
  if (fs.existsSync(addon) && fs.existsSync(nativeStamp) && fs.readFileSync(nativeStamp, 'utf8') === nativeDigest) return;
  // Node-API's headers: the ones beside this node, or the nodejs package's
  const headers = [process.env.NODE_API_INCLUDE, path.join(path.dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node']
    .find(d => d && fs.existsSync(path.join(d, 'node_api.h')));
  if (!headers) fail('node_api.h is missing (Debian: apt-get install libnode-dev, or set NODE_API_INCLUDE to the folder that has it)');
  const cc = findTool([process.env.CC, 'cc', 'gcc', 'clang-14', 'clang'], 'Install a C compiler (Debian: apt-get install gcc), or set CC.');
  run(cc, ['-O3', '-std=c11', '-shared', '-fPIC', '-fvisibility=hidden', '-D_POSIX_C_SOURCE=200112L', '-D_DEFAULT_SOURCE',
    '-I', headers, '-I', path.join(runtime, 'include'), '-I', path.join(runtime, 'src'), '-I', path.join(out, 'src'),
    path.join(runtime, 'src', 'lib.c'), path.join(out, 'src', 'parser.c'), scanner, source, '-o', addon]);
  fs.writeFileSync(nativeStamp, nativeDigest);
  console.log(`build-grammar: wrote ${path.relative(root, addon)} (${fs.statSync(addon).size} bytes)`);
}
