import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import { test } from 'node:test';
import * as path from 'path';
import { allPackagesLike } from '../generated';
import { ROOT } from '../helpers';
import { Client } from './client';

const URI = 'file:///work/pkgs/top-level/all-packages.nix';
const REQUEST_CANCELLED = -32800;

/** The built server over stdio, initialized, with one large document open; stderr collected. */
async function started(signal: AbortSignal): Promise<{ client: Client; stderr: () => string; stop: () => void }> {
  // the signal ends the server when the test times out, so a deaf server fails the test instead of hanging it
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], { signal });
  proc.on('error', () => undefined);
  let err = '';
  proc.stderr.on('data', d => { err += d; });
  const client = new Client(proc);
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  client.notify('initialized', {});
  const opened = client.next(m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === URI, 60_000);
  client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'nix', version: 1, text: allPackagesLike(200_000, 3) } });
  await opened;
  return { client, stderr: () => err, stop: () => proc.kill() };
}

test('malformed frames on stdin: each is logged once on stderr and the server keeps answering', { timeout: 60_000 }, async t => {
  const { client, stderr, stop } = await started(t.signal);
  try {
    const junk = [
      'garbage between frames\r\n',
      'Content-Length: -5\r\n\r\n',
      'Content-Length: ten\r\n\r\n',
      'Content-Type: application/json\r\n\r\n{"jsonrpc":"2.0","id":999,"method":"shutdown"}',
      'xyz',
    ];
    for (const j of junk) {
      client.raw(j);
      const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: URI } });
      assert.ok(Array.isArray(symbols.result) && symbols.result.length > 0, `answered after ${JSON.stringify(j)}`);
    }
    assert.equal(stderr().match(/malformed input on stdin/g)?.length, junk.length, stderr());
  } finally {
    stop();
  }
});

test('a cancelled request still waiting in the queue is answered RequestCancelled; the others get results', { timeout: 60_000 }, async t => {
  const { client, stop } = await started(t.signal);
  try {
    // one write: 150 completions, every other one cancelled right after it is sent, as an
    // editor does when the user types on; the first one keeps the server busy meanwhile
    const position = { line: 40, character: 10 };
    const sent: Array<{ answer: Promise<any>; cancelled: boolean }> = [];
    const bytes: Buffer[] = [];
    for (let i = 0; i < 150; i++) {
      const { id, answer } = client.expect();
      bytes.push(Client.frame({ id, method: 'textDocument/completion', params: { textDocument: { uri: URI }, position } }));
      const cancelled = i > 0 && i % 2 === 0;
      if (cancelled) bytes.push(Client.frame({ method: '$/cancelRequest', params: { id } }));
      sent.push({ answer, cancelled });
    }
    client.raw(Buffer.concat(bytes));
    const answers = await Promise.all(sent.map(s => s.answer));
    sent.forEach((s, i) => {
      const a = answers[i];
      if (s.cancelled) assert.equal(a.error?.code, REQUEST_CANCELLED, `request ${i}: ${JSON.stringify(a).slice(0, 200)}`);
      else assert.ok(a.error === undefined && a.result !== undefined, `request ${i}: ${JSON.stringify(a).slice(0, 200)}`);
    });
  } finally {
    stop();
  }
});

test('a request whose document already has a newer version waiting is answered ContentModified', { timeout: 60_000 }, async t => {
  const { client, stop } = await started(t.signal);
  try {
    const CONTENT_MODIFIED = -32801;
    const change = (version: number) => Client.frame({
      method: 'textDocument/didChange',
      params: { textDocument: { uri: URI, version }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }] },
    });
    const stale = client.expect();
    const position = { line: 40, character: 10 };
    // one write: the second change has arrived before the request between them is handled
    client.raw(Buffer.concat([change(2), Client.frame({ id: stale.id, method: 'textDocument/completion', params: { textDocument: { uri: URI }, position } }), change(3)]));
    assert.equal((await stale.answer).error?.code, CONTENT_MODIFIED);
    const current = await client.request('textDocument/completion', { textDocument: { uri: URI }, position });
    assert.ok(current.error === undefined && current.result, JSON.stringify(current).slice(0, 200));
  } finally {
    stop();
  }
});

test('the server exits when its input ends: 0 after a shutdown request', { timeout: 60_000 }, async t => {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], { signal: t.signal });
  proc.on('error', () => undefined);
  const client = new Client(proc);
  const exited = new Promise<number | null>(resolve => proc.on('exit', resolve));
  await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await client.request('shutdown', null);
  proc.stdin.end();
  assert.equal(await exited, 0);
});

test('a wasm fault the parser cannot recover from: the document is parsed afresh and checked again, the server goes on', { timeout: 60_000 }, async t => {
  // the compiled (not bundled) server, with a preload that makes web-tree-sitter fault twice
  const proc = spawn(process.execPath, ['-r', path.join(__dirname, 'faultTwice.js'), path.join(ROOT, 'out/server/src/server.js'), '--stdio'], { signal: t.signal });
  proc.on('error', () => undefined);
  const client = new Client(proc);
  const logs: string[] = [];
  client.onMessage(m => { if (m.method === 'window/logMessage') logs.push(m.params.message); });
  try {
    await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    client.notify('initialized', {});
    const uri = 'file:///work/fault.nix';
    const diagnostics: any[] = [];
    const checked = client.next(m => {
      if (m.method !== 'textDocument/publishDiagnostics' || m.params.uri !== uri) return false;
      diagnostics.push(m.params);
      return m.params.diagnostics.length > 0;
    }, 30_000);
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text: '{ a = 1; # FAULT\n  b = ; }\n' } });
    const found = await checked;
    assert.equal(found.params.version, 1);
    assert.ok(found.params.diagnostics.some((d: any) => d.code === 'syntax-error'), JSON.stringify(found.params));
    assert.deepEqual(diagnostics.map(d => d.diagnostics.length > 0), [false, true], 'the faulted check published nothing, the second one the syntax error');
    assert.ok(logs.some(l => /after a fault in tree-sitter/.test(l)), logs.join('\n'));
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } });
    assert.equal(hover.error, undefined);
  } finally {
    proc.kill();
  }
});

test('over --socket and --pipe too: malformed frames are skipped and reported, and a request about a replaced version gets ContentModified', { timeout: 60_000 }, async t => {
  const fs = await import('fs');
  const net = await import('net');
  const os = await import('os');
  const pipePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-pipe-')), 'lsp.sock');
  for (const kind of ['socket', 'pipe'] as const) {
    // the editor listens; the server connects to it
    const listener = net.createServer();
    await new Promise<void>(resolve => (kind === 'socket' ? listener.listen(0, '127.0.0.1', resolve) : listener.listen(pipePath, resolve)));
    const where = kind === 'socket' ? String((listener.address() as { port: number }).port) : pipePath;
    const connected = new Promise<import('net').Socket>(resolve => listener.once('connection', resolve));
    const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), `--${kind}=${where}`], { signal: t.signal });
    proc.on('error', () => undefined);
    let err = '';
    proc.stderr.on('data', d => { err += d; });
    const socket = await connected;
    const client = new Client({ stdout: socket, stdin: socket } as unknown as import('child_process').ChildProcessWithoutNullStreams);
    try {
      await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      client.notify('initialized', {});
      const opened = client.next(m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === URI, 60_000);
      client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'nix', version: 1, text: allPackagesLike(100_000, 3) } });
      await opened;
      client.raw('Content-Length: ten\r\n\r\n');
      const symbols = await client.request('textDocument/documentSymbol', { textDocument: { uri: URI } });
      assert.ok(Array.isArray(symbols.result) && symbols.result.length > 0, `${kind}: answered after a malformed header`);
      assert.match(err, /malformed input on the socket/, kind);
      const change = (version: number) => Client.frame({
        method: 'textDocument/didChange',
        params: { textDocument: { uri: URI, version }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }] },
      });
      const stale = client.expect();
      client.raw(Buffer.concat([change(2), Client.frame({ id: stale.id, method: 'textDocument/hover', params: { textDocument: { uri: URI }, position: { line: 40, character: 10 } } }), change(3)]));
      assert.equal((await stale.answer).error?.code, -32801, `${kind}: ContentModified`);
    } finally {
      proc.kill();
      socket.destroy();
      listener.close();
    }
  }
});
