import assert from 'node:assert/strict';
import { test } from 'node:test';
import { devEnvFromJson, mergedValue, printDevEnvArgv } from '../../server/src/nix/devEnv';
import { describeChanges, lockChanges } from '../../server/src/nix/lockDiff';
import { parseNixErrors } from '../../server/src/nix/nixErrors';

test('a dev shell keeps exported variables, not the sandbox ones, and puts its PATH in front', () => {
  const env = devEnvFromJson(JSON.stringify({
    variables: {
      CUDA_PATH: { type: 'exported', value: '/nix/store/x-cuda' },
      PATH: { type: 'exported', value: '/nix/store/y/bin' },
      HOME: { type: 'exported', value: '/homeless-shelter' },
      NIX_BUILD_TOP: { type: 'exported', value: '/build' },
      shellHook: { type: 'var', value: 'echo hi' },
      arr: { type: 'array', value: ['a'] },
    },
  }), 'flake#default');
  assert.deepEqual(env.variables, { CUDA_PATH: '/nix/store/x-cuda', PATH: '/nix/store/y/bin', IN_NIX_SHELL: 'impure' });
  assert.equal(mergedValue('PATH', '/nix/store/y/bin', '/usr/bin'), '/nix/store/y/bin:/usr/bin');
  assert.equal(mergedValue('CUDA_PATH', '/a', '/b'), '/a:/b');
  assert.equal(mergedValue('CC', 'gcc', 'clang'), 'gcc');
  assert.deepEqual(printDevEnvArgv('nix', '/w', { file: '/w/shell.nix' }).slice(3), ['print-dev-env', '--json', '--impure', '--file', '/w/shell.nix']);
});

test('lock changes: updated, added and removed inputs; follows are skipped', () => {
  const lock = (nodes: Record<string, object>, inputs: Record<string, unknown>) => JSON.stringify({ root: 'root', nodes: { root: { inputs }, ...nodes } });
  const before = lock({ a: { locked: { rev: 'aaaaaaaaaaaaaaaa', lastModified: 1700000000 } }, gone: { locked: { rev: 'cccccccccccc' } } }, { a: 'a', gone: 'gone', f: ['a', 'x'] });
  const after = lock({ a: { locked: { rev: 'bbbbbbbbbbbbbbbb', lastModified: 1790000000 } }, b: { locked: { narHash: 'sha256-x' } } }, { a: 'a', b: 'b' });
  assert.deepEqual(describeChanges(lockChanges(before, after)), [
    'a: aaaaaaaaaaaa (2023-11-14) → bbbbbbbbbbbb (2026-09-21)',
    'b: added at sha256-x',
    'gone: removed (was cccccccccccc)',
  ]);
});

test('Nix errors: the message, its place, the trace; paths outside the store stay as they are', () => {
  const out = [
    "error: attribute 'foo' missing",
    '',
    '       at /nix/store/0123456789abcdefghijklmnopqrstuv-source/hosts/gpu.nix:4:3:',
    '',
    '            3| {',
    '… while evaluating the module',
    '       at /etc/nixos/configuration.nix:10:1:',
    '\x1b[31;1merror:\x1b[0m second one, at /tmp/x.nix:1:2',
  ].join('\n');
  const problems = parseNixErrors(out, '/work', f => f === '/work/hosts/gpu.nix');
  assert.deepEqual(problems, [
    { message: "attribute 'foo' missing", file: '/work/hosts/gpu.nix', line: 4, column: 3, trace: [{ file: '/etc/nixos/configuration.nix', line: 10, column: 1 }] },
    { message: 'second one, at /tmp/x.nix:1:2', file: '/tmp/x.nix', line: 1, column: 2, trace: [] },
  ]);
});

test("Nix errors: a flake's copy in a store of its own (NIX_STORE_DIR) maps back to the workspace too", () => {
  const before = process.env.NIX_STORE_DIR;
  process.env.NIX_STORE_DIR = '/home/me/.cache/nix/store/';
  try {
    const out = 'error: boom\n       at /home/me/.cache/nix/store/0123456789abcdefghijklmnopqrstuv-source/flake.nix:2:1:';
    assert.equal(parseNixErrors(out, '/work', f => f === '/work/flake.nix')[0].file, '/work/flake.nix');
    const other = 'error: boom\n       at /home/me/.cache/nix/store/short-source/flake.nix:2:1:';
    assert.equal(parseNixErrors(other, '/work', () => true)[0].file, '/home/me/.cache/nix/store/short-source/flake.nix');
  } finally {
    if (before === undefined) delete process.env.NIX_STORE_DIR;
    else process.env.NIX_STORE_DIR = before;
  }
});
