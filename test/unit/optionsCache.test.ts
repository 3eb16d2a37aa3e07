import assert from 'node:assert/strict';
import * as fs from 'fs';
import { test } from 'node:test';
import * as os from 'os';
import * as path from 'path';
import { cacheKey, readCache, writeCache } from '../../server/src/options/cache';

test('an unreadable options cache is deleted with one message, a good one is read back', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-cache-'));
  const key = cacheKey(['test', 'options']);
  const entry = { key, source: 'test flake', sets: { nixos: [{ name: 'services.ollama.enable', type: 'boolean', description: 'd' }] } };
  writeCache(dir, entry as never);
  assert.deepEqual(readCache(dir, key), entry);
  const [file] = fs.readdirSync(dir);
  const full = JSON.stringify(entry);
  for (const [what, text] of [['cut short', full.slice(0, full.length / 2)], ['wrong shape', JSON.stringify({ key, source: 'x', sets: { nixos: 'oops' } })], ['not JSON', '\0\0garbage']]) {
    fs.writeFileSync(path.join(dir, file), text);
    const said: string[] = [];
    assert.equal(readCache(dir, key, m => said.push(m)), undefined, what);
    assert.equal(said.length, 1, what);
    assert.match(said[0], /unreadable .*deleted, the options are evaluated again/, what);
    assert.deepEqual(fs.readdirSync(dir), [], `${what}: the file is gone`);
  }
  // no file: nothing to say
  const said: string[] = [];
  assert.equal(readCache(dir, key, m => said.push(m)), undefined);
  assert.deepEqual(said, []);
  fs.rmSync(dir, { recursive: true, force: true });
});
