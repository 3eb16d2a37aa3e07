import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser } from 'web-tree-sitter';
import { createDocument, PendingDocument } from '../../server/src/parse/documents';
import { loadNixParser, type WasmTree } from '../../server/src/parse/language';
import { DocumentStore } from '../../server/src/parse/store';
import { bundledWasm } from '../../server/src/wasmPaths';

/** What web-tree-sitter throws when its wasm memory is read out of bounds. */
const fault = () => new (globalThis as unknown as { WebAssembly: { RuntimeError: new (m: string) => Error } }).WebAssembly.RuntimeError('memory access out of bounds');

/** Make the next `count` calls of a method throw a wasm fault, then behave again. */
function faultNext<T extends object>(target: T, method: keyof T & string, count = 1): () => void {
  const original = target[method] as unknown as (...a: unknown[]) => unknown;
  let left = count;
  (target as Record<string, unknown>)[method] = function (this: unknown, ...a: unknown[]) {
    if (left > 0) {
      left--;
      throw fault();
    }
    return original.apply(this, a);
  };
  return () => void ((target as Record<string, unknown>)[method] = original);
}

test('a wasm fault while parsing costs that parse: a new parser parses the text from scratch, and says so', async () => {
  const faults: string[] = [];
  const p = await loadNixParser(bundledWasm(__dirname), m => faults.push(m));
  const text = '{ a = 1; b = [ 2 3 ]; }';
  const old = p.parse(text);
  old.edit({ startIndex: 6, oldEndIndex: 7, newEndIndex: 8, startPosition: { row: 0, column: 6 }, oldEndPosition: { row: 0, column: 7 }, newEndPosition: { row: 0, column: 8 } } as Parameters<WasmTree['edit']>[0]);
  const edited = '{ a = 10; b = [ 2 3 ]; }';
  const restore = faultNext(Parser.prototype, 'parse');
  let tree: WasmTree;
  try {
    tree = p.parse(edited, old);
  } finally {
    restore();
  }
  assert.equal(faults.length, 1);
  assert.match(faults[0], /from scratch/);
  const fresh = p.parse(edited);
  assert.equal(tree.rootNode.toString(), fresh.rootNode.toString());
  // the replacement parser goes on working, incrementally too
  assert.equal(p.parse(edited, tree).rootNode.toString(), fresh.rootNode.toString());
  for (const t of [old, tree, fresh]) t.delete();
});

test('a fault that comes back on the fresh parse is thrown to the caller (the server logs it and answers without the tree)', async () => {
  const p = await loadNixParser(bundledWasm(__dirname));
  const restore = faultNext(Parser.prototype, 'parse', 2);
  try {
    assert.throws(() => p.parse('{ }'), /memory access out of bounds/);
  } finally {
    restore();
  }
  assert.equal(p.parse('{ }').rootNode.type, 'source_code');
});

test('a wasm fault while editing an old tree loses no text: the new version is parsed from scratch', async () => {
  const p = await loadNixParser(bundledWasm(__dirname));
  const doc = createDocument(p, 'file:///x.nix', 1, '{ a = 1; }');
  const tree = doc.tree;
  const restore = faultNext(Object.getPrototypeOf(tree) as WasmTree, 'edit');
  let next: PendingDocument;
  try {
    next = PendingDocument.after(p, doc, 2, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: '2' }]);
  } finally {
    restore();
  }
  assert.equal(next.text, '{ a = 2; }');
  assert.equal(next.tree.rootNode.toString(), p.parse('{ a = 2; }').rootNode.toString());
  next.dispose();
  tree.delete();
});

test('a renewed document keeps its version and text and parses them afresh', async () => {
  const p = await loadNixParser(bundledWasm(__dirname));
  const store = new DocumentStore(p);
  const uri = 'file:///x.nix';
  store.open(uri, 1, '{ a = 1; }');
  const before = store.change(uri, 2, [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: '3' }])!;
  const oldTree = before.tree;
  store.renew(uri);
  const after = store.get(uri)!;
  assert.equal(after.version, 2);
  assert.equal(after.text, '{ a = 3; }');
  assert.notEqual(after.tree, oldTree, 'a new tree, not the one that faulted');
  assert.equal(after.tree.rootNode.toString(), p.parse('{ a = 3; }').rootNode.toString());
  store.close(uri);
});
