import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'node:test';
import { run } from '../../server/src/util/run';

test('run: a program not on PATH is missing; one that is there but cannot be run failed', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-run-'));
  fs.writeFileSync(path.join(dir, 'not-executable'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
  const env = { ...process.env, PATH: `${dir}:/usr/bin:/bin` };
  assert.deepEqual(await run(['nix-ai-nowhere'], { cwd: dir, env }), { kind: 'missing', command: 'nix-ai-nowhere' });
  const r = await run(['not-executable'], { cwd: dir, env });
  assert.equal(r.kind, 'failed', JSON.stringify(r));
  assert.match(r.kind === 'failed' ? r.stderr : '', /EACCES/);
  assert.deepEqual(await run(['echo', 'hi'], { cwd: dir, env }), { kind: 'ok', stdout: 'hi\n', stderr: '' });
});
