// Typing anywhere, as people do: a character inserted at a random place (often breaking the
// syntax for a moment: inside a name, a string, between tokens) and taken out again, in the 0.8 MB
// all-packages-like file and in a 60 KB NixOS module. didChange -> that version's diagnostics, and
// completion asked right after such a keystroke.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { published, quantile, require, root, startServer, stats, target } from './common.mjs';

const PAIRS = 40;
const COMPLETIONS = 30;
/** What a keystroke inserts: mostly letters and spaces, sometimes what opens or closes something. */
const KEYS = ['x', 'e', ' ', ' ', '.', ';', '"', '{', '}', '(', '=', '-', '\n'];
const progress = what => process.stderr.write(`  random edits: ${what}\n`);

export async function randomEditsSection() {
  const { allPackagesLike, moduleLike, random } = require(path.join(root, 'out/test/generated.js'));
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-bench-random-'));
  const { client, stop } = await startServer(ws, { settings: { options: { load: false } } });
  const out = [];
  const results = {};
  try {
    for (const [name, text] of [['all-packages.nix', allPackagesLike(800_000)], ['configuration.nix', moduleLike(60_000)]]) {
      progress(name);
      const file = path.join(ws, name);
      fs.writeFileSync(file, text);
      const uri = pathToFileURL(file).href;
      const first = published(client, uri, 1);
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text } });
      await first;
      const lines = text.split('\n');
      const rnd = random(31);
      const place = () => {
        const line = Math.floor(rnd() * lines.length);
        return { line, character: Math.floor(rnd() * (lines[line].length + 1)) };
      };
      let version = 1;
      /** Send one change and wait for that version's diagnostics; how long it took. */
      const change = async (range, insert) => {
        const done = published(client, uri, ++version);
        const t = performance.now();
        client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert }] });
        await done;
        return performance.now() - t;
      };
      const after = (at, key) => (key === '\n' ? { line: at.line + 1, character: 0 } : { line: at.line, character: at.character + 1 });
      const edits = [];
      let broke = 0;
      for (let i = 0; i < PAIRS; i++) {
        const at = place();
        const key = KEYS[Math.floor(rnd() * KEYS.length)];
        edits.push(await change({ start: at, end: at }, key));
        edits.push(await change({ start: at, end: after(at, key) }, ''));
      }
      // completion sent with the keystroke, before its diagnostics
      const completions = [];
      for (let i = 0; i < COMPLETIONS; i++) {
        const at = place();
        const key = KEYS[Math.floor(rnd() * KEYS.length)];
        const done = published(client, uri, ++version);
        client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: key }] });
        const t = performance.now();
        const answer = await client.request('textDocument/completion', { textDocument: { uri }, position: after(at, key) });
        completions.push(performance.now() - t);
        if (answer.error) broke++;
        await done;
        edits.push(await change({ start: at, end: after(at, key) }, ''));
      }
      client.notify('textDocument/didClose', { textDocument: { uri } });
      out.push(`${name} (${(text.length / 1e3).toFixed(0)} KB): random keystroke -> diagnostics ${stats(edits)}; completion right after ${stats(completions)}${broke ? `; ${broke} completion errors` : ''}`);
      results[name] = { edits, completions };
    }
  } finally {
    await stop();
    fs.rmSync(ws, { recursive: true, force: true });
  }
  const p95 = xs => quantile(xs, 0.95);
  const big = results['all-packages.nix'];
  const small = results['configuration.nix'];
  return {
    lines: out,
    targets: [
      target('K1. random keystroke -> diagnostics, 0.8 MB file, p95', `${p95(big.edits).toFixed(0)} ms`, '≤ 50 ms', p95(big.edits) <= 50),
      target('K1. completion after a random keystroke, 0.8 MB file, p95', `${p95(big.completions).toFixed(0)} ms`, '≤ 30 ms', p95(big.completions) <= 30),
      target('K2. random keystroke -> diagnostics, 60 KB module, p95', `${p95(small.edits).toFixed(0)} ms`, '≤ 15 ms', p95(small.edits) <= 15),
    ],
  };
}
