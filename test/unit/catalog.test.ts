import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalog, RELEASES } from '../../server/src/options/catalog';
import { PackageIndex } from '../../server/src/options/packageIndex';
import { parseDoc } from '../helpers';

// The schema every catalog entry must follow. Adding an option is one JSON edit; this test says
// what is missing from it.
const OPTION_KEYS = new Set(['name', 'type', 'default', 'example', 'description', 'status', 'since', 'removedIn', 'replacedBy', 'releaseNote', 'readOnly', 'declaredIn', 'values']);
const NAME = /^([A-Za-z_][A-Za-z0-9_'-]*|<[a-z]+>)(\.([A-Za-z_][A-Za-z0-9_'-]*|<[a-z]+>))*$/;
const release = (r: string) => RELEASES.includes(r) || /^\d\d\.\d\d$/.test(r);

/** Does the text parse as one Nix expression? (The real grammar; "…" marks an elided default.) */
async function isNix(text: string): Promise<boolean> {
  const doc = await parseDoc(`x: (${text.replace(/…/g, '')})`);
  return !doc.tree.rootNode.hasError;
}

function sentence(what: string, text: unknown, problems: string[]) {
  if (typeof text !== 'string' || text.length < 10 || !/[.)]$/.test(text) || /^\s/.test(text)) problems.push(`${what}: needs a sentence of our own, ending with a full stop`);
}

test('every NixOS, nix-darwin and home-manager catalog option is complete', async () => {
  const problems: string[] = [];
  for (const [set, list] of [['nixos', catalog.nixos], ['darwin', catalog.darwin], ['home-manager', catalog.homeManager], ['flake-parts', catalog.flakeParts]] as const) {
  const names = new Set<string>();
  for (const o of list as unknown as Array<Record<string, unknown>>) {
    const n = String(o.name);
    const where = `${set} ${n}`;
    if (names.has(n)) problems.push(`${where}: listed twice`);
    names.add(n);
    for (const k of Object.keys(o)) if (!OPTION_KEYS.has(k)) problems.push(`${where}: unknown key ${k}`);
    if (!NAME.test(n)) problems.push(`${where}: not a dotted option name`);
    if (typeof o.type !== 'string' || !o.type) problems.push(`${where}: no type`);
    sentence(where, o.description, problems);
    if (typeof o.declaredIn !== 'string' || !o.declaredIn) problems.push(`${where}: no declaredIn`);
    const gone = o.status === 'renamed' || o.status === 'removed';
    const required = /Required\./.test(String(o.description)) || String(o.type).startsWith('function');
    if (!gone && !required && o.default === undefined) problems.push(`${where}: no default (say "Required." if it has none)`);
    for (const k of ['default', 'example'] as const) {
      if (o[k] !== undefined && !(await isNix(String(o[k])))) problems.push(`${where}: ${k} is not a Nix expression: ${o[k]}`);
    }
    if (o.status !== undefined && !['renamed', 'removed', 'deprecated'].includes(String(o.status))) problems.push(`${where}: bad status`);
    if (o.status === 'renamed' && !o.replacedBy) problems.push(`${where}: renamed but no replacedBy`);
    if (o.status === 'deprecated' && !o.replacedBy) problems.push(`${where}: deprecated but no replacedBy`);
    for (const k of ['since', 'removedIn'] as const) if (o[k] !== undefined && !release(String(o[k]))) problems.push(`${where}: ${k} is not a release`);
    if (o.removedIn !== undefined && !gone && o.status !== 'deprecated') problems.push(`${where}: removedIn without status renamed/removed/deprecated`);
    for (const v of (o.values as Array<{ value: string; description?: string }> | undefined) ?? []) {
      if (!(await isNix(v.value))) problems.push(`${where}: value ${v.value} is not Nix`);
    }
  }
  }
  for (const o of catalog.nixos) {
    if (!o.replacedBy) continue;
    const target = o.replacedBy.split('.');
    const known = catalog.nixos.some(x => x.name === o.replacedBy || x.name.split('.').slice(0, target.length).join('.') === o.replacedBy || o.replacedBy!.startsWith(`${x.name}.`));
    if (!known) problems.push(`nixos ${o.name}: replacedBy ${o.replacedBy} is not in the catalog`);
  }
  assert.deepEqual(problems, []);
  assert.ok(catalog.nixos.length >= 130, `only ${catalog.nixos.length} options`);
  assert.ok(catalog.darwin.length >= 20 && catalog.homeManager.length >= 15);
});

test('the nixpkgs.config keys the GPU stack reads are in the catalog, with capability values', () => {
  const keys = catalog.nixos.filter(o => o.name.startsWith('nixpkgs.config.')).map(o => o.name.slice('nixpkgs.config.'.length));
  for (const k of ['cudaSupport', 'rocmSupport', 'cudaCapabilities', 'cudaForwardCompat', 'allowUnfree', 'allowUnfreePredicate', 'allowUnfreePackages', 'nvidia.acceptLicense']) {
    assert.ok(keys.includes(k), k);
  }
  const caps = catalog.nixos.find(o => o.name === 'nixpkgs.config.cudaCapabilities')!.values!.map(v => v.value);
  assert.equal(caps[0], '"7.5"');
  assert.ok(caps.includes('"12.0"'));
  const numbers = caps.map(c => Number(JSON.parse(c)));
  assert.deepEqual([...numbers].sort((a, b) => a - b), numbers, 'in ascending order');
});

test('every package entry is complete and its set aliases resolve', () => {
  const problems: string[] = [];
  const paths = new Set(catalog.packages.map(p => p.path));
  for (const p of catalog.packages) {
    if (!NAME.test(p.path)) problems.push(`${p.path}: bad path`);
    if (!['set', 'package', 'function'].includes(p.kind)) problems.push(`${p.path}: bad kind`);
    sentence(p.path, p.description, problems);
    if (p.membersLike !== undefined && p.membersLike !== '' && !paths.has(p.membersLike)) problems.push(`${p.path}: membersLike ${p.membersLike} unknown`);
    const parent = p.path.includes('.') ? p.path.slice(0, p.path.lastIndexOf('.')) : undefined;
    if (parent && !paths.has(parent)) problems.push(`${p.path}: parent ${parent} is not listed`);
  }
  assert.deepEqual(problems, []);
  const index = new PackageIndex(catalog.packages);
  assert.equal(index.resolve(['linuxPackages_6_12', 'nvidiaPackages', 'beta']), 'linuxPackages.nvidiaPackages.beta');
  assert.equal(index.resolve(['cudaPackages_13_0', 'cudnn']), 'cudaPackages.cudnn');
  assert.equal(index.resolve(['pkgsCuda', 'cudaPackages']), 'cudaPackages');
});

test('every builtin, lib function and flake schema entry is complete', () => {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const b of catalog.builtins) {
    if (names.has(b.name)) problems.push(`${b.name}: twice`);
    names.add(b.name);
    sentence(`builtin ${b.name}`, b.description, problems);
    if (typeof b.args !== 'string') problems.push(`${b.name}: args missing`);
  }
  for (const f of catalog.lib) {
    if (names.has(`lib.${f.name}`)) problems.push(`lib.${f.name}: twice`);
    names.add(`lib.${f.name}`);
    sentence(`lib.${f.name}`, f.description, problems);
    if (!f.args) problems.push(`lib.${f.name}: args missing`);
  }
  for (const o of catalog.flake) {
    if (!NAME.test(o.name)) problems.push(`flake ${o.name}: bad name`);
    sentence(`flake ${o.name}`, o.description, problems);
    if (!o.type) problems.push(`flake ${o.name}: no type`);
  }
  assert.deepEqual(problems, []);
  assert.deepEqual(catalog.systems.map(s => s.value), ['"x86_64-linux"', '"aarch64-linux"', '"x86_64-darwin"', '"aarch64-darwin"']);
});
