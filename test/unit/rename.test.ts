import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prepareRename } from '../../server/src/features/rename';
import { attrLabel, isIdentifier } from '../../server/src/parse/syntaxTree';
import { diagnose } from '../../server/src/features/diagnostics';
import { parseDoc, withCursor } from '../helpers';
import { EVALUATED, renamed } from '../renameCases';

test('rename: let, rec, formals with defaults and @, dotted let names', async () => {
  assert.equal(await renamed('let cuda$0 = 1; b = cuda + 1; in cuda + b', 'gpu'), 'let gpu = 1; b = gpu + 1; in gpu + b');
  assert.equal(await renamed('rec { a = 1; b = a$0 + 1; }', 'first'), 'rec { first = 1; b = first + 1; }');
  assert.equal(await renamed('{ a$0, b ? a + 1 }@args: [ a b args.a ]', 'x'), '{ x, b ? x + 1 }@args: [ x b args.a ]', 'args.a is an attribute, not the argument');
  assert.equal(await renamed('args$0@{ a, ... }: args.a', 'all'), 'all@{ a, ... }: all.a');
  assert.equal(await renamed('let a$0.b = 1; a.c = 2; in a', 'n'), 'let n.b = 1; n.c = 2; in n');
  assert.equal(await renamed('let "q" = 1; in q$0', 'r'), 'let r = 1; in r');
  assert.equal(await renamed('let a$0 = 1; in "${toString a}"', 'n'), 'let n = 1; in "${toString n}"');
  assert.equal(await renamed('let a$0 = 1; in a', 'a'), 'let a = 1; in a', 'the same name changes nothing');
});

test('rename: inherit keeps the name it binds, and inherit (src) becomes a selection', async () => {
  assert.equal(await renamed('let x$0 = 1; in { inherit x; }', 'z'), 'let z = 1; in { x = z; }');
  assert.equal(await renamed('let x$0 = 1; in { inherit x y; }', 'z'), 'let z = 1; in { inherit y; x = z; }');
  assert.equal(await renamed('let x = 1; in let inherit x$0; in x', 'y'), 'let x = 1; in let y = x; in y');
  assert.equal(await renamed('let inherit (pkgs) hello$0 git; in hello', 'h'), 'let inherit (pkgs) git; h = pkgs.hello; in h');
  assert.equal(await renamed('let inherit (pkgs) git hello$0; in hello', 'h'), 'let inherit (pkgs) git; h = pkgs.hello; in h');
  assert.equal(await renamed('let inherit (import ./x.nix) a$0; in a', 'b'), 'let b = (import ./x.nix).a; in b');
});

test('rename refuses what would change the meaning: capture either way, a with, a builtin, a name already bound', async () => {
  assert.match(await renamed('let a$0 = 1; in let b = 2; in a', 'b'), /^refused: The 'a' on line 1 would then mean the 'b' bound on line 1/);
  assert.match(await renamed('let a$0 = 1; in with pkgs; a + hello', 'hello'), /^refused: The 'hello' on line 1 is `with pkgs`/);
  assert.match(await renamed('let a$0 = 1; in a + toString 1', 'toString'), /is a builtin or a name from outside this file/);
  assert.match(await renamed('let a$0 = 1;\n  b = 2;\nin a', 'b'), /^refused: 'b' is already bound here \(line 2\)/);
  assert.match(await renamed('y: let x$0 = 1; in let x = 2; in y', 'y'), /The 'y' on line 1 is the one bound on line 1/, 'an inner binding of the old name does not hide a capture');
  assert.match(await renamed('{ a$0, b }: a', 'b'), /already bound/);
  assert.equal(await renamed('let a$0 = 1; in let b = 2; in b', 'b'), 'let b = 1; in let b = 2; in b', 'nothing reads the outer name inside');
});

test('rename refuses names passed by name and names not bound in the file, and invalid names', async () => {
  assert.match(await renamed('{ pkgs$0, ... }: pkgs.hello', 'p'), /^refused: 'pkgs' is passed by name/);
  assert.match(await renamed('{ outputs = { self, nixpkgs$0 }: nixpkgs; }', 'np', 'file:///w/flake.nix'), /is a flake input/);
  assert.equal(await renamed('{ outputs = { self, nixpkgs$0 }: nixpkgs; }', 'np', 'file:///w/other.nix'), '{ outputs = { self, np }: np; }');
  assert.match(await renamed('{ a$0 = 1; }', 'b'), /is an attribute name/);
  assert.match(await renamed('with pkgs; hello$0', 'b'), /comes from a `with` set/);
  assert.match(await renamed('toString$0 1', 'b'), /not bound in this file/);
  assert.equal(await renamed('1 + $0 2', 'b'), 'no name here');
  for (const bad of ['foo bar', 'if', 'or', '1a', '', 'a.b']) assert.match(await renamed('let a$0 = 1; in a', bad), /is not a Nix name/, bad);
  assert.match(await renamed('let a$0 = 1; in a', 'foo bar'), /"foo bar" = …/);
  for (const good of ['a', '_x', "x'", 'cuda-12', 'A_1']) assert.ok(isIdentifier(good), good);
});

test('attrLabel: bare where Nix allows it, else a string whose ${ stays literal', () => {
  assert.deepEqual(['cuda-12', 'in', 'or', 'me@laptop', 'a${b}', 'x"y'].map(attrLabel), ['cuda-12', '"in"', '"or"', '"me@laptop"', '"a\\${b}"', '"x\\"y"']);
});

test('prepareRename gives the range and the name, or the reason', async () => {
  const { doc, offset } = await withCursor('let cuda = 1; in cu$0da');
  assert.deepEqual(prepareRename(doc, offset), { start: 17, end: 21, placeholder: 'cuda' });
  const quoted = await withCursor('let "q" = 1; in q$0');
  assert.deepEqual(prepareRename(quoted.doc, quoted.offset), { start: 16, end: 17, placeholder: 'q' });
});

test('every evaluated rename case parses cleanly afterwards', async () => {
  for (const [marked, name] of EVALUATED) {
    const after = await renamed(marked, name);
    assert.ok(!after.startsWith('refused') && after !== marked.replace('$0', ''), `${marked}: ${after}`);
    const errors = diagnose(await parseDoc(after)).filter(f => f.code === 'syntax-error');
    assert.deepEqual(errors, [], after);
  }
});
