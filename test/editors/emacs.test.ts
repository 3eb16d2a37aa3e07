import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEditor } from './run';

/** Debian's Emacs with eglot (elpa-eglot), in batch mode, against the built server. */
test('Emacs + eglot: diagnostics in flymake and completion (also through a flake input) from nix-ai-ls', () => {
  const { answers: got, status, stderr } = runEditor({
    name: 'Emacs', script: 'eglot.el', install: 'emacs-nox elpa-eglot',
    argv: script => ['emacs', '--batch', '--no-init-file', '-l', script],
  });
  assert.equal(got.error, undefined, `${got.error}\n${stderr.slice(-2000)}`);
  assert.equal(status, 0);
  assert.equal(got.server, 'nix-ai-ls');
  assert.deepEqual(got.diagnostics.map((d: any) => d.line), [6]);
  assert.match(got.diagnostics[0].text, /hardware\.opengl\.enable was renamed in NixOS 24\.11/);
  assert.ok(got.completion.includes('open') && got.completion.includes('package'), got.completion.join(' '));
  assert.deepEqual([...got.inputCompletion].sort(), ['plain', 'tuned'], 'the modules of the flake input, from its locked source');
});
