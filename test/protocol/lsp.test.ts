import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { diagnose } from '../../server/src/features/diagnostics';
import { ROOT, parseDoc } from '../helpers';

/** A minimal JSON-RPC client over the server's stdio, as an editor would speak to it. */
class Client {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (msg: any) => void>();
  private readonly listeners: Array<(msg: any) => boolean> = [];

  constructor(private readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const headerEnd = this.buffer.indexOf('\r\n\r\n');
        if (headerEnd === -1) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())![1]);
        if (this.buffer.length < headerEnd + 4 + length) return;
        const msg = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
        this.buffer = this.buffer.subarray(headerEnd + 4 + length);
        if (msg.id !== undefined && this.waiting.has(msg.id)) {
          this.waiting.get(msg.id)!(msg);
          this.waiting.delete(msg.id);
        } else {
          for (let i = this.listeners.length - 1; i >= 0; i--) if (this.listeners[i](msg)) this.listeners.splice(i, 1);
        }
      }
    });
  }

  private send(msg: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request(method: string, params: unknown): Promise<any> {
    const id = this.nextId++;
    return new Promise(resolve => {
      this.waiting.set(id, msg => resolve(msg));
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The next notification matching `pred`, or a rejection after `ms`. */
  next(pred: (msg: any) => boolean, ms = 10_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message from the server')), ms);
      this.listeners.push(msg => {
        if (!pred(msg)) return false;
        clearTimeout(timer);
        resolve(msg);
        return true;
      });
    });
  }
}

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
