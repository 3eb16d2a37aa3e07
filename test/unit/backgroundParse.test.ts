import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PendingDocument } from '../../server/src/parse/documents';
import { DocumentStore } from '../../server/src/parse/store';
import { BackgroundParses, SLICED_PARSE_CHARS } from '../../server/src/workspace/backgroundParse';
import { DiagnosticsScheduler } from '../../server/src/workspace/scheduler';
import { allPackagesLike, crate2nixLike } from '../generated';
import { parser } from '../helpers';

test('a parse in slices gives the tree a parse in one go gives, also when two take turns on the one sliced parser', async () => {
  const p = await parser();
  const a = allPackagesLike(1_000_000, 5);
  const b = crate2nixLike(600_000, 6);
  const jobA = p.parseInSlices(a);
  const jobB = p.parseInSlices(b);
  let treeA;
  let treeB;
  let steps = 0;
  // alternate: each job takes the parser over and starts again, until one is given enough time
  for (let i = 0; i < 3; i++) {
    assert.equal(jobA.step(1), undefined);
    assert.equal(jobB.step(1), undefined);
  }
  while (!(treeA = jobA.step(1))) steps++;
  while (!(treeB = jobB.step(1))) steps++;
  assert.ok(steps > 10, `the parses took ${steps} slices of 1 ms`);
  const [freshA, freshB] = [p.parse(a), p.parse(b)];
  assert.equal(treeA.rootNode.toString(), freshA.rootNode.toString());
  assert.equal(treeB.rootNode.toString(), freshB.rootNode.toString());
  for (const t of [treeA, treeB, freshA, freshB]) t.delete();
});

test('a document parsed in slices: the edited tree is re-used; with a syntax error the tree is provisional, and verifying it gives what one parse from scratch gives', async () => {
  const p = await parser();
  const text = allPackagesLike(400_000, 7);
  for (const insert of [' ', '"']) {
    const doc = PendingDocument.open(p, 'file:///x.nix', 1, text);
    doc.tree;
    const at = doc.lines.positionAt(text.indexOf('callPackage', 200_000));
    const next = PendingDocument.after(p, doc, 2, [{ range: { start: at, end: at }, text: insert }]);
    assert.ok(next.reusesTree && !next.ready);
    while (!next.advance(1));
    assert.ok(next.ready);
    assert.equal(next.provisional, insert === '"', `only broken text is provisional (${JSON.stringify(insert)})`);
    const fresh = p.parse(next.text);
    const replaced = next.verify();
    assert.equal((replaced ?? next).provisional, false, 'verified');
    const final = replaced ?? next;
    assert.equal(final.tree.rootNode.toString(), fresh.rootNode.toString(), `after inserting ${JSON.stringify(insert)}`);
    fresh.delete();
    doc.dispose();
    next.dispose();
    replaced?.dispose();
  }
});

test('background parses: a large document is parsed between turns of the event loop and then checked; a small one at once', async () => {
  const p = await parser();
  const store = new DocumentStore(p);
  let urgentCalls = 0;
  // the first few turns another document's check is due: parsing waits for it
  const parses = new BackgroundParses(store, (_, e) => assert.fail(String(e)), () => ++urgentCalls <= 3);
  store.open('file:///small.nix', 1, '{ a = 1; }');
  assert.equal(parses.whenParsed('file:///small.nix', () => assert.fail('not queued')), false);
  const big = 'file:///big.nix';
  store.open(big, 1, allPackagesLike(SLICED_PARSE_CHARS * 4, 8));
  const parsed = new Promise<void>(resolve => assert.equal(parses.whenParsed(big, resolve), true));
  assert.ok(parses.busy && !store.get(big)!.ready, 'nothing is parsed before the event loop turns');
  await parsed;
  assert.ok(store.get(big)!.ready && !parses.busy);
  assert.ok(urgentCalls > 3, 'it asked whether other work was due');
  // a document that changed is dropped from the queue (its check asks again after the pause)
  store.change(big, 2, [{ text: allPackagesLike(SLICED_PARSE_CHARS * 4, 9) }]);
  assert.equal(parses.whenParsed(big, () => assert.fail('dropped')), true);
  parses.forget(big);
  assert.equal(parses.busy, false);
  store.close(big);
  store.close('file:///small.nix');
});

test("scheduler: a check for another document's change waits while a large document is parsed; the edited one does not", async () => {
  let busy = true;
  const checked: string[] = [];
  let resolveB: () => void = () => undefined;
  const bChecked = new Promise<void>(resolve => { resolveB = resolve; });
  let askedBusy: () => void = () => undefined;
  const asked = new Promise<void>(resolve => { askedBusy = resolve; });
  const scheduler = new DiagnosticsScheduler(uri => {
    checked.push(uri);
    if (uri === 'b') resolveB();
  }, () => {
    askedBusy();
    return busy;
  });
  scheduler.changed('a', ['a', 'b']);
  assert.equal(scheduler.urgent(), true, 'the check of the edited document is due');
  assert.equal(scheduler.urgent('a'), false, 'other than a: only the patient check of b');
  // b's timer fired, found a parse under way, and was put off
  await asked;
  assert.deepEqual(checked, ['a']);
  busy = false;
  await bChecked;
  assert.deepEqual(checked, ['a', 'b']);
});

test('a background parse that fails is dropped with what was to follow it; the failure is reported once', async () => {
  const uri = 'file:///faulty.nix';
  const doc = { ready: false, followsBroken: false, reusesTree: false, text: ' '.repeat(SLICED_PARSE_CHARS), advance: () => { throw new Error('fault'); } };
  const store = { get: (u: string) => (u === uri ? doc : undefined) } as unknown as DocumentStore;
  const failures: string[] = [];
  let reported: () => void = () => undefined;
  const failed = new Promise<void>(resolve => { reported = resolve; });
  const parses = new BackgroundParses(store, (u, e) => {
    failures.push(`${u}: ${(e as Error).message}`);
    reported();
  });
  let followed = false;
  assert.equal(parses.whenParsed(uri, () => { followed = true; }), true);
  await failed;
  assert.deepEqual(failures, [`${uri}: fault`]);
  assert.equal(followed, false, 'the check that waited for the parse does not run (it would queue the parse again)');
  assert.equal(parses.busy, false);
});
