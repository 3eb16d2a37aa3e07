import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { complete } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { inputHover, type InputLookup } from '../../server/src/features/inputNavigation';
import { readDocument } from '../../server/src/parse/documents';
import { readTextFile } from '../../server/src/util/files';
import { collectNixFiles } from '../../server/src/util/nixFiles';
import { Project } from '../../server/src/workspace/project';
import { createKnowledge } from '../../server/src/options/knowledge';
import { FIXTURES, offlineFlakeConfig, tmpDir } from '../fixtureWorkspace';
import { parseDoc, parser } from '../helpers';
import { requireNix } from './nixTool';

/**
 * Definitions, hovers and completion through flake inputs (issue 27): a workspace flake whose
 * input is another flake on disk, locked for real by `nix flake lock` (which copies it into the store).
 */

const ALL_RELEASES_KB = createKnowledge();
let ws: string;
let store: string;

const INPUT_FLAKE = `{
  description = "GPU modules";
  outputs = { self, ... }: {
    nixosModules.tuned = ./tuned.nix;
    nixosModules.plain = import ./plain.nix;
    lib.helper = x: x;
    lib.gpuCount = 2;
  };
}
`;

const FLAKE = (gpu: string, nixpkgs = '/nowhere/nixpkgs') => `{
  inputs.gpu.url = "path:${gpu}";
  inputs.nixpkgs.url = "path:${nixpkgs}";
  outputs = { self, gpu, ... }@inputs: {
    nixosConfigurations.box = gpu.lib.helper {
      modules = [ ./host.nix gpu.nixosModules.tuned ];
    };
    value = gpu.lib.gpuCount;
  };
}
`;

const HOST = '{ inputs, pkgs, ... }: {\n  imports = [ inputs.gpu.nixosModules.plain ];\n  environment.systemPackages = [ pkgs.hello ];\n}\n';

before(() => {
  requireNix();
  const gpu = path.join(tmpDir('input'), 'gpu-modules');
  fs.mkdirSync(gpu);
  fs.writeFileSync(path.join(gpu, 'flake.nix'), INPUT_FLAKE);
  fs.writeFileSync(path.join(gpu, 'tuned.nix'), '{ ... }: {\n  hardware.nvidia.open = true;\n}\n');
  fs.writeFileSync(path.join(gpu, 'plain.nix'), '{ ... }: { }\n');
  const nixpkgs = path.join(tmpDir('nixpkgs'), 'nixpkgs');
  fs.cpSync(path.join(FIXTURES, 'nixpkgs-mini'), nixpkgs, { recursive: true });
  ws = tmpDir('via-input');
  fs.writeFileSync(path.join(ws, 'flake.nix'), FLAKE(gpu, nixpkgs));
  fs.writeFileSync(path.join(ws, 'host.nix'), HOST);
  const r = spawnSync('nix', ['flake', 'lock'], { cwd: ws, env: { ...process.env, NIX_CONFIG: offlineFlakeConfig() }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lock = JSON.parse(fs.readFileSync(path.join(ws, 'flake.lock'), 'utf8'));
  assert.ok(lock.nodes.gpu.locked.narHash);
});

async function open(name: string) {
  const p = await parser();
  const files = collectNixFiles([ws]).files;
  const project = new Project(p, { read: readTextFile, files: () => files, open: () => undefined, checksAll: true, parse: (f, t) => readDocument(p, f, t) });
  const file = path.join(ws, name);
  const text = fs.readFileSync(file, 'utf8');
  const doc = readDocument(p, file, text);
  const lookup = project.inputLookup(file);
  assert.ok(lookup, 'the flake has inputs');
  store = lookup.source('gpu')!.dir!;
  return { p, doc, text, lookup, uri: pathToFileURL(file).href };
}

/** The definition at the first `marker` (the cursor `at` characters into it). */
function defAt(doc: ReturnType<typeof readDocument>, text: string, lookup: InputLookup, marker: string, at = 1) {
  const offset = text.indexOf(marker) + at;
  assert.ok(offset >= at, `${marker} is in the text`);
  return definition(doc, offset, ALL_RELEASES_KB, readTextFile, undefined, lookup);
}

test("an input's name, its url and the formal that takes it open its flake.nix in the locked source", async () => {
  const { doc, text, lookup } = await open('flake.nix');
  assert.ok(store.startsWith(process.env.NIX_STORE_DIR || '/nix/store'), store);
  for (const [marker, at] of [['gpu.url', 1], ['"path:', 3], ['gpu, ...', 1], ['gpu.lib.helper', 1]] as const) {
    const l = defAt(doc, text, lookup, marker, at);
    assert.deepEqual(l, { kind: 'file', path: path.join(store, 'flake.nix'), line: 0, character: 0 }, marker);
  }
});

test('definition on gpu.nixosModules.tuned lands on the module file; on gpu.lib.helper on the function', async () => {
  const { doc, text, lookup } = await open('flake.nix');
  assert.deepEqual(defAt(doc, text, lookup, 'tuned ]', 1), { kind: 'file', path: path.join(store, 'tuned.nix'), line: 0, character: 0 });
  const helper = defAt(doc, text, lookup, 'helper {', 1);
  assert.deepEqual(helper, { kind: 'file', path: path.join(store, 'flake.nix'), line: 5, character: 17 }, 'the lambda x: x');
  // a module given `inputs`: inputs.gpu.nixosModules.plain is plain.nix (imported in the input's flake)
  const host = await open('host.nix');
  assert.deepEqual(defAt(host.doc, host.text, host.lookup, 'plain ]', 1), { kind: 'file', path: path.join(store, 'plain.nix'), line: 0, character: 0 });
});

test('completion after gpu.nixosModules. and inputs.gpu.lib. lists what the input defines, with where', async () => {
  const { p, lookup, uri } = await open('flake.nix');
  const edited = FLAKE('X').replace('value = gpu.lib.gpuCount;', 'value = gpu.nixosModules.;');
  const doc = await parseDoc(edited, uri);
  const at = edited.indexOf('nixosModules.;') + 'nixosModules.'.length;
  const r = complete(p, doc, at, ALL_RELEASES_KB, undefined, undefined, lookup);
  assert.deepEqual(r.items.map(i => i.label), ['plain', 'tuned']);
  assert.match(r.items[1].documentation ?? '', /gpu\.nixosModules\.tuned`, defined in `.*tuned\.nix` line 1/);

  const host = await open('host.nix');
  const typed = HOST.replace('inputs.gpu.nixosModules.plain', 'inputs.gpu.lib.');
  const hostDoc = await parseDoc(typed, host.uri);
  const lib = complete(p, hostDoc, typed.indexOf('lib.') + 4, ALL_RELEASES_KB, undefined, undefined, host.lookup);
  assert.deepEqual(lib.items.map(i => [i.label, i.kind]), [['gpuCount', 'value'], ['helper', 'function']]);
  const names = complete(p, hostDoc, typed.indexOf('inputs.') + 7, ALL_RELEASES_KB, undefined, undefined, host.lookup);
  assert.deepEqual(names.items.map(i => i.label), ['gpu', 'nixpkgs']);
});

test('hover on an input says where it is locked from and at which revision; on an output, where it is defined', async () => {
  const { doc, text, lookup } = await open('flake.nix');
  const lock = JSON.parse(fs.readFileSync(path.join(ws, 'flake.lock'), 'utf8'));
  const h = inputHover(doc, text.indexOf('gpu, ...') + 1, lookup, lock.nodes.gpu.locked.lastModified * 1000 + 3 * 86_400_000);
  assert.ok(h);
  assert.match(h.markdown, /flake input `gpu`/);
  assert.match(h.markdown, /from `path:/);
  assert.match(h.markdown, /\(3 days ago\)/);
  const out = inputHover(doc, text.indexOf('tuned ]') + 1, lookup, Date.now());
  assert.match(out!.markdown, /`gpu\.nixosModules\.tuned` from input `gpu`, defined in `.*tuned\.nix` line 1/);
});

test("pkgs.hello in a module opens its by-name package in the flake's locked nixpkgs", async () => {
  const host = await open('host.nix');
  const l = defAt(host.doc, host.text, host.lookup, 'hello ]', 1);
  assert.equal(l?.kind, 'file');
  assert.ok(l.kind === 'file' && l.path.startsWith(process.env.NIX_STORE_DIR || '/nix/store'), JSON.stringify(l));
  assert.match(l.kind === 'file' ? l.path : '', /-source\/pkgs\/by-name\/he\/hello\/package\.nix$/);
});

test('a name that is not an input keeps its local definition', async () => {
  const { doc, text, lookup } = await open('flake.nix');
  const self = defAt(doc, text, lookup, 'self, gpu', 1);
  assert.equal(self?.kind, 'here');
});
