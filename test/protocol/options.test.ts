import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fixtureWorkspace, NIX_CONFIG, tmpDir } from '../fixtureWorkspace';
import { ROOT } from '../helpers';
import { Client } from './client';

/** Start the built server on a workspace, as VS Code would (trusted or not). */
async function startServer(ws: string, trusted: boolean, settings: object = {}) {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], { env: { ...process.env, NIX_CONFIG } });
  const client = new Client(proc);
  const logs: string[] = [];
  client.onMessage(m => {
    if (m.method === 'window/logMessage') logs.push(m.params.message);
    if (m.method === 'window/workDoneProgress/create' || m.method === 'window/showMessageRequest') client.respond(m.id, null);
  });
  const init = await client.request('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }],
    capabilities: { window: { workDoneProgress: true } },
    initializationOptions: { trusted, cacheDir: tmpDir('cache'), settings },
  });
  const optionsLog = client.next(m => m.method === 'window/logMessage' && /^options: /.test(m.params.message), 30_000);
  const knowledge = client.next(m => m.method === 'nixAi/knowledge', 30_000).then(m => m.params);
  client.notify('initialized', {});
  return { proc, client, init, logs, optionsLog, knowledge };
}

async function stop(s: Awaited<ReturnType<typeof startServer>>) {
  await s.client.request('shutdown', null);
  s.client.notify('exit', null);
  s.proc.kill();
}

test('a trusted workspace: options load with progress, then completion, hover and definition answer from them', async () => {
  const { ws } = fixtureWorkspace();
  const s = await startServer(ws, true);
  try {
    const caps = s.init.result.capabilities;
    assert.deepEqual(caps.completionProvider.triggerCharacters, ['.', '"']);
    assert.ok(caps.hoverProvider && caps.definitionProvider && caps.referencesProvider && caps.documentHighlightProvider);
    const progressEnd = s.client.next(m => m.method === '$/progress' && m.params.value.kind === 'end', 30_000);
    assert.match((await s.optionsLog).params.message, new RegExp(`^options: 4 \\(and 8 package names, \\d+ lib attributes\\) from flake ${ws}#nixosConfigurations\\.gpu$`));
    await progressEnd;
    const source = await s.knowledge;
    assert.equal(source.origin, 'nixpkgs');
    assert.match(source.detail, new RegExp(`^your nixpkgs \\(flake ${ws}#nixosConfigurations\\.gpu\\): 4 options, 8 packages, \\d+ lib attributes$`));

    const uri = pathToFileURL(path.join(ws, 'configuration.nix')).href;
    const text = '{ config, ... }:\nlet gpu = config.hardware.nvidia; in\n{\n  hardware.nvidia.\n}\n';
    s.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text } });
    const completion = await s.client.request('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 18 } });
    const labels = completion.result.items.map((i: any) => i.label);
    assert.ok(labels.includes('fixtureOnly'), 'an option only the loaded set has');
    assert.ok(labels.includes('prime'), 'and the catalog options');
    const open = completion.result.items.find((i: any) => i.label === 'open');
    assert.equal(open.textEdit.range.start.character, 18);
    assert.match(open.documentation.value, /Fixture: choose the open kernel modules\./);

    const hover = await s.client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 12 } });
    assert.match(hover.result.contents.value, /^\*\*hardware\.nvidia\*\* · \d+ options/);
    const def = await s.client.request('textDocument/definition', { textDocument: { uri }, position: { line: 1, character: 5 } });
    assert.deepEqual(def.result.range.start, { line: 1, character: 4 });
  } finally {
    await stop(s);
  }
});

test('a trusted workspace: packages and lib of its nixpkgs complete, resolve and hover with what nixpkgs says', async () => {
  const { ws } = fixtureWorkspace();
  const s = await startServer(ws, true);
  try {
    await s.optionsLog;
    const uri = pathToFileURL(path.join(ws, 'configuration.nix')).href;
    const text = '{ pkgs, lib, ... }:\n{\n  environment.systemPackages = [ pkgs.hel pkgs.ollama ];\n  x = lib.hasPre;\n  y = pkgs.python3Packages.;\n}\n';
    s.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text } });
    const at = (needle: string) => ({ line: text.slice(0, text.indexOf(needle) + needle.length).split('\n').length - 1, character: text.slice(0, text.indexOf(needle) + needle.length).split('\n').pop()!.length });
    const pkgs = (await s.client.request('textDocument/completion', { textDocument: { uri }, position: at('pkgs.hel') })).result;
    const hello = pkgs.items.find((i: any) => i.label === 'hello');
    assert.ok(hello, pkgs.items.map((i: any) => i.label).join(' '));
    const resolved = (await s.client.request('completionItem/resolve', hello)).result;
    assert.match(resolved.documentation.value, /^\*\*pkgs\.hello\*\* · 2\.12\.1 · package from your nixpkgs\n\nA program that prints a greeting\n\n\[https:\/\/www\.gnu\.org\/software\/hello\/\]/);
    assert.match(resolved.documentation.value, /licence GPL-3\.0-or-later/);

    const hover = (await s.client.request('textDocument/hover', { textDocument: { uri }, position: at('pkgs.olla') })).result;
    assert.match(hover.contents.value, /^\*\*pkgs\.ollama\*\* · 0\.12\.3 · package from your nixpkgs\n\nRuns large language models on this machine/);
    assert.match(hover.contents.value, /\*nix-ai:\*/, "our catalog's notes follow");

    const libs = (await s.client.request('textDocument/completion', { textDocument: { uri }, position: at('lib.hasPre') })).result;
    const hasPrefix = libs.items.find((i: any) => i.label === 'hasPrefix');
    const doc = hasPrefix.documentation ?? (await s.client.request('completionItem/resolve', hasPrefix)).result.documentation;
    assert.match(doc.value, /hasPrefix :: string -> string -> bool/);

    // a nested set is listed when first asked, and the answer waits for it
    const nested = (await s.client.request('textDocument/completion', { textDocument: { uri }, position: at('python3Packages.') })).result;
    const torch = nested.items.find((x: any) => x.label === 'torch');
    assert.ok(torch, 'the nested set was listed');
  } finally {
    await stop(s);
  }
});

test('without nix, the NixOS lists are downloaded from the configured server (here a local one) and completion uses them', async () => {
  const { ws } = fixtureWorkspace();
  const options = JSON.stringify({ 'services.fromDownload.enable': { type: 'boolean', description: 'An option only the download has.', declarations: [], loc: ['services', 'fromDownload', 'enable'], readOnly: false } });
  const packages = JSON.stringify({ version: 2, packages: { hello: { version: '2.12.1', meta: { description: 'Prints a greeting' } } } });
  const server = http.createServer((req, res) => {
    const data = req.url === '/nixos-25.11/options.json.br' ? zlib.brotliCompressSync(options) : req.url === '/nixos-25.11/packages.json.br' ? zlib.brotliCompressSync(packages) : undefined;
    if (data) res.writeHead(200, { 'content-length': data.length }).end(data);
    else res.writeHead(404).end();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/{channel}`;
  const s = await startServer(ws, true, { nixosRelease: '25.11', nix: { path: '/nonexistent/nix' }, options: { download: 'on', downloadUrl: url } });
  try {
    const first = await s.knowledge;
    assert.equal(first.origin, 'catalog', 'the catalog while nix is missing');
    const downloaded = (await s.client.next(m => m.method === 'nixAi/knowledge' && m.params.origin === 'download', 30_000)).params;
    assert.match(downloaded.detail, /^downloaded for NixOS 25\.11 .*: 1 options, 1 packages$/);
    const uri = pathToFileURL(path.join(ws, 'configuration.nix')).href;
    const text = '{ pkgs, ... }:\n{\n  services.fromDownload.\n  environment.systemPackages = [ pkgs.hel ];\n}\n';
    s.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text } });
    const opts = (await s.client.request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 24 } })).result;
    assert.ok(opts.items.some((i: any) => i.label === 'enable'));
    const pkgs = (await s.client.request('textDocument/completion', { textDocument: { uri }, position: { line: 3, character: 41 } })).result;
    const hello = pkgs.items.find((i: any) => i.label === 'hello');
    const resolved = (await s.client.request('completionItem/resolve', hello)).result;
    assert.match(resolved.documentation.value, /2\.12\.1 · package from the package list of NixOS 25\.11\n\nPrints a greeting/);
  } finally {
    await stop(s);
    await new Promise(resolve => server.close(resolve));
  }
});

test('an untrusted workspace never runs nix; the built-in catalog still completes', async () => {
  const { ws } = fixtureWorkspace();
  const marker = path.join(tmpDir('marker'), 'ran');
  const fakeNix = path.join(tmpDir('fake'), 'nix');
  fs.writeFileSync(fakeNix, `#!/bin/sh\ntouch ${marker}\nexit 1\n`, { mode: 0o755 });
  const s = await startServer(ws, false, { nix: { path: fakeNix } });
  try {
    assert.match((await s.optionsLog).params.message, /built-in catalog only \(the workspace is not trusted/);
    assert.deepEqual(await s.knowledge, { origin: 'catalog', detail: 'built-in catalog (the workspace is not trusted, so nothing is evaluated)' });
    const uri = pathToFileURL(path.join(ws, 'configuration.nix')).href;
    s.client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text: '{ hardware.nvidia. }' } });
    const completion = await s.client.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 18 } });
    const labels = completion.result.items.map((i: any) => i.label);
    assert.ok(labels.includes('open') && !labels.includes('fixtureOnly'));
    // Once trusted, the fake nix runs (and fails): one clear message, the catalog stays.
    const warning = s.client.next(m => m.method === 'window/showMessageRequest' && m.params.type === 2, 30_000);
    s.client.notify('nixAi/workspaceTrusted', null);
    assert.match((await warning).params.message, /^nix-ai: could not load options from flake .*#nixosConfigurations\.gpu: .*built-in GPU\/AI catalog\.$/);
    assert.ok(fs.existsSync(marker));
  } finally {
    await stop(s);
  }
});
