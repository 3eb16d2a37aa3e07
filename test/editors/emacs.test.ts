import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { tmpDir } from '../fixtureWorkspace';
import { ROOT } from '../helpers';

/** Debian's Emacs with eglot (elpa-eglot), in batch mode, against the built server. */
test('Emacs + eglot: diagnostics in flymake and completion from nix-ai-ls', () => {
  const version = spawnSync('emacs', ['--version'], { encoding: 'utf8' });
  if (version.error) throw new Error('emacs is not installed; this test runs the real Emacs (Debian: apt-get install emacs-nox elpa-eglot)');
  const dir = tmpDir('emacs');
  const file = path.join(dir, 'host.nix');
  fs.copyFileSync(path.join(ROOT, 'test', 'editors', 'host.nix'), file);
  const outFile = path.join(dir, 'answers.json');
  const r = spawnSync('emacs', ['--batch', '--no-init-file', '-l', path.join(ROOT, 'test', 'editors', 'eglot.el')], {
    encoding: 'utf8', timeout: 120_000, cwd: dir,
    env: { ...process.env, HOME: dir, NIX_AI_NODE: process.execPath, NIX_AI_SERVER: path.join(ROOT, 'dist', 'server.js'), NIX_AI_FILE: file, NIX_AI_OUT: outFile },
  });
  assert.ok(fs.existsSync(outFile), `emacs wrote no answers (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const got = JSON.parse(fs.readFileSync(outFile, 'utf8'));
  assert.equal(got.error, undefined, `${got.error}\n${r.stderr.slice(-2000)}`);
  assert.equal(r.status, 0);
  assert.equal(got.server, 'nix-ai-ls');
  assert.deepEqual(got.diagnostics.map((d: any) => d.line), [6]);
  assert.match(got.diagnostics[0].text, /hardware\.opengl\.enable was renamed in NixOS 24\.11/);
  assert.ok(got.completion.includes('open') && got.completion.includes('package'), got.completion.join(' '));
});
