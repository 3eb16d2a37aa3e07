import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadOptions } from '../../server/src/options/loader';
import { PackageDetails } from '../../server/src/options/packageDetails';
import { fixtureWorkspace, NIX_CONFIG, tmpDir } from '../fixtureWorkspace';
import { parser } from '../helpers';
import { requireNix } from './nixTool';

// One package's details and a nested set's names, asked of the fixture nixpkgs with the real nix.
process.env.NIX_CONFIG = NIX_CONFIG;

const deps = (cacheFile: string, nix = 'nix') => ({ nix, cacheFile, timeoutMs: 60_000, memoryLimitMb: 2048 });

test('package details from a flake configuration\'s pkgs: version, description, homepage, licence; nested names; then from the cache without nix', async () => {
  requireNix();
  const { ws } = fixtureWorkspace();
  const cacheDir = tmpDir('cache');
  const outcome = await loadOptions(ws, { json: '', host: '', nixpkgs: '' }, { parser: await parser(), nix: 'nix', cacheDir, timeoutMs: 60_000, memoryLimitMb: 2048, hostname: 'test' });
  assert.equal(outcome.kind, 'loaded');
  if (outcome.kind !== 'loaded') return;
  assert.deepEqual(outcome.target, { kind: 'flake', dir: ws, output: 'nixosConfigurations', name: 'gpu' });
  const cacheFile = path.join(cacheDir, `packages-${outcome.key!.slice(0, 32)}.json`);
  const details = new PackageDetails(outcome.target!, deps(cacheFile));
  assert.deepEqual(await details.detail(['hello']), {
    version: '2.12.1', description: 'A program that prints a greeting', homepage: 'https://www.gnu.org/software/hello/', license: 'GPL-3.0-or-later', isSet: false,
  });
  assert.deepEqual(await details.names(['python3Packages']), ['numpy', 'torch']);
  assert.equal((await details.detail(['python3Packages', 'torch']))?.version, '2.8.0');
  assert.equal((await details.detail(['python3Packages']))?.isSet, true);
  const logged: string[] = [];
  const withLog = new PackageDetails(outcome.target!, { ...deps(path.join(cacheDir, 'other.json')), log: m => logged.push(m) });
  assert.equal(await withLog.detail(['broken']), undefined, 'a package that throws: no details');
  assert.equal(await withLog.detail(['broken']), undefined);
  assert.equal(logged.length, 1, `asked once, said once: ${logged.join(' | ')}`);
  assert.match(logged[0], /could not evaluate broken/);
  assert.equal(await details.detail(['no"such']), undefined, 'a name that cannot be written safely is not evaluated');
  // the same answers after a restart, with no nix at all
  const again = new PackageDetails(outcome.target!, deps(cacheFile, '/nonexistent/nix'));
  assert.equal(again.detailNow(['hello'])?.version, '2.12.1');
  assert.deepEqual(await again.names(['python3Packages']), ['numpy', 'torch']);
  assert.ok(!fs.existsSync(path.join(ws, 'flake.lock')), 'the workspace is never written to');
});

test('package details from a nixpkgs checkout', async () => {
  requireNix();
  const { nixpkgs } = fixtureWorkspace();
  const details = new PackageDetails({ kind: 'nixpkgs', path: nixpkgs }, deps(path.join(tmpDir('cache'), 'packages.json')));
  assert.equal((await details.detail(['ollama']))?.description, 'Runs large language models on this machine');
  assert.deepEqual(await details.names(['cudaPackages']), ['cudatoolkit']);
});
