import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { tmpDir } from '../fixtureWorkspace';
import { allPackagesLike } from '../generated';
import { ROOT } from '../helpers';
import { Client } from './client';

const HOST = `{ pkgs, lib, ... }:
let
  cuda = pkgs.cudaPackages;
  toolkit = cuda.cudatoolkit;
in {
  imports = [ ./gpu.nix ];
  environment.systemPackages = [ toolkit cuda.cudnn ];
  hardware.opengl.enable = true;
  # nvidia: https://www.nvidia.com/drivers
}
`;

test('over LSP: rename and prepareRename, formatting through the configured formatter, semantic tokens, inlay hints, signature help, workspace symbols, completion resolve, refactors, document links', async () => {
  const ws = tmpDir('lsp-editing');
  fs.writeFileSync(path.join(ws, 'host.nix'), HOST);
  fs.writeFileSync(path.join(ws, 'gpu.nix'), '{ }\n');
  const flakeText = '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";\n  outputs = { self, nixpkgs }: { };\n}\n';
  fs.writeFileSync(path.join(ws, 'flake.nix'), flakeText);
  const lastModified = Math.floor(Date.now() / 1000) - 47 * 86_400 - 60;
  fs.writeFileSync(path.join(ws, 'flake.lock'), JSON.stringify({
    root: 'root', version: 7,
    nodes: { root: { inputs: { nixpkgs: 'nixpkgs' } }, nixpkgs: { locked: { type: 'github', rev: '3f2a1c9d0e8b7a6f', lastModified }, original: { type: 'github', ref: 'nixos-25.11' } } },
  }));
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

    // semantic tokens: full, then a delta after an edit, then a range; decoded with the server's legend
    const legend = caps.semanticTokensProvider.legend;
    assert.deepEqual([caps.semanticTokensProvider.full, caps.semanticTokensProvider.range], [{ delta: true }, true]);
    const decode = (data: number[], text: string) => {
      const lines = text.split('\n');
      const out: string[] = [];
      for (let i = 0, line = 0, ch = 0; i < data.length; i += 5) {
        line += data[i];
        ch = data[i] ? data[i + 1] : ch + data[i + 1];
        const mods = legend.tokenModifiers.filter((_: string, b: number) => data[i + 4] & (1 << b));
        out.push(`${lines[line].slice(ch, ch + data[i + 2])}:${[legend.tokenTypes[data[i + 3]], ...mods].join('.')}`);
      }
      return out;
    };
    const full = (await client.request('textDocument/semanticTokens/full', { textDocument: { uri } })).result;
    assert.deepEqual(decode(full.data, HOST).slice(0, 6), ['pkgs:parameter.declaration', 'lib:parameter.declaration', 'cuda:variable.declaration', 'pkgs:parameter', 'cudaPackages:property', 'toolkit:variable.declaration']);
    assert.deepEqual(decode(full.data, HOST).slice(-3), ['hardware:property.deprecated.option', 'opengl:property.deprecated.option', 'enable:property.deprecated.option']);
    const edited = HOST.replace('toolkit cuda.cudnn', 'toolkit cuda.cudnn pkgs.git');
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
    const delta = (await client.request('textDocument/semanticTokens/full/delta', { textDocument: { uri }, previousResultId: full.resultId })).result;
    assert.ok(Array.isArray(delta.edits) && delta.edits.length >= 1, JSON.stringify(delta));
    const patched = [...full.data];
    for (const e of [...delta.edits].reverse()) patched.splice(e.start, e.deleteCount, ...(e.data ?? []));
    const fresh = (await client.request('textDocument/semanticTokens/full', { textDocument: { uri } })).result;
    assert.deepEqual(patched, fresh.data, 'the delta applied to the old tokens gives the new ones');
    const range = (await client.request('textDocument/semanticTokens/range', { textDocument: { uri }, range: { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } } })).result;
    assert.deepEqual(decode(range.data, edited), [
      'environment:property', 'systemPackages:property', 'toolkit:variable', 'cuda:variable', 'cudnn:property', 'pkgs:parameter', 'git:property',
    ]);
    client.notify('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: HOST }] });
    // a large file has no whole-file answer (null), and its ranges still come
    const big = pathToFileURL(path.join(ws, 'all-packages.nix')).href;
    client.notify('textDocument/didOpen', { textDocument: { uri: big, languageId: 'nix', version: 1, text: allPackagesLike(300_000) } });
    assert.equal((await client.request('textDocument/semanticTokens/full', { textDocument: { uri: big } })).result, null);
    const screen = await client.request('textDocument/semanticTokens/range', { textDocument: { uri: big }, range: { start: { line: 100, character: 0 }, end: { line: 140, character: 0 } } });
    assert.ok(screen.result.data.length > 0);

    // inlay hints: the locked revision after the input's url; off by its setting
    const flakeUri = pathToFileURL(path.join(ws, 'flake.nix')).href;
    client.notify('textDocument/didOpen', { textDocument: { uri: flakeUri, languageId: 'nix', version: 1, text: flakeText } });
    const wholeFlake = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    const hints = (await client.request('textDocument/inlayHint', { textDocument: { uri: flakeUri }, range: wholeFlake })).result;
    assert.deepEqual(hints.map((h: any) => [h.position, h.label]), [[{ line: 1, character: 57 }, 'nixos-25.11 · 3f2a1c9 · 47 days']]);
    client.notify('workspace/didChangeConfiguration', { settings: { nixAi: { options: { load: false }, inlayHints: { flakeLock: false } } } });
    assert.deepEqual((await client.request('textDocument/inlayHint', { textDocument: { uri: flakeUri }, range: wholeFlake })).result, []);

    // signature help names the function and the argument the cursor is at
    const sigUri = pathToFileURL(path.join(ws, 'sig.nix')).href;
    const sigText = '{ lib, ... }: { x = lib.mkIf true ; }';
    client.notify('textDocument/didOpen', { textDocument: { uri: sigUri, languageId: 'nix', version: 1, text: sigText } });
    const sig = (await client.request('textDocument/signatureHelp', { textDocument: { uri: sigUri }, position: { line: 0, character: sigText.indexOf(' ;') + 1 } })).result;
    assert.equal(sig.signatures[0].label, 'lib.mkIf condition value');
    assert.deepEqual([sig.activeParameter, sig.signatures[0].parameters[1].label], [1, [19, 24]]);

    // a long completion list sends documentation on resolve
    client.notify('textDocument/didChange', { textDocument: { uri: sigUri, version: 2 }, contentChanges: [{ text: 'builtins.' }] });
    const list = (await client.request('textDocument/completion', { textDocument: { uri: sigUri }, position: { line: 0, character: 9 } })).result;
    assert.ok(list.items.length > 100 && list.items.every((i: any) => i.documentation === undefined), `${list.items.length} items`);
    const mapAttrs = list.items.find((i: any) => i.label === 'mapAttrs');
    const resolved = (await client.request('completionItem/resolve', mapAttrs)).result;
    assert.match(resolved.documentation.value, /every attribute/);
    assert.equal(resolved.label, 'mapAttrs');

    const symbols = (await client.request('workspace/symbol', { query: 'host' })).result;
    assert.deepEqual(symbols.map((s: any) => [s.name, s.kind, s.containerName, s.location.uri]), [['host.nix', 2, 'nixos module', uri]]);

    // refactors come as code actions of their kinds, filtered by `only`
    const key = { start: at('environment.systemPackages', 13), end: at('environment.systemPackages', 13) };
    const rewrites = (await client.request('textDocument/codeAction', { textDocument: { uri }, range: key, context: { diagnostics: [], only: ['refactor'] } })).result;
    assert.deepEqual(rewrites.map((a: any) => [a.kind, a.title]), [['refactor.rewrite', 'Nest as environment = { systemPackages = …; }'], ['refactor.rewrite', 'Quote the name: "systemPackages"']]);
    assert.deepEqual(rewrites[0].edit.changes[uri], [{ range: { start: at('environment.'), end: at('cuda.cudnn ];', 13) }, newText: 'environment = { systemPackages = [ toolkit cuda.cudnn ]; };' }]);
    const extract = (await client.request('textDocument/codeAction', {
      textDocument: { uri }, range: { start: at('pkgs.cudaPackages'), end: at('pkgs.cudaPackages', 17) }, context: { diagnostics: [], only: ['refactor.extract'] },
    })).result;
    assert.deepEqual(extract.map((a: any) => a.title), ['Extract into a let binding (value)']);

    const toFile = (await client.request('textDocument/definition', { textDocument: { uri }, position: at('./gpu.nix', 3) })).result;
    assert.deepEqual(toFile, { uri: pathToFileURL(path.join(ws, 'gpu.nix')).href, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });

    const links = await client.request('textDocument/documentLink', { textDocument: { uri } });
    assert.deepEqual(links.result, [{ range: { start: at('./gpu.nix'), end: at('./gpu.nix', 9) }, target: pathToFileURL(path.join(ws, 'gpu.nix')).href }]);
  } finally {
    proc.kill();
  }
});
