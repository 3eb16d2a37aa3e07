import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { diagnose } from '../../server/src/features/diagnostics';
import { offlineFlakeConfig, tmpDir } from '../fixtureWorkspace';
import { parseDoc } from '../helpers';
import { requireNix } from './nixTool';

/**
 * Each impurity rule against real Nix (Debian's nix-bin): a flake with no inputs whose output `x`
 * uses the construct. Pure `nix eval` must fail (or differ from --impure) the way the rule's
 * message says, and the rule must report the construct as an error in that flake.nix.
 */
const ENV = { ...process.env, NIX_CONFIG: offlineFlakeConfig() };

/** Pure (or --impure) `nix eval --json DIR#x`: the value printed, or the error. */
function evalFlake(dir: string, impure = false): { ok: boolean; out: string } {
  const r = spawnSync('nix', ['eval', '--json', '--no-write-lock-file', ...(impure ? ['--impure'] : []), `${dir}#x`], { env: ENV, encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? { ok: true, out: r.stdout.trim() } : { ok: false, out: r.stderr };
}

function flake(expr: string, inputs = ''): string {
  const dir = tmpDir('purity');
  fs.writeFileSync(path.join(dir, 'flake.nix'), `{\n  ${inputs}outputs = { self, ... }@inputs: {\n    x = ${expr};\n  };\n}\n`);
  return dir;
}

/** [code, expression, what pure Nix prints (regex), the part of our message that says so (regex)] */
const CASES: Array<[string, string, RegExp, RegExp]> = [
  ['impure-current-system', 'builtins.currentSystem', /attribute 'currentSystem' missing/, /attribute 'currentSystem' missing/],
  ['impure-current-time', 'builtins.currentTime', /attribute 'currentTime' missing/, /attribute 'currentTime' missing/],
  ['impure-lookup-path', '<nixpkgs>', /cannot look up '<nixpkgs>' in pure evaluation mode/, /cannot look up '<nixpkgs>' in pure evaluation mode/],
  ['impure-lookup-path', 'builtins.findFile [ ] "x"', /cannot look up '<x>' in pure evaluation mode/, /cannot look up … in pure evaluation mode/],
  ['impure-store-path', 'builtins.storePath "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x"', /'builtins.storePath' is not allowed in pure evaluation mode/, /not allowed when Nix evaluates purely/],
  ['unpinned-fetch', 'builtins.fetchTarball "https://example.invalid/a.tar.gz"', /'fetchTarball' requires a 'sha256' argument/, /'fetchTarball' requires a 'sha256' argument/],
  ['unpinned-fetch', 'builtins.fetchurl { url = "https://example.invalid/a"; }', /'fetchurl' requires a 'sha256' argument/, /'fetchurl' requires a 'sha256' argument/],
  ['unpinned-fetch', 'builtins.fetchGit { url = "https://example.invalid/r.git"; ref = "main"; }', /requires a locked input/, /requires a locked input/],
  ['unpinned-fetch', 'builtins.getFlake "github:NixOS/nixpkgs"', /cannot call 'getFlake' on unlocked flake reference/, /cannot call 'getFlake' on unlocked flake reference/],
  ['impure-absolute-path', 'builtins.readFile /etc/hostname', /access to absolute path '\/etc\/hostname' is forbidden/, /access to absolute path … is forbidden/],
  ['impure-absolute-path', 'builtins.readFile ~/nix-ai-test', /access to absolute path .* is forbidden|can not be resolved in pure mode/, /access to absolute path … is forbidden/],
  ['impure-exec', 'builtins.exec [ "echo" "hi" ]', /attribute 'exec' missing|not allowed/, /allow-unsafe-native-code-during-evaluation/],
];

async function ourFinding(dir: string, code: string, severity = 'error') {
  const file = path.join(dir, 'flake.nix');
  const doc = await parseDoc(fs.readFileSync(file, 'utf8'), pathToFileURL(file).href);
  const found = diagnose(doc).filter(f => f.code === code);
  assert.equal(found.length, 1, `${code} reports once, got ${JSON.stringify(diagnose(doc).map(f => f.code))}`);
  assert.equal(found[0].severity, severity);
  return found[0];
}

for (const [code, expr, nixSays, weSay] of CASES) {
  test(`${code}: pure nix eval of ${expr} fails as the message says`, async () => {
    requireNix();
    const dir = flake(expr);
    const pure = evalFlake(dir);
    assert.equal(pure.ok, false, `pure evaluation should fail: ${pure.out}`);
    assert.match(pure.out, nixSays);
    assert.match((await ourFinding(dir, code)).message, weSay);
  });
}

test('impure-env: in a flake builtins.getEnv silently returns "" (and the real value with --impure): a warning, nothing fails', async () => {
  requireNix();
  const dir = flake('builtins.getEnv "HOME"');
  assert.deepEqual(evalFlake(dir), { ok: true, out: '""' });
  const impure = evalFlake(dir, true);
  assert.equal(impure.ok, true);
  assert.equal(JSON.parse(impure.out), process.env.HOME);
  assert.match((await ourFinding(dir, 'impure-env', 'warning')).message, /returns "" when Nix evaluates purely/);
});

test('impure-exec: an impure derivation needs the impure-derivations feature; those who write one turn it on, so information', async () => {
  requireNix();
  const dir = flake('(derivation { name = "x"; builder = "/bin/sh"; system = "x86_64-linux"; __impure = true; }).drvPath');
  const pure = evalFlake(dir);
  assert.equal(pure.ok, false);
  assert.match(pure.out, /impure-derivations/);
  assert.match((await ourFinding(dir, 'impure-exec', 'information')).message, /impure-derivations experimental feature/);
});

test('impure-current-system: import nixpkgs { } without system fails in a flake; with system it works', async () => {
  requireNix();
  const pkgs = tmpDir('fakepkgs');
  fs.writeFileSync(path.join(pkgs, 'default.nix'), '{ system ? builtins.currentSystem, ... }: { inherit system; }\n');
  const inputs = `inputs.nixpkgs = { url = "path:${pkgs}"; flake = false; };\n  `;
  const bad = flake('(import inputs.nixpkgs { }).system', inputs);
  const r = evalFlake(bad);
  assert.equal(r.ok, false);
  assert.match(r.out, /attribute 'currentSystem' missing/);
  assert.match((await ourFinding(bad, 'impure-current-system')).message, /attribute 'currentSystem' missing/);
  const good = flake('(import inputs.nixpkgs { system = "x86_64-linux"; }).system', inputs);
  assert.deepEqual(evalFlake(good), { ok: true, out: '"x86_64-linux"' });
  const doc = await parseDoc(fs.readFileSync(path.join(good, 'flake.nix'), 'utf8'), pathToFileURL(path.join(good, 'flake.nix')).href);
  assert.deepEqual(diagnose(doc).filter(f => f.code === 'impure-current-system'), []);
});
