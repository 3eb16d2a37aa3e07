import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldingRanges } from '../../server/src/features/folding';
import { selectionRanges } from '../../server/src/features/selectionRanges';
import { documentSymbols, type NixSymbol } from '../../server/src/features/symbols';
import { covered, parseDoc, withCursor } from '../helpers';

type Shape = [string, string, Shape[]?];
const shape = (symbols: NixSymbol[]): Shape[] =>
  symbols.map(s => (s.children.length ? [s.name, s.kind, shape(s.children)] : [s.name, s.kind]));

const FLAKE = `{
  description = "GPU box";
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
  inputs.home-manager = {
    url = "github:nix-community/home-manager";
    inputs.nixpkgs.follows = "nixpkgs";
  };
  outputs =
    { self, nixpkgs, ... }:
    let
      system = "x86_64-linux";
    in
    {
      nixosConfigurations.gpu = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ./configuration.nix { hardware.nvidia.open = true; } ];
      };
    };
}
`;

test('flake outline: inputs as packages with their url, outputs with arguments, lets and nested bindings', async () => {
  const doc = await parseDoc(FLAKE, 'file:///w/flake.nix');
  const symbols = documentSymbols(doc);
  assert.deepEqual(shape(symbols), [
    ['description', 'string'],
    ['inputs', 'module', [
      ['nixpkgs', 'package', [['url', 'string']]],
      ['home-manager', 'package', [['url', 'string'], ['inputs', 'object', [['nixpkgs', 'object', [['follows', 'string']]]]]]],
    ]],
    ['outputs', 'function', [
      ['self', 'variable'], ['nixpkgs', 'variable'], ['system', 'variable'],
      ['nixosConfigurations', 'object', [['gpu', 'field', [
        ['system', 'field'],
        ['modules', 'array', [['hardware', 'object', [['nvidia', 'object', [['open', 'boolean']]]]]]],
      ]]]],
    ]],
  ]);
  const nixpkgs = symbols[1].children[0];
  assert.equal(nixpkgs.detail, '"github:NixOS/nixpkgs/nixos-25.11"');
  assert.equal(covered(doc, nixpkgs), 'inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";');
  assert.equal(covered(doc, { range: nixpkgs.selectionRange }), 'nixpkgs');
});

test('outside flake.nix, inputs are ordinary attributes', async () => {
  const doc = await parseDoc('{ inputs.x.url = "a"; }', 'file:///w/other.nix');
  assert.deepEqual(shape(documentSymbols(doc)), [['inputs', 'object', [['x', 'object', [['url', 'string']]]]]]);
});

test('a broken file still has an outline', async () => {
  const doc = await parseDoc('{ config, ... }:\n{\n  a = 1;\n  b = {\n    c = 2\n  };\n  d = 3;\n}\n');
  const names = shape(documentSymbols(doc)).map(s => s[0]);
  assert.ok(names.includes('a') && names.includes('d'), JSON.stringify(names));
});

test('folding: attribute sets, lists, let blocks, strings and comment runs', async () => {
  const doc = await parseDoc('# one\n# two\nlet\n  a = [\n    1\n    2\n  ];\n  s = \'\'\n    x\n    y\n  \'\';\nin\n{\n  b = 1;\n}\n');
  assert.deepEqual(foldingRanges(doc).map(r => [r.startLine, r.endLine, r.kind ?? '']), [
    [0, 1, 'comment'], [2, 10, ''], [3, 5, ''], [7, 9, ''], [12, 13, ''],
  ], 'in order of their first line');
});

test('folding: a run of comments is of comments alone on their lines; a file on one line has nothing to fold', async () => {
  const doc = await parseDoc('{\n  a = 1; # one\n  b = 2; # two\n  # three\n  # four\n  c = [ 1 # five\n  ];\n}\n');
  assert.deepEqual(foldingRanges(doc).map(r => [r.startLine, r.endLine, r.kind ?? '']), [[0, 6, ''], [3, 4, 'comment']]);
  const line = await parseDoc(`{ a = [ ${'"x" '.repeat(5000)}]; b = { c = 1; }; }`);
  assert.deepEqual(foldingRanges(line), []);
});

test('selection ranges grow from the token under the cursor to the whole file', async () => {
  const { doc, position } = await withCursor('{ a = { b = 4$02; }; }');
  const [sel] = selectionRanges(doc, [position]);
  const texts: string[] = [];
  for (let s: typeof sel | undefined = sel; s; s = s.parent) texts.push(covered(doc, s));
  assert.deepEqual(texts, ['42', 'b = 42;', '{ b = 42; }', 'a = { b = 42; };', '{ a = { b = 42; }; }']);
});

test('outline names are never empty: an empty attribute name shows quoted, a missing one is left out', async () => {
  const doc = await parseDoc('{ "" = 1; a."" = 2; " " = { b = 3; }; inherit (x) ""; c. = 4; = 5; }');
  const names: string[] = [];
  const walk = (list: NixSymbol[]) => { for (const s of list) { names.push(s.name); walk(s.children); } };
  walk(documentSymbols(doc));
  assert.ok(names.length >= 4, names.join(','));
  for (const n of names) assert.notEqual(n.trim(), '', `empty name in ${JSON.stringify(names)}`);
  assert.ok(names.includes('""'));
  assert.ok(names.includes('" "'));
});
