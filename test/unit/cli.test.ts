import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { test } from 'node:test';
import * as path from 'path';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('check: text output is path:line:col: severity code message (columns in UTF-16 units), exit 1 on errors', () => {
  const dir = workspace({ 'good.nix': '{ lib, }: lib\n', 'sub/bad.nix': '{\n  s = "é😀"; p = ./a/;\n}\n' });
  const r = run(['check', dir]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, `${path.join(dir, 'sub/bad.nix')}:2:18: error syntax-error a path cannot end with '/'; remove the trailing slash\n`);
  assert.match(r.stderr, /2 file\(s\) checked: 1 error\(s\)/);
});

test('check: exit 0 on a clean tree; .git, node_modules and result links are skipped', () => {
  const dir = workspace({ 'ok.nix': '{ }\n', '.git/x.nix': '{', 'node_modules/y.nix': '{' });
  const store = workspace({ 'z.nix': '{' });
  fs.symlinkSync(store, path.join(dir, 'result'));
  const r = run(['check', dir]);
  assert.equal(r.stdout, '');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^1 file\(s\) checked: 0 error/);
});

test('check --format json: version 1, 0-based UTF-16 positions', () => {
  const dir = workspace({ 'a.nix': '{ s = "😀"; n = 99999999999999999999; inherit ; }' });
  const r = run(['check', '--format', 'json', path.join(dir, 'a.nix')]);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.version, 1);
  assert.deepEqual(report.files[0].diagnostics, [
    { code: 'syntax-error', severity: 'error', range: { start: { line: 0, character: 16 }, end: { line: 0, character: 36 } }, message: 'integer 99999999999999999999 does not fit in 64 bits (the largest is 9223372036854775807)' },
    { code: 'empty-inherit', severity: 'warning', range: { start: { line: 0, character: 38 }, end: { line: 0, character: 47 } }, message: 'this inherit names nothing and has no effect' },
  ]);
  assert.equal(run(['check', '--format=json', '--ignore', 'syntax-error,empty-inherit', path.join(dir, 'a.nix')]).code, 0);
});

test('check: a missing or unreadable path is reported and the rest still checked', () => {
  const dir = workspace({ 'ok.nix': '1\n' });
  const r = run(['check', path.join(dir, 'missing.nix'), dir, '--format', 'json']);
  const report = JSON.parse(r.stdout);
  assert.equal(r.code, 1);
  assert.deepEqual(report.files.map((f: { path: string; error?: string }) => [path.basename(f.path), f.error ?? null]), [['missing.nix', 'no such file or folder'], ['ok.nix', null]]);
});

test('usage errors exit 2 with a message', () => {
  for (const args of [[], ['frobnicate'], ['check', '--format', 'xml'], ['check', '--bogus']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^nix-ai: .+\n\nusage: nix-ai check/);
  }
});
