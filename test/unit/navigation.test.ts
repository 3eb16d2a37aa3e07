import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declarationLine, definition } from '../../server/src/features/definition';
import { highlights } from '../../server/src/features/highlights';
import { references } from '../../server/src/features/references';
import { createKnowledge } from '../../server/src/options/knowledge';
import { withCursor } from '../helpers';

const kb = createKnowledge();
const noFiles = () => undefined;

async function defText(marked: string): Promise<string | undefined> {
  const { doc, offset } = await withCursor(marked);
  const l = definition(doc, offset, kb, noFiles);
  return l?.kind === 'here' ? `${doc.text.slice(l.start, l.end)}@${l.start}` : undefined;
}

test('definition of let, rec, formals, @-argument and inherit names', async () => {
  assert.equal(await defText('let a = 1; in a$0'), 'a@4');
  assert.equal(await defText('rec { a = 1; b = a$0; }'), 'a@6');
  assert.equal(await defText('{ a, b ? a$0 }: b'), 'a@2');
  assert.equal(await defText('args@{ a, ... }: args$0.a'), 'args@0');
  assert.equal(await defText('x: let inherit (x) y; in y$0'), 'y@19');
  assert.equal(await defText('x: { y = x$0; }'), 'x@0');
});

test('scoping: shadowing, let is recursive, with never shadows lexical names, keys are not variables', async () => {
  assert.equal(await defText('a: let a = 1; in a$0'), 'a@7');
  assert.equal(await defText('let a = b; b = 2; in a + b$0'), 'b@11');
  assert.equal(await defText('a: with { a = 2; }; a$0'), 'a@0');
  assert.equal(await defText('let a = 1; in { a$0 = 2; }'), undefined);
  assert.equal(await defText('{ a = 1; b = a$0; }'), undefined, 'a plain set is not recursive');
  assert.equal(await defText('let x = 1; in with pkgs; y$0'), undefined);
});

test('references and highlights of a local name, and nothing for free names', async () => {
  const { doc, offset } = await withCursor('let\n  cuda$0 = 1;\n  b = cuda + 1;\n  inner = let cuda = 2; in cuda;\n  c = { inherit cuda; };\nin cuda + b');
  const refs = references(doc, offset);
  assert.deepEqual(refs.map(r => doc.lines.positionAt(r.start)), [
    { line: 1, character: 2 }, { line: 2, character: 6 }, { line: 4, character: 16 }, { line: 5, character: 3 },
  ]);
  assert.deepEqual(references(doc, offset, false).length, 3);
  const marks = highlights(doc, offset);
  assert.deepEqual(marks.map(m => m.definition), [true, false, false, false]);
  const joined = await withCursor('{ a = rec { b$0 = 1; }; a.c = b; }');
  assert.deepEqual(references(joined.doc, joined.offset).map(r => r.start), [12, 28], 'a.c = … is merged into the rec set and reads its b');
  const free = await withCursor('{ x = pk$0gs; }');
  assert.deepEqual(references(free.doc, free.offset), []);
});

test('references of names a with supplies: the other uses under the same with, and the with keyword; on the keyword, every name it supplies', async () => {
  const text = '(with pkgs; [ hello$0 git (let hello = 1; in hello) (with lib; hello) ]) ++ [ hello ]';
  const { doc, offset } = await withCursor(text);
  const shown = (os: Array<{ start: number; end: number; definition: boolean }>) => os.map(o => `${doc.text.slice(o.start, o.end)}@${o.start}${o.definition ? '!' : ''}`);
  // the let-bound hello is another name; under `with lib;` the innermost with may supply it; the last one is outside
  assert.deepEqual(shown(references(doc, offset)), ['with@1!', 'hello@14']);
  assert.deepEqual(shown(references(doc, offset, false)), ['hello@14']);
  const onWith = await withCursor('w$0ith pkgs; [ hello git (x: x) hello ]');
  assert.deepEqual(references(onWith.doc, onWith.offset).map(o => onWith.doc.text.slice(o.start, o.end)), ['with', 'hello', 'git', 'hello']);
  assert.deepEqual(highlights(onWith.doc, onWith.offset).length, 4);
});

test('definition of an option jumps into its declaring file when the loaded set names one', async () => {
  const file = '/nix/store/abc-source/nixos/modules/hardware/video/nvidia.nix';
  const text = '{ lib, ... }:\n{\n  options.hardware.nvidia = {\n    open = lib.mkOption {\n      type = lib.types.nullOr lib.types.bool;\n    };\n  };\n}\n';
  const loaded = createKnowledge({ nixos: [{ name: 'hardware.nvidia.open', type: 'null or boolean', description: 'x', declaredIn: file }] });
  const { doc, offset } = await withCursor('{ hardware.nvidia.op$0en = true; }');
  assert.deepEqual(definition(doc, offset, loaded, p => (p === file ? text : undefined)), { kind: 'file', path: file, line: 3 });
  assert.equal(definition(doc, offset, kb, noFiles), undefined, 'the catalog alone has no file to open');
  assert.equal(declarationLine('enable = mkEnableOption "x";\n', 'enable'), 0);
  assert.equal(declarationLine('a\n  package = lib.mkPackageOption pkgs "x" { };\n', 'package'), 1);
  // a lone carriage return ends a line, as LSP counts lines
  assert.equal(declarationLine('a\r\rb\r\n  gpu = lib.mkEnableOption "x";\n', 'gpu'), 3);
});

test('definition of a path: the file, or a folder\'s default.nix; nothing for a missing one', async () => {
  const tree: Record<string, 'file' | 'directory'> = { '/w/hw.nix': 'file', '/w/hosts': 'directory', '/w/hosts/default.nix': 'file' };
  const files = { kind: (f: string) => tree[f], home: '/home/me' };
  const at = async (marked: string) => {
    const { doc, offset } = await withCursor(marked, 'file:///w/a.nix');
    return definition(doc, offset, kb, noFiles, files);
  };
  assert.deepEqual(await at('{ imports = [ ./hw$0.nix ]; }'), { kind: 'file', path: '/w/hw.nix', line: 0 });
  assert.deepEqual(await at('{ imports = [ ./hosts$0 ]; }'), { kind: 'file', path: '/w/hosts/default.nix', line: 0 });
  assert.equal(await at('{ imports = [ ./missing$0.nix ]; }'), undefined);
});

test('definition into nixpkgs: pkgs.hello to its by-name package, others to their line in all-packages.nix or python-packages.nix; lib functions to their loaded position', async () => {
  const { FIXTURES } = await import('../fixtureWorkspace');
  const { readTextFile } = await import('../../server/src/util/files');
  const nixpkgs = `${FIXTURES}/nixpkgs-mini`;
  const lookup = { names: new Set<string>(), isFlake: false, nixpkgs, source: () => undefined, place: () => undefined, children: () => undefined, text: readTextFile };
  const at = async (marked: string, knowledge = kb) => {
    const { doc, offset } = await withCursor(marked);
    return definition(doc, offset, knowledge, readTextFile, undefined, lookup);
  };
  assert.deepEqual(await at('{ pkgs, ... }: { environment.systemPackages = [ pkgs.hel$0lo ]; }'), { kind: 'file', path: `${nixpkgs}/pkgs/by-name/he/hello/package.nix`, line: 0 });
  assert.deepEqual(await at('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ ollama-cu$0da ]; }'), { kind: 'file', path: `${nixpkgs}/pkgs/top-level/all-packages.nix`, line: 5 });
  assert.deepEqual(await at('{ pkgs, ... }: pkgs.python3Packages.tor$0ch'), { kind: 'file', path: `${nixpkgs}/pkgs/top-level/python-packages.nix`, line: 4 });
  assert.equal(await at('{ pkgs, ... }: pkgs.nothing$0here'), undefined);
  const { LibIndex } = await import('../../server/src/options/loadedPackages');
  const withLib = createKnowledge({}, { lib: new LibIndex([{ name: 'mkIf', kind: 'function', file: '/nix/store/x-source/lib/modules.nix', line: 42 }], () => undefined) });
  assert.deepEqual(await at('{ lib, ... }: lib.mk$0If true { }', withLib), { kind: 'file', path: '/nix/store/x-source/lib/modules.nix', line: 41 });
  assert.deepEqual(await at('{ lib, ... }: with lib; mk$0If true { }', withLib), { kind: 'file', path: '/nix/store/x-source/lib/modules.nix', line: 41 });
});
