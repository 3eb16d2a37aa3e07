import assert from 'node:assert/strict';
import { test } from 'node:test';
import { semanticTokens, type OptionKey } from '../../server/src/features/semanticTokens';
import { parseDoc } from '../helpers';

async function tokens(text: string, keys: OptionKey[] = [], range?: [number, number]): Promise<string[]> {
  const doc = await parseDoc(text);
  return semanticTokens(doc, keys, ...(range ?? [])).map(t => `${text.slice(t.start, t.end)}:${[t.type, ...t.modifiers].join('.')}`);
}

test('semantic tokens: parameters, let and rec names, with-provided names, builtins, attributes', async () => {
  assert.deepEqual(await tokens('{ pkgs, cuda ? false, ... }@args: let n = 1; in with pkgs; [ n cuda args hello builtins.map toString pkgs.git ]'), [
    'pkgs:parameter.declaration', 'cuda:parameter.declaration', 'args:parameter.declaration',
    'n:variable.declaration', 'pkgs:parameter', 'n:variable', 'cuda:parameter', 'args:parameter', 'hello:variable.fromWith',
    'builtins:function.defaultLibrary', 'map:function.defaultLibrary', 'toString:function.defaultLibrary', 'pkgs:parameter', 'git:property',
  ]);
  assert.deepEqual(await tokens('rec { a = 1; b = a; c.d = { e = 2; }; inherit (x) f; }'), [
    'a:property.declaration', 'b:property.declaration', 'a:variable', 'c:property.declaration', 'd:property', 'e:property', 'x:variable', 'f:property',
  ]);
});

test('semantic tokens: paths, URLs and interpolation; option keys known to the option set, deprecated ones marked', async () => {
  assert.deepEqual(await tokens('[ ./a.nix ~/b <nixpkgs> https://x.org "${y}/z" ]'), [
    './a.nix:path', '~/b:path', '<nixpkgs>:path', 'https://x.org:url', '${:interpolation', 'y:variable', '}:interpolation',
  ]);
  assert.deepEqual(await tokens('./hosts/${name}/default.nix'), ['./hosts/:path', '${:interpolation', 'name:variable', '}:interpolation', '/default.nix:path']);
  const text = '{ hardware.opengl.enable = true; hardware.nvidia.open = true; foo.bar = 1; }';
  const key = (k: string, deprecated: boolean) => ({ start: text.indexOf(k), end: text.indexOf(k) + k.length, deprecated });
  assert.deepEqual(await tokens(text, [key('hardware.opengl.enable', true), key('hardware.nvidia.open', false)]), [
    'hardware:property.option.deprecated', 'opengl:property.option.deprecated', 'enable:property.option.deprecated',
    'hardware:property.option', 'nvidia:property.option', 'open:property.option', 'foo:property', 'bar:property',
  ]);
});

test('semantic tokens for a range read only what overlaps it', async () => {
  const text = 'let a = 1; b = 2; c = 3; in [ a b c ]';
  assert.deepEqual(await tokens(text, [], [text.indexOf('[') + 1, text.indexOf(']')]), ['a:variable', 'b:variable', 'c:variable']);
});

test('a name nested deeper than MAX_CLIMB resolves the same whether or not the tree was indexed before (found by fuzz seed 21)', async () => {
  const { nodesIn } = await import('../../server/src/parse/nodeIndex');
  // `f a0 a1 … a299` is 300 applications deep around f, all inside `with pkgs;`
  const text = `{ pkgs }:\nwith pkgs;\n[ (f ${Array.from({ length: 300 }, (_, i) => `a${i}`).join(' ')}) ]\n`;
  const at = text.indexOf('(f ') + 1;
  const tokenOfF = (doc: Awaited<ReturnType<typeof parseDoc>>) => semanticTokens(doc).find(t => t.start === at);
  const cold = await parseDoc(text);
  const first = tokenOfF(cold);
  const warm = await parseDoc(text);
  nodesIn(warm, 'identifier');
  assert.deepEqual(first, { start: at, end: at + 1, type: 'variable', modifiers: ['fromWith'] });
  assert.deepEqual(tokenOfF(warm), first);
});

test('a path node that error recovery stretched over several lines gives a token on its first line only (found by fuzz seed 25)', async () => {
  const text = 'inpu]t\ude00sr ec @{\n  self,}\n  ./pgs,\n}:\nin\ud83dputslet q = services.ollama.acceleration = "cuda";1; inbuiltins.getEbu';
  const doc = await parseDoc(text);
  const found = semanticTokens(doc);
  assert.deepEqual(found.filter(t => t.type === 'path').map(t => text.slice(t.start, t.end)), ['./pgs,']);
  assert.ok(found.every(t => !text.slice(t.start, t.end).includes('\n')));
});
