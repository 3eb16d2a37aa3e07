import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import { test } from 'node:test';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { tmpDir } from '../fixtureWorkspace';
import { ROOT } from '../helpers';
import { Client } from './client';

test('over LSP: a keystroke into broken text is answered from the re-parsed tree at once; once typing pauses, the diagnostics of a parse from scratch follow', { timeout: 30_000 }, async () => {
  const ws = tmpDir('lsp-verify');
  const uri = (name: string) => pathToFileURL(path.join(ws, name)).href;
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio']);
  const client = new Client(proc);
  client.onMessage(m => { if (m.id !== undefined && m.method) client.respond(m.id, null); });
  const published = (name: string, version: number) =>
    client.next(m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri(name) && m.params.version === version)
      .then(m => JSON.stringify(m.params.diagnostics.map((d: any) => [d.code, d.range, d.message])));
  try {
    await client.request('initialize', {
      processId: process.pid, rootUri: pathToFileURL(ws).href, workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }], capabilities: {},
      initializationOptions: { settings: { options: { load: false } } },
    });
    client.notify('initialized', {});
    // where tree-sitter's error recovery from the previous tree ends elsewhere than from nothing
    const before = '{ a.b = 1; a.b.c == 2; }{\n';
    const after = '{let  a.b = 1; a.b.c == 2; }{\n';
    const expected = published('fresh.nix', 1);
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('fresh.nix'), languageId: 'nix', version: 1, text: after } });
    const fresh = await expected;

    let next = published('typed.nix', 1);
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('typed.nix'), languageId: 'nix', version: 1, text: before } });
    await next;
    next = published('typed.nix', 2);
    const verified = client.next(m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri('typed.nix') && m.params.version === 2
      && JSON.stringify(m.params.diagnostics.map((d: any) => [d.code, d.range, d.message])) === fresh);
    client.notify('textDocument/didChange', { textDocument: { uri: uri('typed.nix'), version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: 'let ' }] });
    const provisional = await next;
    assert.notEqual(provisional, fresh, 'the first answer comes from the re-parsed tree');
    await verified;
  } finally {
    proc.kill();
  }
});
