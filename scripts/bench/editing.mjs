// Editing a 0.8 MB all-packages-like file over LSP, as a nixpkgs contributor does: edit ->
// diagnostics, completion and hover right after a keystroke, a small file's diagnostics while the
// big one is open, and memory over many edits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { published, quantile, require, root, rssMb, sleep, startServer, stats, target } from './common.mjs';

const EDIT_PAIRS = 30;
const CRATE_EDIT_PAIRS = 20;
const ROUNDS = 20;
const SMALL_EDITS = 30;
const MANY_EDITS = 1000;
const RSS_READINGS = 10;
const MANY_EDITS_SECONDS = 150;
const BYTES = Number(process.env.BENCH_BYTES ?? 800_000);
const progress = what => process.stderr.write(`  editing: ${what}\n`);

export async function editingSection() {
  const { allPackagesLike } = require(path.join(root, 'out/test/generated.js'));
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-bench-edit-'));
  const bigFile = path.join(ws, 'pkgs/top-level/all-packages.nix');
  fs.mkdirSync(path.dirname(bigFile), { recursive: true });
  const bigText = allPackagesLike(BYTES);
  fs.writeFileSync(bigFile, bigText);
  const smallFile = path.join(ws, 'configuration.nix');
  const smallText = fs.readFileSync(path.join(root, 'examples/gpu-workstation/configuration.nix'), 'utf8');
  fs.writeFileSync(smallFile, smallText);
  const big = pathToFileURL(bigFile).href;
  const small = pathToFileURL(smallFile).href;

  const { proc, client, stop } = await startServer(ws, { settings: { options: { load: false } } });
  const out = [];
  let t = performance.now();
  let firstPublish = published(client, big, 1);
  client.notify('textDocument/didOpen', { textDocument: { uri: big, languageId: 'nix', version: 1, text: bigText } });
  await firstPublish;
  out.push(`all-packages-like file: ${(bigText.length / 1e6).toFixed(2)} MB, ${bigText.split('\n').length} lines; open -> first diagnostics ${(performance.now() - t).toFixed(0)} ms`);

  // binding names spread over the file: `  name = callPackage …`
  const lines = bigText.split('\n');
  const names = lines.map((l, i) => [i, /^ {2}([\w-]+) = callPackage /.exec(l)]).filter(([, m]) => m).map(([line, m]) => ({ line, character: 2 + m[1].length }));
  const spots = Array.from({ length: 64 }, (_, i) => names[Math.floor((i * names.length) / 64)]);
  let version = 1;
  const type = (at, text) => {
    version++;
    const range = text ? { start: at, end: at } : { start: { line: at.line, character: at.character }, end: { line: at.line, character: at.character + 1 } };
    client.notify('textDocument/didChange', { textDocument: { uri: big, version }, contentChanges: [{ range, text }] });
    return version;
  };
  /** Type a character into a binding's name (or take it out again) and wait for that version's diagnostics. */
  const editAndWait = async (at, text) => {
    const start = performance.now();
    const v = type(at, text);
    await published(client, big, v);
    return performance.now() - start;
  };

  // 1. edit -> fresh diagnostics in the big file
  progress('edits');
  const editTimes = [];
  // RSS is read after each of the first edits and each of the last ones, and the medians compared:
  // a single reading mostly says where the garbage collector was in its cycle
  const rssFirst = [];
  for (let i = 0; i < EDIT_PAIRS; i++) {
    const at = spots[i % spots.length];
    editTimes.push(await editAndWait(at, 'x'));
    if (rssFirst.length < RSS_READINGS) rssFirst.push(rssMb(proc.pid));
    editTimes.push(await editAndWait(at, ''));
  }
  out.push(`edit -> diagnostics in that file: ${stats(editTimes)}`);

  // 2. completion 0 ms and hover 150 ms after a keystroke
  progress('requests after keystrokes');
  const completionTimes = [];
  const hoverTimes = [];
  for (let i = 0; i < ROUNDS; i++) {
    const at = spots[(i * 7) % spots.length];
    // listen before asking: the diagnostics may come in the same read as the answer
    let done = published(client, big, type(at, 'x'));
    t = performance.now();
    await client.request('textDocument/completion', { textDocument: { uri: big }, position: { line: at.line, character: at.character + 1 } });
    completionTimes.push(performance.now() - t);
    await done;
    done = published(client, big, type(at, ''));
    await sleep(150);
    t = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri: big }, position: { line: at.line, character: at.character + 5 } });
    hoverTimes.push(performance.now() - t);
    await done;
  }
  out.push(`completion sent right after a keystroke: ${stats(completionTimes)}`);
  out.push(`hover sent 150 ms after a keystroke: ${stats(hoverTimes)}`);

  // 3. a small file's edit -> diagnostics while the big file is open
  progress('small file');
  firstPublish = published(client, small, 1);
  client.notify('textDocument/didOpen', { textDocument: { uri: small, languageId: 'nix', version: 1, text: smallText } });
  await firstPublish;
  const smallTimes = [];
  for (let i = 0; i < SMALL_EDITS; i++) {
    const start = performance.now();
    const v = i + 2;
    const at = { line: 0, character: 0 };
    const range = i % 2 ? { start: at, end: { line: 0, character: 1 } } : { start: at, end: at };
    client.notify('textDocument/didChange', { textDocument: { uri: small, version: v }, contentChanges: [{ range, text: i % 2 ? '' : ' ' }] });
    await published(client, small, v);
    smallTimes.push(performance.now() - start);
  }
  out.push(`small file edit -> its diagnostics, with the big file open: ${stats(smallTimes)}`);

  // 5. memory over many edits of the big file
  progress('many edits');
  const editsBefore = 2 * EDIT_PAIRS + 2 * ROUNDS;
  let edits = editsBefore;
  const until = performance.now() + MANY_EDITS_SECONDS * 1000;
  const rssLast = [];
  while (edits < MANY_EDITS && performance.now() < until) {
    const at = spots[(edits >> 1) % spots.length];
    await editAndWait(at, edits % 2 ? '' : 'x');
    edits++;
    if (edits > MANY_EDITS - RSS_READINGS) rssLast.push(rssMb(proc.pid));
  }
  const before = quantile(rssFirst, 0.5);
  const rssMany = quantile(rssLast.length ? rssLast : [rssMb(proc.pid)], 0.5);
  out.push(`server RSS (median of ${RSS_READINGS} readings): ${before.toFixed(0)} MB over the first edits (${rssFirst.map(r => r.toFixed(0)).join(' ')}), ${rssMany.toFixed(0)} MB over the last of ${edits} edits (${rssLast.map(r => r.toFixed(0)).join(' ')})${edits < MANY_EDITS ? ` (stopped after ${MANY_EDITS_SECONDS} s)` : ''}`);

  // the other large shape: a generated crate2nix file (nested rec sets, 10,000 crates)
  progress('crate2nix-like file');
  out.push(await crateEdits(client, ws));
  await stop();
  fs.rmSync(ws, { recursive: true, force: true });

  const p95 = xs => quantile(xs, 0.95);
  const growth = (rssMany / before - 1) * 100;
  return {
    lines: out,
    targets: [
      target(`1. edit -> diagnostics, ${(BYTES / 1e6).toFixed(1)} MB file, p95`, `${p95(editTimes).toFixed(0)} ms`, '≤ 40 ms', p95(editTimes) <= 40),
      target('2. completion 0 ms / hover 150 ms after a keystroke, p95', `${p95(completionTimes).toFixed(0)} / ${p95(hoverTimes).toFixed(0)} ms`, '≤ 30 ms', Math.max(p95(completionTimes), p95(hoverTimes)) <= 30),
      target('3. small file edit -> diagnostics with the big file open, p95', `${p95(smallTimes).toFixed(0)} ms`, '≤ 80 ms', p95(smallTimes) <= 80),
      target(`5. server RSS growth over ${edits} edits of the big file`, `${growth >= 0 ? '+' : ''}${growth.toFixed(0)}%`, `≤ +20% over ${MANY_EDITS} edits`, growth <= 20 && edits >= MANY_EDITS, edits < MANY_EDITS ? `only ${edits} edits fit in ${MANY_EDITS_SECONDS} s` : ''),
    ],
  };
}

/** Type into crate names of a 1.4 MB crate2nix-like file and take it out again: edit -> diagnostics. */
async function crateEdits(client, ws) {
  const { crate2nixLike } = require(path.join(root, 'out/test/generated.js'));
  const text = crate2nixLike(1_400_000);
  const file = path.join(ws, 'Cargo.nix');
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  let t = performance.now();
  const first = published(client, uri, 1);
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text } });
  await first;
  const openMs = performance.now() - t;
  const lines = text.split('\n');
  const names = lines.map((l, i) => [i, /^ {8}crateName = "/.exec(l)]).filter(([, m]) => m).map(([line, m]) => ({ line, character: m[0].length }));
  const times = [];
  let version = 1;
  for (let i = 0; i < 2 * CRATE_EDIT_PAIRS; i++) {
    const at = names[Math.floor(((i >> 1) * names.length) / CRATE_EDIT_PAIRS)];
    const range = i % 2 ? { start: at, end: { line: at.line, character: at.character + 1 } } : { start: at, end: at };
    t = performance.now();
    const done = published(client, uri, ++version);
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: i % 2 ? '' : 'x' }] });
    await done;
    times.push(performance.now() - t);
  }
  client.notify('textDocument/didClose', { textDocument: { uri } });
  return `crate2nix-like file (${(text.length / 1e6).toFixed(2)} MB): open -> first diagnostics ${openMs.toFixed(0)} ms; edit -> diagnostics ${stats(times)}`;
}
