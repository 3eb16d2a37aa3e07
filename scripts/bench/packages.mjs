// Packages of the user's nixpkgs with 100,000 synthetic names, loaded from the cache as at a
// restart: how soon they are there, completion of pkgs. and `with pkgs;`, resolving an item whose
// details are cached, and memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { quantile, require, root, rssMb, startServer, stats, target } from './common.mjs';

const NAMES = 100_000;
const DETAILED = 5_000;
const ROUNDS = 200;

export async function packagesSection() {
  const { cacheKey } = require(path.join(root, 'out/server/src/options/cache.js'));
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-bench-pkgs-'));
  const cacheDir = path.join(ws, 'cache');
  // the server keeps option caches in <cacheDir>/options
  const optionsCache = path.join(cacheDir, 'options');
  fs.mkdirSync(optionsCache, { recursive: true });
  const flakeText = '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";\n  outputs = { self, nixpkgs }: {\n    nixosConfigurations.gpu = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ]; };\n  };\n}\n';
  fs.writeFileSync(path.join(ws, 'flake.nix'), flakeText);
  const moduleText = '{ pkgs, lib, ... }:\n{\n  environment.systemPackages = [ pkgs.pkg01 ];\n  x = with pkgs; [ pkg0123 ];\n  y = pkgs.;\n}\n';
  const file = path.join(ws, 'configuration.nix');
  fs.writeFileSync(file, moduleText);
  // the cache a first evaluation would have written: options, package names, lib, and details of some
  const names = Array.from({ length: NAMES }, (_, i) => `pkg${String(i).padStart(6, '0')}`);
  const key = cacheKey(['flake', ws, 'nixosConfigurations', 'gpu', flakeText]);
  const lib = Array.from({ length: 600 }, (_, i) => ({ name: `fn${i}`, kind: 'function', file: null, line: null }));
  fs.writeFileSync(path.join(optionsCache, `options-${key.slice(0, 32)}.json`), JSON.stringify({
    key, source: `flake ${ws}#nixosConfigurations.gpu`, sets: { nixos: [] }, packages: names, lib, target: { kind: 'flake', dir: ws, output: 'nixosConfigurations', name: 'gpu' },
  }));
  const details = {};
  for (const n of names.slice(10_000, 10_000 + DETAILED)) details[n] = { version: '1.0.0', description: `Synthetic package ${n}.`, homepage: 'https://example.org', license: 'MIT', isSet: false };
  fs.writeFileSync(path.join(optionsCache, `packages-${key.slice(0, 32)}.json`), JSON.stringify({ details, sets: {} }));

  const tStart = performance.now();
  const { proc, client, stop, logged } = await startServer(ws, { trusted: true, cacheDir, settings: { nix: { path: '/nonexistent/nix' } } });
  const tInit = performance.now();
  const { at: tLoaded, message: loadMsg } = await logged(/^options: /);
  const loadMs = tLoaded - tInit;
  const uri = pathToFileURL(file).href;
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text: moduleText } });
  const lines = moduleText.split('\n');
  const pos = (needle, delta) => { const l = lines.findIndex(x => x.includes(needle)); return { line: l, character: lines[l].indexOf(needle) + delta }; };
  const at = [
    ['pkgs. (everything)', pos('pkgs.;', 5)],
    ['pkgs.pkg01 (10,000 match)', pos('pkgs.pkg01', 10)],
    ['with pkgs; [ pkg0123 ] (100 match)', pos('pkg0123', 7)],
  ];
  const out = [`loaded: ${loadMsg.replace(/^options: /, '')} in ${loadMs.toFixed(0)} ms after initialize (${(tInit - tStart).toFixed(0)} ms to start and initialize)`];
  const completions = [];
  for (const [name, position] of at) {
    const times = [];
    let r;
    for (let i = 0; i < ROUNDS / at.length; i++) {
      const t = performance.now();
      r = await client.request('textDocument/completion', { textDocument: { uri }, position });
      times.push(performance.now() - t);
    }
    out.push(`completion ${name}: ${stats(times)}, ${r.result.items.length} items${r.result.isIncomplete ? ' (incomplete)' : ''}`);
    completions.push(...times);
  }
  // resolve items of the list the editor shows (the server keeps the last list's entries)
  const list = await client.request('textDocument/completion', { textDocument: { uri }, position: at[1][1] });
  const resolvable = list.result.items.filter(i => i.data && details[i.label]);
  const resolves = [];
  let shown = '';
  for (let i = 0; i < ROUNDS; i++) {
    const item = resolvable[i % resolvable.length];
    const t = performance.now();
    const r = await client.request('completionItem/resolve', item);
    resolves.push(performance.now() - t);
    shown = r.result.documentation?.value ?? '';
  }
  out.push(`resolve (details from the cache, ${resolvable.length} items): ${stats(resolves)}; e.g. "${shown.split('\n')[0]}"`);
  const rss = rssMb(proc.pid);
  out.push(`server RSS: ${rss.toFixed(0)} MB`);
  await stop();
  fs.rmSync(ws, { recursive: true, force: true });
  const c95 = quantile(completions, 0.95);
  const r95 = quantile(resolves, 0.95);
  return {
    lines: out,
    targets: [
      target('P1. package completion with 100,000 names, p95', `${c95.toFixed(2)} ms`, '≤ 20 ms', c95 <= 20),
      target('P2. resolve from the cache, p95', `${r95.toFixed(2)} ms`, '≤ 30 ms', r95 <= 30),
      target('P3. server RSS with 100,000 package names', `${rss.toFixed(0)} MB`, '≤ 350 MB', rss <= 350),
      target('P4. names loaded from the cache at start', `${loadMs.toFixed(0)} ms`, '≤ 300 ms', loadMs <= 300),
    ],
  };
}
