import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { tmpDir } from '../fixtureWorkspace';
import { ROOT } from '../helpers';
import { Client } from './client';

const HOST = `{ pkgs, lib, ... }:
let
  cuda = pkgs.cudaPackages;
  toolkit = cuda.cudatoolkit;
in {
  imports = [ ./gpu.nix ];
  environment.systemPackages = [ toolkit cuda.cudnn ];
  # nvidia: https://www.nvidia.com/drivers
}
`;

test('over LSP: rename and prepareRename, formatting through the configured formatter, document links', async () => {
  const ws = tmpDir('lsp-editing');
  fs.writeFileSync(path.join(ws, 'host.nix'), HOST);
  fs.writeFileSync(path.join(ws, 'gpu.nix'), '{ }\n');
  const uri = pathToFileURL(path.join(ws, 'host.nix')).href;
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio']);
  const client = new Client(proc);
  client.onMessage(m => { if (m.id !== undefined && m.method) client.respond(m.id, null); });
  const at = (needle: string, delta = 0) => {
    const lines = HOST.slice(0, HOST.indexOf(needle) + delta).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };
  try {
    const init = await client.request('initialize', {
      processId: process.pid, rootUri: pathToFileURL(ws).href, workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }], capabilities: {},
      initializationOptions: { settings: { options: { load: false }, formatter: { command: ['sed', 's/cuda.cudnn/cuda.cudnn_9/'] } } },
    });
    const caps = init.result.capabilities;
    assert.deepEqual([caps.renameProvider, caps.documentFormattingProvider, caps.documentLinkProvider], [{ prepareProvider: true }, true, { resolveProvider: false }]);
    client.notify('initialized', {});
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text: HOST } });

    const prepared = await client.request('textDocument/prepareRename', { textDocument: { uri }, position: at('cuda.cudatoolkit', 2) });
    assert.deepEqual(prepared.result, { range: { start: at('cuda.cudatoolkit'), end: at('cuda.cudatoolkit', 4) }, placeholder: 'cuda' });
    const renamed = await client.request('textDocument/rename', { textDocument: { uri }, position: at('cuda ='), newName: 'cudaPkgs' });
    assert.deepEqual(renamed.result.changes[uri].map((e: any) => e.range.start.line), [2, 3, 6]);
    assert.ok(renamed.result.changes[uri].every((e: any) => e.newText === 'cudaPkgs'));
    const refused = await client.request('textDocument/prepareRename', { textDocument: { uri }, position: at('pkgs,', 1) });
    assert.match(refused.error.message, /'pkgs' is passed by name/);
    const captured = await client.request('textDocument/rename', { textDocument: { uri }, position: at('cuda ='), newName: 'toolkit' });
    assert.match(captured.error.message, /'toolkit' is already bound here \(line 4\)/);

    const formatted = await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(formatted.result, [{
      range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } },
      newText: '  environment.systemPackages = [ toolkit cuda.cudnn_9 ];\n',
    }]);
    // a missing formatter: no edits, and one message that says what to do
    client.notify('workspace/didChangeConfiguration', { settings: { nixAi: { options: { load: false }, formatter: { command: ['nix-ai-no-such-formatter'] } } } });
    const told = client.next(m => m.method === 'window/showMessageRequest' && m.params.type === 2);
    const none = await client.request('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.equal(none.result, null);
    assert.match((await told).params.message, /^nix-ai-no-such-formatter is not installed, so Nix files cannot be formatted\. Install nixfmt, or set nixAi\.formatter\.command\./);

    const links = await client.request('textDocument/documentLink', { textDocument: { uri } });
    assert.deepEqual(links.result, [{ range: { start: at('./gpu.nix'), end: at('./gpu.nix', 9) }, target: pathToFileURL(path.join(ws, 'gpu.nix')).href }]);
  } finally {
    proc.kill();
  }
});
