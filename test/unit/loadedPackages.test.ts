import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'node:test';
import { complete } from '../../server/src/features/completion';
import { hover } from '../../server/src/features/hover';
import { createKnowledge } from '../../server/src/options/knowledge';
import { docCommentAbove, LibIndex, PackageNames } from '../../server/src/options/loadedPackages';
import { PackageDetails } from '../../server/src/options/packageDetails';
import { parser, withCursor } from '../helpers';

test('package names: a prefix finds its names in order, case ignored, and says when there are more', () => {
  const names = new PackageNames(['hello', 'Hello-Go', 'helix', 'ollama', 'ollama-cuda', 'zsh', 'hello']);
  assert.equal(names.size, 6);
  assert.deepEqual(names.matching('hel', 10), { names: ['helix', 'hello', 'Hello-Go'], more: false });
  assert.deepEqual(names.matching('OLL', 1), { names: ['ollama'], more: true });
  assert.deepEqual(names.matching('', 2).names, ['helix', 'hello']);
  assert.ok(names.has('Hello-Go') && !names.has('hello-go') && !names.has('nothing'));
});

test('doc comments above a line: /** */ with its type line, # lines, or none', () => {
  const text = [
    '{',
    '  /**',
    '    Whether a string starts with a prefix.',
    '',
    '    # Type',
    '',
    '    ```',
    '    hasPrefix :: string -> string -> bool',
    '    ```',
    '  */',
    '  hasPrefix = pref: str: true;',
    '  # Joins strings.',
    '  # With a separator.',
    '  concat = x: x;',
    '  plain = 1;',
    '}',
  ].join('\n');
  const block = docCommentAbove(text, 11)!;
  assert.match(block.text, /^Whether a string starts with a prefix\.\n\n# Type/);
  assert.equal(block.signature, 'hasPrefix :: string -> string -> bool');
  assert.deepEqual(docCommentAbove(text, 14), { text: 'Joins strings.\nWith a separator.' });
  assert.equal(docCommentAbove(text, 15), undefined);
});

test('with loaded names, pkgs. completes the user\'s packages by prefix, capped, and hover knows them', async () => {
  const many = Array.from({ length: 100_000 }, (_, i) => `pkg${String(i).padStart(6, '0')}`);
  const kb = createKnowledge({}, { packageNames: new PackageNames([...many, 'hello', 'helix', 'ollama']) });
  const p = await parser();
  const at = async (marked: string) => {
    const { doc, offset } = await withCursor(marked);
    return complete(p, doc, offset, kb);
  };
  const hel = await at('{ pkgs, ... }: { environment.systemPackages = [ pkgs.hel$0 ]; }');
  assert.deepEqual(hel.items.filter(i => i.label.startsWith('hel')).map(i => i.label).sort(), ['helix', 'hello']);
  const all = await at('{ pkgs, ... }: [ pkgs.$0 ]');
  assert.equal(all.incomplete, true, 'more names than one list holds');
  assert.ok(all.items.length <= 301 && all.items.some(i => i.label === 'ollama-cuda'), 'the catalog\'s packages come too');
  const withPkgs = await at('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ oll$0 ]; }');
  assert.ok(withPkgs.items.some(i => i.label === 'ollama'));
  const h = await withCursor('{ pkgs, ... }: [ pkgs.hel$0lo ]');
  assert.match(hover(h.doc, h.offset, kb, [])!.markdown, /pkgs\.hello\*\* · package from your nixpkgs/);
});

test('lib. completes the catalog and the loaded lib; a loaded function\'s doc comment comes on demand and in hover', async () => {
  const files: Record<string, string> = { '/n/lib/strings.nix': '{\n  # Whether a string starts with a prefix.\n  hasPrefix = a: b: true;\n}\n' };
  let reads = 0;
  const lib = new LibIndex([{ name: 'hasPrefix', kind: 'function', file: '/n/lib/strings.nix', line: 3 }, { name: 'licenses', kind: 'set', file: null, line: null }], f => {
    reads++;
    return files[f];
  });
  const kb = createKnowledge({}, { lib });
  const { doc, offset } = await withCursor('{ lib, ... }: lib.$0');
  const items = complete(await parser(), doc, offset, kb).items;
  assert.ok(items.some(i => i.label === 'mkIf' && /condition value/.test(i.detail ?? '')), 'the catalog');
  const has = items.find(i => i.label === 'hasPrefix')!;
  assert.equal(reads, 0, 'nothing read while listing');
  assert.match(has.later!()!, /Whether a string starts with a prefix/);
  assert.equal(items.find(i => i.label === 'licenses')?.kind, 'packageSet');
  const h = await withCursor('{ lib, ... }: lib.hasPre$0fix');
  assert.match(hover(h.doc, h.offset, kb, [])!.markdown, /Whether a string starts with a prefix/);
  assert.equal(reads, 1, 'a doc comment is read once');
});

test('a nested set: listed names complete; a set not listed yet gives an incomplete answer and what to wait for', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-pkgs-'));
  const cacheFile = path.join(dir, 'packages.json');
  fs.writeFileSync(cacheFile, JSON.stringify({ details: {}, sets: { python3Packages: ['numpy', 'torch'] } }));
  const packageDetails = new PackageDetails({ kind: 'nixpkgs' }, { nix: '/nonexistent/nix', cacheFile, timeoutMs: 1000, memoryLimitMb: 100 });
  const kb = createKnowledge({}, { packageNames: new PackageNames(['hello', 'python3Packages']), packageDetails });
  const p = await parser();
  const listed = await withCursor('{ pkgs, ... }: [ pkgs.python3Packages.to$0 ]');
  const r = complete(p, listed.doc, listed.offset, kb);
  assert.ok(r.items.some(i => i.label === 'torch') && r.waitFor === undefined);
  assert.deepEqual(r.items.find(i => i.label === 'torch')?.package, ['python3Packages', 'torch']);
  const unlisted = await withCursor('{ pkgs, ... }: [ pkgs.rocmPackages.$0 ]');
  const u = complete(p, unlisted.doc, unlisted.offset, kb);
  assert.equal(u.incomplete, true);
  assert.ok(u.waitFor);
  assert.equal(await u.waitFor, undefined, 'without nix the listing gives nothing, and fails no one');
});

test('in a list of packages without with pkgs;, a name completes to pkgs.<name>', async () => {
  const kb = createKnowledge({}, { packageNames: new PackageNames(['hello', 'helix', 'zsh']) });
  const p = await parser();
  const labels = async (marked: string) => {
    const { doc, offset } = await withCursor(marked);
    return complete(p, doc, offset, kb).items.filter(i => i.label.startsWith('pkgs.')).map(i => `${i.label}|${i.insertText}|${i.filterText}`);
  };
  assert.deepEqual(await labels('{ pkgs, ... }: { environment.systemPackages = [ hel$0 ]; }'), ['pkgs.helix|pkgs.helix|helix', 'pkgs.hello|pkgs.hello|hello']);
  assert.deepEqual(await labels('{ pkgs }: pkgs.mkShell { packages = [ zs$0 ]; }'), ['pkgs.zsh|pkgs.zsh|zsh']);
  assert.deepEqual(await labels('{ pkgs, ... }: { environment.systemPackages = with pkgs; [ hel$0 ]; }'), [], 'with pkgs; gives the bare names instead');
  assert.deepEqual(await labels('{ lib, ... }: { environment.systemPackages = [ hel$0 ]; }'), [], 'no pkgs to write');
  assert.deepEqual(await labels('{ pkgs, ... }: { networking.hostName = [ hel$0 ]; }'), [], 'not a list of packages');
});
