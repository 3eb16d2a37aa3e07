import * as fs from 'fs';
import * as path from 'path';
import type { WasmPaths } from './parse/language';

/**
 * A file the build makes: beside the bundle (dist/), or, when running from compiled sources (out/),
 * in `build/grammar` of the checkout above `dir` (`checkout` is then that checkout's folder).
 */
export function builtFile(dir: string, name: string): { file: string; checkout?: string } | undefined {
  const beside = path.join(dir, name);
  if (fs.existsSync(beside)) return { file: beside };
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const built = path.join(d, 'build', 'grammar', name);
    if (fs.existsSync(built)) return { file: built, checkout: d };
  }
  return undefined;
}

/** The .wasm files beside the bundle, or in the build and node_modules folders of the checkout. */
export function bundledWasm(dir: string): WasmPaths {
  const found = builtFile(dir, 'tree-sitter-nix.wasm');
  if (found?.checkout) return { runtime: path.join(found.checkout, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'), grammar: found.file };
  return { runtime: path.join(dir, 'web-tree-sitter.wasm'), grammar: path.join(dir, 'tree-sitter-nix.wasm') };
}
