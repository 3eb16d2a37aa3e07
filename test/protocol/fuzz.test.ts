import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import { test } from 'node:test';
import * as path from 'path';
import { diagnose } from '../../server/src/features/diagnostics';
import { createDocument } from '../../server/src/parse/documents';
import { LineIndex, type Range } from '../../server/src/parse/lineIndex';
import { invalidAnswer } from '../fuzz/validate';
import { allPackagesLike, random } from '../generated';
import { parser, ROOT, testNixFiles } from '../helpers';
import { Client } from './client';

const EDITS = 1000;
const PIECES = ['', ';', '}', '{', ']', '[', '"', "''", '${', ' ', '\n', 'a = 1;', 'x', 'pkgs.', 'let q = 1; in ', '# c\n', '😀', 'hardware.nvidia.open = true;'];
const REQUESTS: Array<[string, string]> = [
  ['completion', 'textDocument/completion'], ['hover', 'textDocument/hover'], ['definition', 'textDocument/definition'],
  ['references', 'textDocument/references'], ['highlights', 'textDocument/documentHighlight'], ['selection', 'textDocument/selectionRange'],
  ['symbols', 'textDocument/documentSymbol'], ['folding', 'textDocument/foldingRange'], ['codeActions', 'textDocument/codeAction'],
];

/** What the in-process validator reads from an LSP answer. */
function shapeOf(kind: string, result: any): unknown {
  if (kind === 'completion') return (Array.isArray(result) ? result : result?.items ?? []).map((i: { label: string }) => i.label);
  return result ?? [];
}

test('over LSP: random edits with requests of every kind between them; every answer valid, and the last diagnostics those of a fresh check', { timeout: 180_000 }, async t => {
  const p = await parser();
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], { signal: t.signal });
  proc.on('error', () => undefined);
  const client = new Client(proc);
  const latest = new Map<string, any>();
  client.onMessage(m => { if (m.method === 'textDocument/publishDiagnostics') latest.set(m.params.uri, m.params); });
  try {
    await client.request('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    client.notify('initialized', {});
    const rnd = random(99);
    const files = testNixFiles().filter(([name]) => name.endsWith('.nix')).slice(0, 12);
    const texts = [...files, ['generated/all-packages-like.nix', allPackagesLike(60_000, 31)] as [string, string]];
    const docs = texts.map(([name, text], i) => ({ uri: `file:///fuzz/${i}/${path.basename(name)}`, text, version: 1 }));
    for (const d of docs) client.notify('textDocument/didOpen', { textDocument: { uri: d.uri, languageId: 'nix', version: 1, text: d.text } });
    let answered = 0;
    for (let step = 0; step < EDITS; step++) {
      const d = docs[Math.floor(rnd() * docs.length)];
      const lines = new LineIndex(d.text);
      const a = Math.floor(rnd() * (d.text.length + 1));
      const b = Math.min(d.text.length, a + (rnd() < 0.7 ? 0 : Math.floor(rnd() * 30)));
      const insert = rnd() < 0.2 ? '' : PIECES[Math.floor(rnd() * PIECES.length)];
      const range: Range = lines.rangeOf(a, b);
      d.text = d.text.slice(0, a) + insert + d.text.slice(b);
      client.notify('textDocument/didChange', { textDocument: { uri: d.uri, version: ++d.version }, contentChanges: [{ range, text: insert }] });
      const [kind, method] = REQUESTS[Math.floor(rnd() * REQUESTS.length)];
      const now = { text: d.text, lines: new LineIndex(d.text) };
      const at = now.lines.positionAt(Math.floor(rnd() * (d.text.length + 1)));
      // past the end of a line now and then, as editors send after a quick edit
      const position = rnd() < 0.1 ? { line: at.line, character: at.character + 5 } : at;
      const params: any = { textDocument: { uri: d.uri }, position };
      if (kind === 'references') params.context = { includeDeclaration: true };
      if (kind === 'selection') params.positions = [position];
      if (kind === 'codeActions') Object.assign(params, { range: { start: position, end: position }, context: { diagnostics: [] } });
      const answer = await client.request(method, params);
      assert.equal(answer.error, undefined, `${kind} at step ${step}: ${JSON.stringify(answer.error)}`);
      const invalid = invalidAnswer(kind, shapeOf(kind, answer.result), now as any);
      assert.equal(invalid, undefined, `${kind} at step ${step} in ${d.uri}: ${invalid}\n${d.text.slice(0, 300)}`);
      answered++;
    }
    // every document's last version: published, valid, and the diagnostics of a fresh check
    for (const d of docs) {
      const isLast = (params: any) => params?.uri === d.uri && params.version === d.version;
      const last = isLast(latest.get(d.uri)) ? latest.get(d.uri) : (await client.next(m => m.method === 'textDocument/publishDiagnostics' && isLast(m.params), 60_000)).params;
      const fresh = createDocument(p, d.uri, d.version, d.text);
      try {
        assert.equal(invalidAnswer('diagnostics', last.diagnostics, fresh), undefined);
        const expected = diagnose(fresh).map(f => [f.code, f.range, f.message]);
        assert.deepEqual(last.diagnostics.map((x: any) => [x.code, x.range, x.message]), expected, `the diagnostics of ${d.uri}`);
      } finally {
        fresh.tree.delete();
      }
    }
    assert.equal(answered, EDITS);
  } finally {
    proc.kill();
  }
});
