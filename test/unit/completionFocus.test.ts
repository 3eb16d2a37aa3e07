import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../server/src/features/completion';
import { createDocument } from '../../server/src/parse/documents';
import { unitsOf } from '../../server/src/parse/units';
import { createKnowledge } from '../../server/src/options/knowledge';
import { allPackagesLike } from '../generated';
import { parser, testNixFiles } from '../helpers';

// In a large file, completion parses only the unit under the cursor and what surrounds the units
// (analysis/cursor.ts). Here every file counts as large (two units are enough) and each answer
// must equal the one from parsing the whole patched text.

const kb = createKnowledge();
const TWO = 2;

/** Module shapes where a sibling decides what a place means (`config` / `options` keys). */
const modules: Array<[string, string]> = [
  ['full module', '{ config, lib, pkgs, ... }: {\n  options.foo = lib.mkOption { };\n  imports = [ ];\n  config = {\n    hardware.nvidia.open = true;\n    services.ollama.enable = true;\n  };\n  meta.x = 1;\n}\n'],
  ['config set by path', '{ lib, ... }: {\n  config.hardware.nvidia.open = true;\n  config.services.ollama.acceleration = "cuda";\n  environment.systemPackages = [ ];\n}\n'],
  ['quoted keys', '{ pkgs, ... }: {\n  "options" = { };\n  hardware.graphics.enable = true;\n  environment.systemPackages = with pkgs; [ git cudaPackages.cudatoolkit ollama ];\n}\n'],
  ['shorthand module', '{ pkgs, ... }: {\n  hardware.nvidia.open = true;\n  hardware.nvidia.prime.offload.enable = true;\n  services.xserver.videoDrivers = [ "nvidia" ];\n  environment.systemPackages = [ pkgs.nvtopPackages.full pkgs.cudaPackages.cudatoolkit ];\n}\n'],
];

/** Where a user asks for completion: word ends, the middle of words, after dots, inside strings and brackets. */
function offsets(text: string, most: number): number[] {
  const all: number[] = [];
  for (let i = 1; i < text.length; i++) {
    const before = text[i - 1];
    if (/[\w'.-]/.test(before) || before === '"' || (before === ' ' && /[{[;=]/.test(text[i - 2] ?? ''))) all.push(i);
  }
  const step = Math.max(1, Math.ceil(all.length / most));
  return all.filter((_, k) => k % step === 0);
}

test('completion in one unit of a large file answers as a parse of the whole file does', async () => {
  const p = await parser();
  const texts: Array<[string, string]> = [...modules, ...testNixFiles(), ['all-packages-like', allPackagesLike(30_000)]];
  // and each with a syntax error in one unit (a second `=` in a binding in its second half): the others still answer from their unit
  for (const [name, text] of [...modules, ['all-packages-like', allPackagesLike(30_000)]]) {
    const at = text.indexOf(' = ', text.length >> 1) + 3;
    texts.push([`${name}, broken`, `${text.slice(0, at)}= ${text.slice(at)}`]);
  }
  let compared = 0;
  let focused = 0;
  let broken = 0;
  for (const [name, text] of texts) {
    const doc = createDocument(p, `file:///ws/${name.replace(/[^\w.-]/g, '_')}`, 1, text);
    try {
      if (!unitsOf(doc, TWO)) continue;
      if (doc.tree.rootNode.hasError) broken++;
      focused++;
      for (const offset of offsets(text, 120)) {
        const whole = complete(p, doc, offset, kb, undefined, Infinity);
        const part = complete(p, doc, offset, kb, undefined, TWO);
        assert.deepEqual(part, whole, `${name} at ${offset}: …${JSON.stringify(text.slice(Math.max(0, offset - 40), offset))}|${JSON.stringify(text.slice(offset, offset + 20))}`);
        compared++;
      }
    } finally {
      doc.tree.delete();
    }
  }
  assert.ok(focused >= 20, `only ${focused} files have units`);
  assert.ok(broken >= 5, `only ${broken} files with a syntax error have units`);
  assert.ok(compared >= 2000, `only ${compared} places compared`);
});

test('completion where error recovery nested the word past the climb limit parses the text with the word once, not once per way of completing it', async () => {
  const p = await parser();
  // a broken package set read as one application 400 deep: `a0 = x; a1 = x; …` after a stray `}`
  const text = `{\n}\n${Array.from({ length: 400 }, (_, i) => `  a${i} = x;`).join('\n')}\n}\n`;
  const doc = createDocument(p, 'file:///ws/deep.nix', 1, text);
  let parses = 0;
  const counting = new Proxy(p, { get: (target, key) => (key === 'parse' ? (...args: Parameters<typeof p.parse>) => (parses++, target.parse(...args)) : Reflect.get(target, key)) });
  const offset = text.indexOf('a3 =') + 2;
  const result = complete(counting, doc, offset, kb);
  assert.equal(parses, 1, 'one parse with the placeholder');
  assert.ok(Array.isArray(result.items));
  doc.tree.delete();
});
