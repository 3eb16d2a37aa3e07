import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { diagnose } from '../../server/src/features/diagnostics';
import { ROOT, parseDoc } from '../helpers';
import { Client } from './client';

const URI = 'file:///work/flake.nix';

test('the built server over stdio: initialize, incremental edits, documentSymbol, shutdown', async () => {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio']);
  const client = new Client(proc);
  const exited = new Promise<number | null>(resolve => proc.on('exit', resolve));
  try {
    const init = await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.result.serverInfo.name, 'nix-ai-ls');
    assert.equal(init.result.capabilities.textDocumentSync.change, 2, 'incremental sync');
    client.notify('initialized', {});

    let text = fs.readFileSync(path.join(ROOT, 'examples', 'gpu-workstation', 'flake.nix'), 'utf8');
    const diagnosticsFor = (version: number) => client.next(m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === URI && m.params.version === version);
    let pending = diagnosticsFor(1);
    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'nix', version: 1, text } });
    assert.deepEqual((await pending).params.diagnostics, []);

    // a series of edits, each checked against a fresh parse of the same text
    const at = (needle: string, delta = 0) => {
      const doc = text.slice(0, text.indexOf(needle) + delta).split('\n');
      return { line: doc.length - 1, character: doc[doc.length - 1].length };
    };
    const edits: Array<[string, number, number, string]> = [
      ['nixos-25.11";', 12, 1, ''], // delete a ';'
      ['nixos-25.11"', 12, 0, ';'], // put it back
      ['inherit system;', 0, 0, 'n = 99999999999999999999;\n        '],
      ['packages = [', 0, 0, 'é😀 = ./a/;\n          '],
      ['self,', 4, 1, ', ,'],
      ['description', 0, 0, '{'],
    ];
    let version = 1;
    for (const [needle, delta, removed, inserted] of edits) {
      assert.ok(text.includes(needle), needle);
      const start = at(needle, delta);
      const offset = text.indexOf(needle) + delta;
      const end = at(needle, delta + removed);
      text = text.slice(0, offset) + inserted + text.slice(offset + removed);
      version++;
      pending = diagnosticsFor(version);
      client.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [{ range: { start, end }, text: inserted }] });
      const got = (await pending).params.diagnostics.map((d: any) => ({ code: d.code, range: d.range, message: d.message }));
      const fresh = diagnose(await parseDoc(text, URI)).map(d => ({ code: d.code, range: d.range, message: d.message }));
      assert.deepEqual(got, fresh, `after edit ${version}`);
    }
    assert.ok(version === 7);

    const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.ok(symbols.result.some((s: any) => s.name === 'outputs'), JSON.stringify(symbols.result.map((s: any) => s.name)));

    const shutdown = await client.request('shutdown', null);
    assert.equal(shutdown.error, undefined);
    client.notify('exit', null);
    assert.equal(await exited, 0);
  } finally {
    proc.kill();
  }
});

test('nix-ai-ls without a transport prints its usage and exits 2', async () => {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js')]);
  let err = '';
  proc.stderr.on('data', d => { err += d; });
  const code = await new Promise(resolve => proc.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(err, /usage: nix-ai-ls --stdio/);
});
