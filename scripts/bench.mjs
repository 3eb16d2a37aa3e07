#!/usr/bin/env node
// `npm run bench`: figures, not a test. Loads 25,000 synthetic options (plus the catalog) into the
// built server over stdio, then measures completion and hover latency (p50/p95), the time from
// opening a file to its first completion, and the server's memory. Also parse speed and
// incremental edit latency in-process.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
for (const [cmd, args] of [['npm', ['run', '--silent', 'build']], [path.join(root, 'node_modules/.bin/tsc'), ['-b']]]) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { Client } = require(path.join(root, 'out/test/protocol/client.js'));
const OPTIONS = 25_000;
const ROUNDS = 300;

// --- synthetic option set, in the options.json format the NixOS manual build writes -----------
const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-bench-'));
const options = {};
for (let i = 0; i < OPTIONS; i++) {
  const name = `services.svc${i % 1000}.group${Math.floor(i / 1000) % 5}.option${i}`;
  options[name] = { type: 'boolean', description: `Synthetic option ${i}.`, default: { _type: 'literalExpression', text: 'false' }, declarations: [`nixos/modules/services/svc${i % 1000}.nix`], loc: name.split('.'), readOnly: false };
}
fs.writeFileSync(path.join(ws, 'options.json'), JSON.stringify(options));
const moduleText = fs.readFileSync(path.join(root, 'examples/gpu-workstation/configuration.nix'), 'utf8')
  .replace('system.stateVersion', 'services.svc7.group0.option7 = true;\n  services.\n  system.stateVersion');
const file = path.join(ws, 'configuration.nix');
fs.writeFileSync(file, moduleText);

const stats = xs => {
  const s = [...xs].sort((a, b) => a - b);
  const at = q => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `p50 ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms (n=${s.length})`;
};
const rssMb = pid => Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const t0 = performance.now();
const proc = spawn(process.execPath, [path.join(root, 'dist/server.js'), '--stdio']);
const client = new Client(proc);
client.onMessage(m => { if (m.id !== undefined && m.method) client.respond(m.id, null); });
await client.request('initialize', {
  processId: process.pid, rootUri: null, capabilities: {},
  workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'bench' }],
  initializationOptions: { trusted: true, cacheDir: path.join(ws, 'cache'), settings: { options: { json: 'options.json' } } },
});
const loaded = client.next(m => m.method === 'window/logMessage' && /^options: /.test(m.params.message), 60_000);
client.notify('initialized', {});
const loadMsg = (await loaded).params.message;
const tLoaded = performance.now();
const rssIdle = rssMb(proc.pid);

const uri = pathToFileURL(file).href;
const lines = moduleText.split('\n');
const pos = (needle, delta = 0) => { const l = lines.findIndex(x => x.includes(needle)); return { line: l, character: lines[l].indexOf(needle) + delta }; };
const tOpen = performance.now();
client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'nix', version: 1, text: moduleText } });
const first = await client.request('textDocument/completion', { textDocument: { uri }, position: pos('services.\n'.trim(), 'services.'.length) });
const firstMs = performance.now() - tOpen;

const completionAt = [
  ['services. (1,000+ names, capped)', pos('  services.', 'services.'.length + 2)],
  ['services.svc7.group0.', pos('services.svc7.group0.option7', 'services.svc7.group0.'.length)],
  ['hardware.nvidia = { … }', pos('modesetting.enable', 0)],
  ['nvidiaPackages.', pos('nvidiaPackages.stable', 'nvidiaPackages.'.length)],
];
const completion = {};
for (const [name, position] of completionAt) {
  const times = [];
  let count = 0;
  for (let i = 0; i < ROUNDS / completionAt.length; i++) {
    const t = performance.now();
    const r = await client.request('textDocument/completion', { textDocument: { uri }, position });
    times.push(performance.now() - t);
    count = r.result.items.length;
  }
  completion[name] = { times, count };
}
const hoverTimes = [];
for (const position of [pos('option7', 2), pos('open = true', 1), pos('ollama-cuda', 3)]) {
  for (let i = 0; i < ROUNDS / 3; i++) {
    const t = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri }, position });
    hoverTimes.push(performance.now() - t);
  }
}
const rssAfter = rssMb(proc.pid);
await client.request('shutdown', null);
client.notify('exit', null);

// --- in-process: parsing and incremental edits ------------------------------------------------
const { parser } = require(path.join(root, 'out/test/helpers.js'));
const { createDocument, applyChanges } = require(path.join(root, 'out/server/src/parse/documents.js'));
const p = await parser();
const big = Array.from({ length: 400 }, () => moduleText).join('\n').replace(/^/, '[\n') + '\n]';
let t = performance.now();
const bigDoc = createDocument(p, 'file:///big.nix', 1, big);
const parseMs = performance.now() - t;
const editTimes = [];
let doc = bigDoc;
for (let i = 0; i < 100; i++) {
  const line = 1 + ((i * 37) % (doc.lines.lineCount - 2));
  t = performance.now();
  const next = applyChanges(p, doc, i + 2, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 2 ? ' ' : '#' }]);
  editTimes.push(performance.now() - t);
  doc.tree.delete();
  doc = next;
}

// every rule over the whole 0.25 MB file, the work behind one diagnostics update
const { diagnose } = require(path.join(root, 'out/server/src/features/diagnostics.js'));
const diagnoseTimes = [];
let findingCount = 0;
for (let i = 0; i < 10; i++) {
  const fresh = createDocument(p, 'file:///big.nix', 1, big);
  t = performance.now();
  findingCount = diagnose(fresh).length;
  diagnoseTimes.push(performance.now() - t);
  fresh.tree.delete();
}

console.log(`nix-ai benchmark on ${os.cpus().length} cores, Node ${process.versions.node}`);
console.log(`option set: ${loadMsg.replace(/^options: /, '')}; loaded ${(tLoaded - t0).toFixed(0)} ms after start`);
console.log(`open -> first completion: ${firstMs.toFixed(1)} ms (${first.result.items.length} items)`);
for (const [name, { times, count }] of Object.entries(completion)) console.log(`completion ${name}: ${stats(times)}, ${count} items`);
console.log(`hover: ${stats(hoverTimes)}`);
console.log(`server RSS: ${rssIdle.toFixed(0)} MB after loading, ${rssAfter.toFixed(0)} MB after the runs (target 250 MB)`);
console.log(`parse: ${(big.length / 1e6).toFixed(2)} MB in ${parseMs.toFixed(0)} ms = ${(big.length / 1e6 / (parseMs / 1000)).toFixed(1)} MB/s`);
console.log(`incremental edit in that file (edit + reparse): ${stats(editTimes)}`);
console.log(`diagnostics, every rule on that file (${findingCount} findings): ${stats(diagnoseTimes)}`);
const all = [...Object.values(completion).flatMap(c => c.times), ...hoverTimes].sort((a, b) => a - b);
const p95 = all[Math.floor(0.95 * all.length)];
console.log(`overall completion+hover p95 ${p95.toFixed(2)} ms (target 20 ms): ${p95 <= 20 ? 'met' : 'missed'}; RSS ${rssAfter <= 250 ? 'met' : 'missed'}`);
fs.rmSync(ws, { recursive: true, force: true });
