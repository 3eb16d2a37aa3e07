import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyChanges, createDocument, readDocument } from '../../server/src/parse/documents';
import { namedChildIds, type Node } from '../../server/src/parse/language';
import { unitsOf } from '../../server/src/parse/units';
import { allPackagesLike, crate2nixLike } from '../generated';
import { parser, testNixFiles } from '../helpers';

function* nodes(root: Node): Generator<Node> {
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    for (const c of n.namedChildren) if (c) stack.push(c);
  }
}

function same(node: Node, what: string): void {
  const { ids, starts } = namedChildIds(node);
  const children = node.namedChildren.filter((c): c is Node => !!c);
  assert.deepEqual([...ids], children.map(c => c.id), `${what}: ids of ${node.type} at ${node.startIndex}`);
  assert.deepEqual([...starts], children.map(c => c.startIndex), `${what}: starts of ${node.type} at ${node.startIndex}`);
}

test('named children read from wasm memory are the ones tree-sitter lists, on fresh and re-parsed trees', async () => {
  const p = await parser();
  let checked = 0;
  for (const [name, text] of [...testNixFiles(), ['all-packages-like', allPackagesLike(40_000)] as [string, string]]) {
    const doc = createDocument(p, 'file:///t.nix', 1, text);
    for (const n of nodes(doc.tree.rootNode)) { same(n, name); checked++; }
    // an edit in the middle: the new tree shares most subtrees with the old one
    const at = doc.lines.positionAt(text.length >> 1);
    const next = applyChanges(p, doc, 2, [{ range: { start: at, end: at }, text: ' ' }]);
    for (const n of nodes(next.tree.rootNode)) same(n, `${name} after an edit`);
    doc.tree.delete();
    next.tree.delete();
  }
  assert.ok(checked > 10_000, `only ${checked} nodes`);
});

test('units are the non-comment named children of the container, on both kinds of tree', async () => {
  const p = await parser();
  for (const text of [allPackagesLike(60_000), crate2nixLike(80_000), `[\n${Array.from({ length: 80 }, (_, i) => `  # c${i}\n  ./m${i}.nix`).join('\n')}\n]\n`]) {
    for (const doc of [createDocument(p, 'file:///t.nix', 1, text), readDocument(p, 'file:///t.nix', text)]) {
      const units = unitsOf(doc);
      assert.ok(units, 'a large file has units');
      const expected = units.container.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      assert.equal(units.count, expected.length);
      assert.deepEqual([...units.ids], expected.map(c => c.id));
      assert.deepEqual([...units.starts], expected.map(c => c.startIndex));
      // every unit, found by its offset in tree-sitter's tree
      for (let i = 0; i < units.count; i++) {
        assert.equal(units.node(i).id, expected[i].id);
        assert.equal(units.node(i).endIndex, expected[i].endIndex);
      }
      doc.tree.delete();
    }
  }
});
