import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseLock } from '../../server/src/analysis/flakeLock';
import { BINDING_END_LINES, inlayHints, type HintKind } from '../../server/src/features/inlayHints';
import { createKnowledge } from '../../server/src/options/knowledge';
import { parseDoc, workspaceOf } from '../helpers';

const ALL = new Set<HintKind>(['flakeLock', 'optionDefaults', 'bindingEnds']);
const NOW = Date.UTC(2026, 10, 30);
const DAY = 86_400;

const LOCK = JSON.stringify({
  root: 'root',
  version: 7,
  nodes: {
    root: { inputs: { nixpkgs: 'nixpkgs', home: 'home-manager', utils: ['home', 'utils'] } },
    nixpkgs: { locked: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: '3f2a1c9d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49', lastModified: NOW / 1000 - 47 * DAY }, original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-25.11' } },
    'home-manager': { inputs: { utils: 'flake-utils' }, locked: { rev: 'aaaaaaa1111', lastModified: NOW / 1000 - 3600 }, original: { type: 'github', owner: 'nix-community', repo: 'home-manager' } },
    'flake-utils': { locked: { rev: 'bbbbbbb2222', lastModified: NOW / 1000 - DAY - 10 } },
  },
});

const FLAKE = `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
  inputs.home.url = "github:nix-community/home-manager";
  inputs.utils.url = "github:numtide/flake-utils";
  inputs.other.url = "github:x/y";
  outputs = { ... }: { };
}`;

test('inlay hints: each flake input gets its branch, locked revision and age; follows are followed', async () => {
  const doc = await parseDoc(FLAKE, 'file:///w/flake.nix');
  const hints = inlayHints(doc, 0, FLAKE.length, { lock: parseLock(LOCK), kinds: ALL, now: NOW });
  assert.deepEqual(hints.map(h => [FLAKE.slice(0, h.at).split('\n').length, h.label]), [
    [2, 'nixos-25.11 · 3f2a1c9 · 47 days'], [3, 'aaaaaaa · today'], [4, 'bbbbbbb · 1 day'],
  ]);
  assert.equal(FLAKE[hints[0].at - 1], '"', 'after the closing quote');
  assert.match(hints[0].tooltip!, /pins nixpkgs to 3f2a1c9d0e8b.* from 2026-10-14/);
  assert.deepEqual(inlayHints(doc, 0, FLAKE.length, { lock: parseLock(LOCK), kinds: new Set(['bindingEnds']), now: NOW }), [], 'switched off');
  assert.deepEqual(inlayHints(doc, 0, FLAKE.length, { lock: parseLock('{ not json'), kinds: ALL, now: NOW }), []);
});

test('inlay hints: "= default" after an option set to its default, not under a condition or when it differs', async () => {
  const text = `{ lib, ... }: {
  hardware.nvidia.powerManagement.enable = false;
  hardware.nvidia.dynamicBoost.enable = true;
  hardware.nvidia.nvidiaPersistenced = lib.mkIf true false;
  hardware.nvidia.forceFullCompositionPipeline =   false  ;
}`;
  const { analysis, docs } = await workspaceOf({ 'host.nix': text });
  const doc = docs.get('/ws/host.nix')!;
  const hints = inlayHints(doc, 0, text.length, { knowledge: createKnowledge(), configurations: analysis.configurationsOf('/ws/host.nix'), kinds: ALL, now: NOW });
  assert.deepEqual(hints.map(h => [text.slice(0, h.at).split('\n').length, h.label, text.slice(h.at - 5, h.at)]), [[2, '= default', 'false'], [5, '= default', 'false']]);
});

test('inlay hints: a long binding gets its name at its end, a short one not; only bindings ending in the range', async () => {
  const body = Array.from({ length: BINDING_END_LINES }, (_, i) => `    x${i} = ${i};`).join('\n');
  const text = `{\n  long.set = {\n${body}\n  };\n  short = { a = 1; };\n}`;
  const doc = await parseDoc(text);
  const hints = inlayHints(doc, 0, text.length, { kinds: ALL, now: NOW });
  assert.deepEqual(hints.map(h => [h.label, text.slice(h.at - 3, h.at)]), [['long.set', '  }']]);
  assert.deepEqual(inlayHints(doc, 0, text.indexOf('};'), { kinds: ALL, now: NOW }), []);
});
