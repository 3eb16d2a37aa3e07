import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, checkFix } from '../ruleFixtures';

const FLAKE = { uri: 'file:///work/flake.nix' };

const CASES: Array<[string, string, object?]> = [
  ['duplicate-key', '{ a = 1; «a» = 2; }'],
  ['duplicate-key', '{ a = 1; «a».b = 2; }'],
  ['duplicate-key', '{ a, «a» }: a'],
  ['duplicate-key', 'let x = 1; «x» = 2; in x'],
  ['duplicate-key', '{ a.b = 1; a = { c = 2; }; }'],
  ['duplicate-key', '{ a = 1; b = { a = 2; }; }'],

  ['undefined-name', '{ pkgs }: «pkgz».hello'],
  ['undefined-name', 'let a = 1; in { inherit «b»; c = a; }'],
  ['undefined-name', 'with import ./x.nix; whatever'],
  ['undefined-name', '{ pkgs, ... }: { x = builtins.map toString [ true null ]; y = import ./a.nix; z = __add 1 2; }'],
  ['undefined-name', 'rec { a = 1; b = a; }'],

  ['unused-binding', 'let «unused» = 1; used = 2; in used'],
  ['unused-binding', '{ stdenv, «fetchurl» }: stdenv.mkDerivation { }'],
  ['unused-binding', '{ config, lib, pkgs, modulesPath, options, ... }: { }'],
  ['unused-binding', '{ outputs = { self, nixpkgs, flake-utils }: { }; }', FLAKE],
  ['unused-binding', 'let _skip = 1; f = x: 1; in f 2'],
  ['unused-binding', 'args@{ a, b, ... }: args'],

  ['unused-with', '«with pkgs; »[ 1 2 ]'],
  ['unused-with', '{ pkgs, lib }: «with lib; »let hello = 1; in hello'],
  ['unused-with', '{ pkgs }: with pkgs; [ hello git ]'],
  ['unused-with', 'with builtins; with { a = 1; }; [ a map ]'],

  ['empty-inherit', '{ «inherit ;» a = 1; }'],
  ['empty-inherit', 'let x = { }; in { «inherit (x) ;» }'],
  ['empty-inherit', '{ inherit (builtins) map; }'],
  ['empty-inherit', 'let a = 1; in { inherit a; }'],

  ['empty-let', '«let in »1'],
  ['empty-let', '{ a = «let in »{ b = 1; }; }'],
  ['empty-let', 'let /* later */ in 1'],
  ['empty-let', 'let a = 1; in a'],
];

for (const [code, fixture, options] of CASES) {
  test(`${code}: ${fixture}`, async () => {
    await check(code, fixture, options);
  });
}

test('fixes: remove an unused let binding, an unused with, an empty let', async () => {
  await checkFix('unused-binding', 'let\n  «unused» = 1;\n  used = 2;\nin\nused', /Remove the unused binding 'unused'/, 'let\n  used = 2;\nin\nused');
  await checkFix('unused-with', '«with pkgs; »[ 1 2 ]', /Remove `with pkgs;`/, '[ 1 2 ]');
  await checkFix('empty-let', '«let in »1', /Remove `let in`/, '1');
});

test('undefined-name suggests a visible name spelled alike', async () => {
  const { found } = await check('undefined-name', 'let config = 1; in «confg»');
  assert.match(found[0].message, /did you mean 'config'/);
});
