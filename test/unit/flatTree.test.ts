import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../../server/src/features/diagnostics';
import { createDocument, readDocument } from '../../server/src/parse/documents';
import type { Node } from '../../server/src/parse/language';
import { parser, treeTexts as texts } from '../helpers';

/** What the analysis can ask of a node, with nodes named by their position in a preorder walk. */
function describe(root: Node): string[] {
  const order = new Map<number, number>();
  const all: Node[] = [];
  const cursor = root.walk();
  for (let down = true; ;) {
    if (down) {
      order.set(cursor.currentNode.id, all.length);
      all.push(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
    }
    if (cursor.gotoNextSibling()) {
      down = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    down = false;
  }
  const at = (n: Node | null) => (n ? order.get(n.id) : -1);
  const fields = ['expression', 'attrpath', 'function', 'argument', 'body', 'name', 'default', 'attr', 'condition', 'universal', 'binding'];
  return all.map(n => [
    n.type, n.startIndex, n.endIndex, n.isNamed, n.isMissing, n.isError, n.hasError, at(n.parent), at(n.previousSibling),
    at(n.previousNamedSibling), n.namedChildren.map(at).join('/'), fields.map(f => at(n.childForFieldName(f))).join('/'),
    n.childrenForFieldName('attr').map(at).join('/'), at(root.descendantForIndex(n.startIndex, n.endIndex)),
  ].join(' '));
}

test('a flat copy of the tree answers every question exactly as tree-sitter does, on valid and broken files', async () => {
  const p = await parser();
  let nodes = 0;
  for (const [name, text] of texts()) {
    const wasm = p.parse(text);
    const expected = describe(wasm.rootNode);
    wasm.delete();
    const actual = describe(p.parseFlat(text).rootNode);
    assert.deepEqual(actual, expected, name);
    nodes += expected.length;
  }
  assert.ok(nodes > 50_000, `${nodes} nodes compared`);
});

test('diagnostics from a flat tree equal those from tree-sitter\'s tree', async () => {
  const p = await parser();
  for (const [name, text] of texts()) {
    const uri = `file:///ws/${name.replace(/[^\w./-]/g, '_')}`;
    const wasm = createDocument(p, uri, 0, text);
    const expected = diagnose(wasm);
    wasm.tree.delete();
    assert.deepEqual(diagnose(readDocument(p, uri, text)), expected, name);
  }
});
