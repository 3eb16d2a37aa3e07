import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'node:test';
import type { FlatTree } from '../../server/src/parse/flatTree';
import { loadNativeParser, loadParser, type NativeParse } from '../../server/src/parse/native';
import { hostileTexts } from '../fuzz/fuzz';
import { allPackagesLike, crate2nixLike } from '../generated';
import { parser, ROOT, treeTexts } from '../helpers';

function native(): NativeParse {
  const loaded = loadNativeParser(__dirname);
  if (!('parse' in loaded)) assert.fail(`the native parser must be built for the tests: ${loaded.reason}`);
  return loaded.parse;
}

/** The first node where two flat trees part, described; undefined when they are the same tree. */
function firstDifference(a: FlatTree, b: FlatTree): string | undefined {
  if (a.sameAs(b)) return undefined;
  for (let i = 0; i < Math.min(a.size, b.size); i++) {
    const one = (t: FlatTree) => `${t.typeName(i)} [${t.start[i]}, ${t.end[i]}) field ${t.fieldOf[i]} flags ${t.flags[i]} parent ${t.parent[i]}`;
    if (one(a) !== one(b)) return `node ${i}: native ${one(a)}, wasm ${one(b)}`;
  }
  return `native has ${a.size} nodes, wasm ${b.size}`;
}

test('the native parser and web-tree-sitter give the same tree (types, fields, extents, error and missing nodes) for every test file, broken copies, hostile and generated large files', async () => {
  const p = await parser();
  const parse = native();
  const texts: Array<[string, string]> = [
    ...treeTexts(),
    ...hostileTexts(false),
    ['all-packages-like 0.8 MB', allPackagesLike(800_000, 3)],
    ['crate2nix-like 1.4 MB', crate2nixLike(1_400_000, 4)],
    ['non-ASCII and astral characters', '{ a = "é😀"; "ü-😀" = 1; b = \'\'\n  ${"😀"} é\n\'\'; }\n'],
    ['lone carriage returns', '{\r  a = 1;\r  b = 2;\r}\r'],
  ];
  let broken = 0;
  for (const [name, text] of texts) {
    const fromNative = parse(text);
    const fromWasm = p.parseFlat(text);
    if (fromWasm.rootNode.hasError) broken++;
    const difference = firstDifference(fromNative, fromWasm);
    assert.equal(difference, undefined, `${name}: ${difference}`);
    // the same names for the types and fields the trees use
    for (let i = 0; i < fromNative.size; i++) assert.equal(fromNative.typeName(i), fromWasm.typeName(i), name);
    assert.deepEqual(fromNative.grammar.fields, fromWasm.grammar.fields);
  }
  assert.ok(texts.length > 300 && broken > 100, `${texts.length} texts, ${broken} with syntax errors`);
});

test('the parser for the CLI and the standalone server: native for whole files where it loads, web-tree-sitter when told (VS Code) or when it does not load', async () => {
  const said: string[] = [] as string[];
  const chosen = await loadParser(__dirname, m => said.push(m));
  assert.equal(chosen.flatBy, 'native');
  assert.equal(said.length, 0);

  process.env.NIX_AI_PARSER = 'wasm';
  try {
    assert.equal((await loadParser(__dirname, m => said.push(m))).flatBy, 'wasm');
    assert.equal(said.length, 0, 'asked for: nothing to say');
  } finally {
    delete process.env.NIX_AI_PARSER;
  }

  // a folder with the bundle's wasm files and no native parser (a VS Code extension's dist/)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-no-native-'));
  for (const f of ['web-tree-sitter.wasm', 'tree-sitter-nix.wasm']) fs.copyFileSync(path.join(ROOT, 'dist', f), path.join(dir, f));
  const fallback = await loadParser(dir, m => said.push(m));
  assert.equal(fallback.flatBy, 'wasm');
  assert.equal(said.length, 1);
  assert.match(said[0], /parsing with WebAssembly.*nix-ai-parser\.node was not built/);
  assert.equal(fallback.parseFlat('{ a = 1; }').rootNode.type, 'source_code');

  // an addon that does not load (not a shared object) is named with the loader's reason
  fs.writeFileSync(path.join(dir, 'nix-ai-parser.node'), 'not an addon');
  const broken = loadNativeParser(dir);
  assert.ok('reason' in broken && broken.reason.includes('does not load here'), JSON.stringify(broken));
  fs.rmSync(dir, { recursive: true, force: true });
});
