#!/usr/bin/env node
// Build build/grammar/tree-sitter-nix.wasm from grammar/grammar.js (our extension of the npm
// package tree-sitter-nix): `tree-sitter generate` writes parser.c, clang compiles it and the
// package's external scanner to wasm32, wasm-ld links a side module that web-tree-sitter loads.
// Skips the work when the inputs have not changed since the last build.
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
if (fs.existsSync(wasm) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) {
  console.log('build-grammar: up to date');
  process.exit(0);
}

const treeSitter = findTool(
  [process.env.TREE_SITTER, path.join(root, 'tools', 'tree-sitter', 'tree-sitter'), 'tree-sitter'],
  'Run `bash scripts/get-tree-sitter.sh` (Debian 13\'s tree-sitter-cli), or set TREE_SITTER.');
const clang = findTool([process.env.WASM_CC, 'clang-14', 'clang'],
  'Install clang with the wasm32 target (Debian: apt-get install clang-14 lld-14), or set WASM_CC.');
const wasmLd = findTool([process.env.WASM_LD, 'wasm-ld-14', 'wasm-ld'],
  'Install lld (Debian: apt-get install lld-14), or set WASM_LD.');

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, 'include'), { recursive: true });
const run = (cmd, args) => execFileSync(cmd, args, { cwd: out, stdio: ['ignore', 'inherit', 'inherit'] });

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
