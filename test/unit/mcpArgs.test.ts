import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as path from 'path';
import { McpUsageError, parseMcpArgs } from '../../server/src/mcp/args';
import { parseClosureDiff } from '../../server/src/nix/closureDiff';
import { tmpDir } from '../fixtureWorkspace';

test('nix-ai mcp arguments: root, switch off by default, health checks as words or JSON, limits', () => {
  const env = { XDG_STATE_HOME: '/state', XDG_CACHE_HOME: '/cache' };
  const plain = parseMcpArgs([], env);
  assert.equal(plain.root, process.cwd());
  assert.equal(plain.allowSwitch, false);
  assert.deepEqual(plain.healthChecks, []);
  assert.equal(plain.logFile, '/state/nix-ai/mcp-switch.log');
  assert.equal(plain.cacheDir, '/cache/nix-ai');
  const flake = tmpDir('mcp-args');
  const full = parseMcpArgs([flake, '--allow-switch', '--health-check', 'systemctl is-system-running --wait', '--health-check=["curl","-fsS","http://localhost:11434/api/tags"]', '--timeout', '30', '--log=/tmp/x.log'], env);
  assert.equal(full.root, path.resolve(flake));
  assert.equal(full.allowSwitch, true);
  assert.deepEqual(full.healthChecks, [['systemctl', 'is-system-running', '--wait'], ['curl', '-fsS', 'http://localhost:11434/api/tags']]);
  assert.equal(full.timeoutMs, 30_000);
  assert.equal(full.logFile, '/tmp/x.log');
  // words are split on spaces only: no shell, so quotes and $ stay as they are
  assert.deepEqual(parseMcpArgs(['--health-check', 'echo "$HOME; rm"'], env).healthChecks, [['echo', '"$HOME;', 'rm"']]);
  for (const bad of [['/nonexistent/flake'], ['--timeout', '0'], ['--health-check', '[1]'], ['--health-check', '  '], ['--nope'], ['a', 'b'], ['--log']]) {
    assert.throws(() => parseMcpArgs(bad, env), McpUsageError, bad.join(' '));
  }
});

test('diff-closures output: added, removed, changed (several versions), size only; colours ignored', () => {
  const out = [
    'fresh: ∅ → 3.0, +12.5 KiB',
    'gone: 2.0 → ∅, -1.2 MiB',
    '\x1b[1mhello\x1b[0m: 1.0, 1.1 → 1.2',
    'zlib: +0.1 KiB',
    'not a change line',
  ].join('\n');
  assert.deepEqual(parseClosureDiff(out), [
    { name: 'fresh', kind: 'added', from: [], to: ['3.0'], size: '+12.5 KiB' },
    { name: 'gone', kind: 'removed', from: ['2.0'], to: [], size: '-1.2 MiB' },
    { name: 'hello', kind: 'changed', from: ['1.0', '1.1'], to: ['1.2'] },
    { name: 'zlib', kind: 'size', from: [], to: [], size: '+0.1 KiB' },
  ]);
});
