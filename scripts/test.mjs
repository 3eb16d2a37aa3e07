#!/usr/bin/env node
// `npm test`: every test, in order, each stage's figures, and one closing "N passed, N failed".
// Stages: type-check, build, unit + real-Nix + protocol tests (node:test), the fuzzer with a
// fixed seed, TextMate grammar tests, packaging, the mocha suite inside code-server's extension
// host, and the UI test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { makeWorkspace } from '../test/e2e/workspace.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Debian's nix-bin runs without a daemon, so its store must be writable: /nix is root's. As a
// user, the tests get a Nix store of their own under ~/.cache (store paths then start there).
if (process.getuid?.() !== 0 && !canWrite('/nix/var/nix')) {
  const own = path.join(process.env.XDG_CACHE_HOME || path.join(process.env.HOME ?? '/tmp', '.cache'), 'nix-ai-test-nix');
  process.env.NIX_STORE_DIR = path.join(own, 'store');
  process.env.NIX_STATE_DIR = path.join(own, 'var');
  process.env.NIX_LOG_DIR = path.join(own, 'log');
  console.log(`tests run Nix with a store of their own in ${own} (/nix is not writable by this user)`);
}

function canWrite(dir) {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
const bin = name => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const require = createRequire(import.meta.url);

function run(cmd, args, env) {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', d => { out += d; process.stdout.write(d); });
    child.stderr.on('data', d => { out += d; process.stderr.write(d); });
    child.on('close', code => resolve({ code, out }));
  });
}

const counts = {
  nodeTest: out => ({ passed: Number(/^# pass (\d+)/m.exec(out)?.[1] ?? 0), failed: Number(/^# fail (\d+)/m.exec(out)?.[1] ?? 0) }),
  summary: out => {
    const m = [...out.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
    return { passed: Number(m?.[1] ?? 0), failed: Number(m?.[2] ?? 0) };
  },
  tmgrammar: out => ({ passed: (out.match(/^✓ /gm) ?? []).length, failed: (out.match(/^✖ /gm) ?? []).length }),
  step: () => ({ passed: 1, failed: 0 }),
};

const stages = [
  ['typecheck', bin('tsc'), ['-b'], 'step'],
  ['build', 'npm', ['run', '--silent', 'build'], 'step'],
  ['unit, nix, protocol and editor tests', process.execPath, ['--test', 'out/test/unit/', 'out/test/nix/', 'out/test/protocol/', 'out/test/editors/', 'out/test/mcp/'], 'nodeTest'],
  ['fuzz: 5,000 edits + hostile files', process.execPath, ['scripts/fuzz.mjs', '--seed', '1', '--edits', '5000'], 'step'],
  ['TextMate grammar tests', bin('vscode-tmgrammar-test'), ['-g', 'syntaxes/nix.tmLanguage.json', 'test/grammar/*.test.nix'], 'tmgrammar'],
  ['package .vsix', bin('vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', 'nix-ai.vsix'], 'step'],
  ['extension tests in code-server', process.execPath, () => ['test/e2e/run-ext-tests.mjs', '--extensionDevelopmentPath=.', '--extensionTestsPath=./out/test/e2e/suite/index', `--workspace=${makeWorkspace('nix-ai-ext-ws-')}`], 'summary'],
  ['extension tests on the fixture nixpkgs', process.execPath, () => ['test/e2e/run-ext-tests.mjs', '--extensionDevelopmentPath=.', '--extensionTestsPath=./out/test/e2e/packages/index', `--workspace=${fixtureFlake()}`], 'summary',
    () => ({ NIX_CONFIG: require(path.join(root, 'out/test/fixtureWorkspace.js')).offlineFlakeConfig() })],
  ['UI test in code-server + chromium', process.execPath, ['test/e2e/ui.mjs'], 'summary'],
];

/** A workspace whose flake evaluates a copy of the fixture nixpkgs (test/fixtureWorkspace.ts). */
function fixtureFlake() {
  return require(path.join(root, 'out/test/fixtureWorkspace.js')).fixtureWorkspace().ws;
}

const results = [];
for (const [name, cmd, args, kind, env] of stages) {
  if (only.length && !only.some(o => name.includes(o))) continue;
  console.log(`\n=== ${name}`);
  const t0 = Date.now();
  const { code, out } = await run(cmd, typeof args === 'function' ? args() : args, env?.());
  let { passed, failed } = counts[kind](out);
  if (code !== 0 && failed === 0) failed = 1; // a stage that failed without counting still fails
  if (kind === 'step' && code !== 0) passed = 0;
  results.push({ name, passed, failed, seconds: (Date.now() - t0) / 1000 });
  if (code !== 0) {
    console.log(`=== ${name} failed (exit ${code}); stopping`);
    break;
  }
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.name.padEnd(36)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(1)}s`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
