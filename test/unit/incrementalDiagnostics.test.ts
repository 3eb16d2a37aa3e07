import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../../server/src/features/diagnostics';
import { DocumentDiagnostics } from '../../server/src/features/incrementalDiagnostics';
import { applyChanges, createDocument, type NixDocument, type TextChange } from '../../server/src/parse/documents';
import { unitsOf } from '../../server/src/parse/units';
import { RULES } from '../../server/src/rules';
import { MAX_SYNTAX_ERRORS } from '../../server/src/rules/syntaxError';
import type { Rule } from '../../server/src/rules/types';
import { allPackagesLike, crate2nixLike, random } from '../generated';
import { parser } from '../helpers';

/** Units from this many on, so that small files (fast to check fresh every step) have them. */
const MIN_UNITS = 8;

/** A module whose header binds, takes and `with`s names the units use, and whose units clash, merge and define options. */
function headerHeavy(): string {
  const units = [
    'name = helper pkgs.hello;', 'a.b = 1;', 'a = { c = 2; };', 'dup = 1;', 'tools = with pkgs; [ git ];', 'inherit (pkgs) curl;',
    'home = builtins.getEnv "HOME";', 'gated = mkIf true { };', 'hardware.nvidia.open = true;', 'services.xserver.videoDrivers = [ "nvidia" ];',
    'environment.systemPackages = [ pkgs.cudaPackages.cudatoolkit ];', 'r = rec { p = 1; q = p; };', 'r.extra = q;', 'w = unknownName;',
    'f = { a }: a;', 'l = let u = 1; in 2;', 'e = let in 3;', '# a comment', 'src = fetchTarball "https://example.org/x.tar.gz";', 'amd = pkgs.amdvlk;',
  ];
  return `{ lib, pkgs, unusedArg, ... }:\nwith lib;\nlet\n  helper = x: x;\n  unusedLet = 1;\n  shared = [ ./a.nix ];\nin {\n  imports = shared;\n${units.map(u => `  ${u}`).join('\n')}\n}\n`;
}

const SNIPPETS = ['', ';', '}', '{', ' ', '\n', 'a = 1;', '"', 'x', 'zz = with foo; bar;', 'inherit lib;', 'pkgs', '${', 'builtins.getEnv "HOME"', 'let q = 1; in', '# c\n', ' = ', 'dup'];
const LINES = ['  fresh = callPackage ./p { };\n', '  inherit (pkgs) curl;\n', '  zz = let q = builtins.getEnv "X"; in q;\n', '  env = with lib; [ ];\n', '  dup = 2;\n', '  r.more = p;\n', '  lib = { };\n', '  helper = 1;\n'];

/**
 * A random edit that keeps the text valid most of the time: type into a name, add a binding line,
 * or make a random change and take it back at the next step.
 */
function nextEdit(doc: NixDocument, rnd: () => number, undo: { next?: TextChange }): { change: TextChange; revert?: (after: NixDocument) => TextChange } {
  if (undo.next) {
    const change = undo.next;
    undo.next = undefined;
    return { change };
  }
  const lines = doc.text.split('\n');
  const line = Math.floor(rnd() * lines.length);
  const r = rnd();
  const name = /^ {2}([A-Za-z][\w-]*)(?= = )/.exec(lines[line]);
  if (r < 0.35 && name) {
    const at = { line, character: name[0].length };
    return { change: { range: { start: at, end: at }, text: 'x' }, revert: rnd() < 0.5 ? after => ({ range: after.lines.rangeOf(after.lines.offsetAt(at), after.lines.offsetAt(at) + 1), text: '' }) : undefined };
  }
  if (r < 0.6 && /^ {2}[A-Za-z#]/.test(lines[line])) {
    const at = { line, character: 0 };
    const text = LINES[Math.floor(rnd() * LINES.length)];
    return { change: { range: { start: at, end: at }, text }, revert: rnd() < 0.5 ? after => ({ range: after.lines.rangeOf(after.lines.offsetAt(at), after.lines.offsetAt(at) + text.length), text: '' }) : undefined };
  }
  const a = Math.floor(rnd() * (doc.text.length + 1));
  const b = Math.min(doc.text.length, a + Math.floor(rnd() * 4));
  const old = doc.text.slice(a, b);
  const text = SNIPPETS[Math.floor(rnd() * SNIPPETS.length)];
  return { change: { range: doc.lines.rangeOf(a, b), text }, revert: after => ({ range: after.lines.rangeOf(a, a + text.length), text: old }) };
}

const CASES: Array<[string, () => string, number, number]> = [
  ['all-packages-like', () => allPackagesLike(3000, 7), 1, 450],
  ['all-packages-like', () => allPackagesLike(3000, 8), 2, 450],
  ['crate2nix-like', () => crate2nixLike(5000, 9), 3, 350],
  ['header-heavy module', headerHeavy, 4, 450],
  ['header-heavy module', headerHeavy, 5, 450],
];

for (const [name, make, seed, steps] of CASES) {
  test(`checking a large file unit by unit gives what a fresh check of the same text gives, edit after edit: ${name}, seed ${seed}`, async () => {
    const p = await parser();
    const rnd = random(seed);
    let doc = createDocument(p, 'file:///ws/module.nix', 1, make());
    // odd seeds check every unit of a version on a flat copy (as the server does), even ones on tree-sitter's tree
    const check = new DocumentDiagnostics(MIN_UNITS, seed % 2 ? (tree, text) => p.copyFlat(tree, text) : undefined);
    const undo: { next?: TextChange } = {};
    let byUnits = 0;
    for (let step = 0; step < steps; step++) {
      const { change, revert } = nextEdit(doc, rnd, undo);
      const next = applyChanges(p, doc, doc.version + 1, [change]);
      doc.tree.delete();
      doc = next;
      if (revert) undo.next = revert(doc);
      if (!doc.tree.rootNode.hasError && unitsOf(doc, MIN_UNITS)) byUnits++;
      const fresh = createDocument(p, doc.uri, doc.version, doc.text);
      assert.deepEqual(check.check(doc), diagnose(fresh), `step ${step} (seed ${seed}) differs for:\n${doc.text}`);
      fresh.tree.delete();
    }
    check.reset();
    doc.tree.delete();
    assert.ok(byUnits > steps * 0.4, `only ${byUnits} of ${steps} versions were checked unit by unit`);
  });
}

test('a large file: an edit re-checks its own unit only, and findings move with their units', async () => {
  const p = await parser();
  const text = `{ pkgs, ... }:\n{\n${Array.from({ length: 40 }, (_, i) => `  p${i} = pkgs.hello;`).join('\n')}\n  w = unknownName;\n}\n`;
  let doc = createDocument(p, 'file:///ws/big.nix', 1, text);
  const check = new DocumentDiagnostics(MIN_UNITS);
  const first = check.check(doc).filter(f => f.code === 'undefined-name');
  assert.deepEqual(first.map(f => f.range.start.line), [42]);
  // two lines added at the top: the finding in an untouched unit moves down with it
  const next = applyChanges(p, doc, 2, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '  a = 1;\n  b = 2;\n' }]);
  doc.tree.delete();
  doc = next;
  assert.deepEqual(check.check(doc).filter(f => f.code === 'undefined-name').map(f => f.range.start.line), [44]);
  check.reset();
  doc.tree.delete();
});

test('units many to a line: a list of 20,000 elements on one line, and two bindings to a line, answer as the whole-file check', { timeout: 60_000 }, async () => {
  // the one-line list never finished in the server: each element walked and hashed the whole line
  const p = await parser();
  const oneLine = `{ a = [ ${Array.from({ length: 20_000 }, (_, i) => (i % 997 === 0 ? 'builtins.currentTime' : `"x${i}"`)).join(' ')} ]; }`;
  const pairs = `{\n${Array.from({ length: 400 }, (_, i) => `  a${i} = ${i}; b${i} = ${i % 50 ? i : 'builtins.getEnv "HOME"'};`).join('\n')}\n}\n`;
  for (const text of [oneLine, pairs]) {
    let doc = createDocument(p, 'file:///x.nix', 1, text);
    const checks = new DocumentDiagnostics(8, (tree, t) => p.copyFlat(tree, t));
    for (const at of [text.length >> 1, text.length >> 2]) {
      const plain = (d: NixDocument, found = diagnose(d)) => JSON.stringify(found.map(f => [f.code, f.range]));
      assert.equal(plain(doc, checks.check(doc)), plain(doc));
      const next = applyChanges(p, doc, doc.version + 1, [{ range: doc.lines.rangeOf(at, at), text: ' ' }]);
      doc.tree.delete();
      doc = next;
      assert.equal(plain(doc, checks.check(doc)), plain(doc));
    }
    assert.ok(diagnose(doc).length > 0, 'the findings are there to compare');
    checks.reset();
    doc.tree.delete();
  }
});

test('a keystroke that breaks a unit and the one that mends it: the broken unit alone is checked, then nothing; a break that reaches the top is mended from what was kept', async () => {
  const p = await parser();
  const text = `{ pkgs, ... }:\n{\n${Array.from({ length: 40 }, (_, i) => `  p${i} = pkgs.callPackage ./p${i} { };`).join('\n')}\n  w = builtins.getEnv "HOME";\n}\n`;
  // a rule that counts the units it is asked about (its name: the unit's first line)
  const asked: string[] = [];
  const counter: Rule = {
    code: 'count-units', severity: 'hint', description: 'counts',
    check: doc => {
      if (doc.window?.kind === 'unit') asked.push(doc.text.slice(doc.window.node.startIndex, doc.window.node.endIndex).split(' ')[0]);
      return [];
    },
  };
  const options = { rules: [...RULES, counter] };
  let doc = createDocument(p, 'file:///ws/big.nix', 1, text);
  const check = new DocumentDiagnostics(MIN_UNITS);
  const step = (at: number, remove: number, insert: string) => {
    const next = applyChanges(p, doc, doc.version + 1, [{ range: doc.lines.rangeOf(at, at + remove), text: insert }]);
    doc.tree.delete();
    doc = next;
    asked.length = 0;
    const found = check.check(doc, options);
    const fresh = createDocument(p, doc.uri, doc.version, doc.text);
    assert.deepEqual(found, diagnose(fresh, options), `differs for:\n${doc.text}`);
    fresh.tree.delete();
    return [...asked];
  };
  check.check(doc, options);
  const inUnit = text.indexOf('callPackage ./p7');
  // `{` in p7's value: the tree has an error, inside p7
  assert.deepEqual(step(inUnit, 0, '{'), ['p7']);
  assert.ok(doc.tree.rootNode.hasError && unitsOf(doc, MIN_UNITS));
  assert.ok(check.check(doc, options).some(f => f.code === 'syntax-error'));
  // taken out again: p7's text is back, and so is what was found in it
  assert.deepEqual(step(inUnit, 1, ''), []);
  assert.ok(!doc.tree.rootNode.hasError);
  // a `}` that closes the file's set early: no units; mended, every unit comes back from what was kept
  const early = text.indexOf('  p20 =');
  step(early, 0, '}');
  assert.equal(unitsOf(doc, MIN_UNITS), undefined, 'the break reaches the top');
  assert.deepEqual(step(early, 1, ''), []);
  assert.deepEqual(check.check(doc, options).filter(f => f.code === 'impure-env').map(f => f.range.start.line), [42]);
  check.reset();
  doc.tree.delete();
});

test('more syntax problems than the check reports (MAX_SYNTAX_ERRORS) in a large file: the same ones as the whole-file check, broken or not', async () => {
  const p = await parser();
  // each unit inherits a computed name (Nix rejects it; the grammar does not)
  const text = `{\n${Array.from({ length: 150 }, (_, i) => `  p${i} = { inherit \${x${i}}; };`).join('\n')}\n}\n`;
  let doc = createDocument(p, 'file:///ws/many.nix', 1, text);
  const check = new DocumentDiagnostics(MIN_UNITS);
  const plain = (found: ReturnType<typeof diagnose>) => found.filter(f => f.code === 'syntax-error').map(f => `${f.range.start.line}:${f.message}`);
  const same = () => {
    const fresh = createDocument(p, doc.uri, doc.version, doc.text);
    const expected = plain(diagnose(fresh));
    fresh.tree.delete();
    assert.deepEqual(plain(check.check(doc)), expected);
    return expected.length;
  };
  assert.equal(same(), MAX_SYNTAX_ERRORS);
  // a tree-level error in one unit too: the file's syntax problems now start with it
  const at = text.indexOf('p100 = ') + 'p100 = '.length;
  const next = applyChanges(p, doc, 2, [{ range: doc.lines.rangeOf(at, at), text: '= ' }]);
  doc.tree.delete();
  doc = next;
  assert.ok(doc.tree.rootNode.hasError);
  assert.equal(same(), MAX_SYNTAX_ERRORS);
  check.reset();
  doc.tree.delete();
});

test('a large file read unit by unit finds a darwinSystem call in a unit, as it finds nixosSystem', async () => {
  const { moduleFacts } = await import('../../server/src/analysis/definitions');
  const p = await parser();
  const hosts = Array.from({ length: 12 }, (_, i) => `  h${i} = 1;`).join('\n');
  const text = `{ nix-darwin, nixpkgs }:\n{\n${hosts}\n  mac = nix-darwin.lib.darwinSystem { modules = [ ./darwin.nix ]; };\n  box = nixpkgs.lib.nixosSystem { modules = [ ./host.nix ]; };\n}\n`;
  const doc = createDocument(p, 'file:///ws/hosts.nix', 1, text);
  new DocumentDiagnostics(MIN_UNITS).check(doc);
  assert.deepEqual(moduleFacts(doc).systems.map(s => [s.name, s.set]), [['mac', 'darwin'], ['box', 'nixos']]);
  doc.tree.delete();
});
