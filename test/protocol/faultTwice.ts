/**
 * Preloaded (`node -r`) into the compiled server by robustness.test.ts: the first two parses of a
 * text holding FAULT throw the fault web-tree-sitter throws when its wasm memory goes wrong, the
 * parser's retry included, so the fault reaches the server's own recovery.
 */
import { Parser } from 'web-tree-sitter';

const original = Parser.prototype.parse;
let left = 2;
Parser.prototype.parse = function (this: Parser, ...args: Parameters<Parser['parse']>) {
  if (left > 0 && typeof args[0] === 'string' && args[0].includes('FAULT')) {
    left--;
    throw new (globalThis as unknown as { WebAssembly: { RuntimeError: new (m: string) => Error } }).WebAssembly.RuntimeError('memory access out of bounds');
  }
  return original.apply(this, args);
};
