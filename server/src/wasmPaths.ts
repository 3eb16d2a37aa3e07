import * as fs from 'fs';
import * as path from 'path';
import type { WasmPaths } from './parse/language';

/**
 * The .wasm files beside the bundle (dist/), or, when running from compiled sources (out/), in
 * the build and node_modules folders of the checkout.
 */
export function bundledWasm(dir: string): WasmPaths {
  const beside = { runtime: path.join(dir, 'web-tree-sitter.wasm'), grammar: path.join(dir, 'tree-sitter-nix.wasm') };
  if (fs.existsSync(beside.grammar)) return beside;
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const grammar = path.join(d, 'build', 'grammar', 'tree-sitter-nix.wasm');
    if (fs.existsSync(grammar)) {
      return { runtime: path.join(d, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'), grammar };
    }
  }
  return beside;
}
