import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { PendingDocument } from '../../server/src/parse/documents';
import { DocumentStore } from '../../server/src/parse/store';
import { TreeVerifier, VERIFY_PAUSE_MS } from '../../server/src/workspace/verifier';
import { allPackagesLike } from '../generated';
import { parser } from '../helpers';

test('typing into broken text re-parses the previous tree (no parse from scratch per keystroke); the tree is provisional until verified', async () => {
  const p = await parser();
  const text = allPackagesLike(200_000, 4);
  const store = new DocumentStore(p);
  const uri = 'file:///all-packages.nix';
  store.open(uri, 1, text);
  assert.equal(store.get(uri)!.provisional, false, 'not parsed yet');
  store.get(uri)!.tree;
  // an opening quote in the middle breaks the rest of the file
  const at = store.get(uri)!.lines.positionAt(text.indexOf('callPackage', 100_000));
  const broken = store.change(uri, 2, [{ range: { start: at, end: at }, text: '"' }]) as PendingDocument;
  assert.ok(broken.reusesTree, 'the valid tree is edited and re-parsed');
  assert.ok(broken.tree.rootNode.hasError && broken.provisional);
  // the next keystroke in the broken text re-parses the broken tree too
  const next = store.change(uri, 3, [{ range: { start: at, end: at }, text: 'x' }]) as PendingDocument;
  assert.ok(next.reusesTree, 'a broken tree is re-parsed as well');
  assert.ok(next.tree.rootNode.hasError && next.provisional);
  const fresh = p.parse(next.text);
  const same = next.tree.rootNode.toString() === fresh.rootNode.toString();
  assert.equal(store.verify(uri), !same, 'replaced only if the trees differ');
  const final = store.get(uri)!;
  assert.equal(final.provisional, false);
  assert.equal(final.version, 3);
  assert.equal(final.tree.rootNode.toString(), fresh.rootNode.toString());
  assert.equal(store.verify(uri), false, 'verified once');
  // valid text is never provisional
  store.change(uri, 4, [{ range: { start: at, end: { line: at.line, character: at.character + 2 } }, text: '' }]);
  assert.ok(!store.get(uri)!.tree.rootNode.hasError && !store.get(uri)!.provisional);
  fresh.delete();
  store.close(uri);
});

test('where the re-parsed tree differs from a parse from scratch, verifying replaces the document with the fresh tree', async () => {
  const p = await parser();
  // tree-sitter's error recovery, started from the previous tree, ends elsewhere than from nothing
  for (const [before, at, insert] of [['{ a = 1; a.b == 2; }\n', 1, '${'], ['{$${{ a = 1; a.b == 2; }\n', 0, '"']] as const) {
    const store = new DocumentStore(p);
    const uri = 'file:///m.nix';
    store.open(uri, 1, before).tree;
    const pos = store.get(uri)!.lines.positionAt(at);
    const doc = store.change(uri, 2, [{ range: { start: pos, end: pos }, text: insert }]) as PendingDocument;
    const provisional = doc.tree.rootNode.toString();
    const fresh = p.parse(doc.text);
    assert.notEqual(provisional, fresh.rootNode.toString(), `${JSON.stringify(doc.text)}: the case still shows the difference`);
    assert.equal(store.verify(uri), true);
    const replaced = store.get(uri)!;
    assert.notEqual(replaced, doc);
    assert.equal(replaced.version, 2);
    assert.equal(replaced.text, doc.text);
    assert.equal(replaced.tree.rootNode.toString(), fresh.rootNode.toString());
    assert.equal(replaced.provisional, false);
    fresh.delete();
    store.close(uri);
  }
});

test('the verifier waits for a pause in changes, and tries again later while the document is still being parsed', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const asked: string[] = [];
    let busy = true;
    const verifier = new TreeVerifier(uri => {
      asked.push(uri);
      return busy ? 'later' : 'done';
    });
    verifier.changed('a');
    mock.timers.tick(VERIFY_PAUSE_MS - 1);
    verifier.changed('a');
    mock.timers.tick(VERIFY_PAUSE_MS - 1);
    assert.deepEqual(asked, [], 'each change starts the pause again');
    mock.timers.tick(1);
    assert.deepEqual(asked, ['a']);
    busy = false;
    mock.timers.tick(VERIFY_PAUSE_MS);
    assert.deepEqual(asked, ['a', 'a']);
    mock.timers.tick(VERIFY_PAUSE_MS * 3);
    assert.deepEqual(asked, ['a', 'a'], 'done: not asked again');
    verifier.changed('b');
    verifier.forget('b');
    mock.timers.tick(VERIFY_PAUSE_MS * 2);
    assert.deepEqual(asked, ['a', 'a'], 'a closed document is forgotten');
  } finally {
    mock.timers.reset();
  }
});
