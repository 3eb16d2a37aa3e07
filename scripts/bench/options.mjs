// Option completion and hover with 25,000 synthetic options (plus the catalog) loaded into the
// built server: latency p50/p95, the time from opening a file to its first completion, memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { quantile, root, rssMb, startServer, stats, target } from './common.mjs';

const OPTIONS = 25_000;
const ROUNDS = 300;

export async function optionsSection() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-bench-'));
  // a synthetic option set, in the options.json format the NixOS manual build writes
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

  const t0 = performance.now();
  const { proc, client, stop } = await startServer(ws, { trusted: true, cacheDir: path.join(ws, 'cache'), settings: { options: { json: 'options.json' } } });
  const loadMsg = (await client.next(m => m.method === 'window/logMessage' && /^options: /.test(m.params.message), 60_000)).params.message;
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
  const out = [`option set: ${loadMsg.replace(/^options: /, '')}; loaded ${(tLoaded - t0).toFixed(0)} ms after start`, `open -> first completion: ${firstMs.toFixed(1)} ms (${first.result.items.length} items)`];
  const all = [];
  for (const [name, position] of completionAt) {
    const times = [];
    let count = 0;
    for (let i = 0; i < ROUNDS / completionAt.length; i++) {
      const t = performance.now();
      const r = await client.request('textDocument/completion', { textDocument: { uri }, position });
      times.push(performance.now() - t);
      count = r.result.items.length;
    }
    out.push(`completion ${name}: ${stats(times)}, ${count} items`);
    all.push(...times);
  }
  const hoverTimes = [];
  for (const position of [pos('option7', 2), pos('open = true', 1), pos('ollama-cuda', 3)]) {
    for (let i = 0; i < ROUNDS / 3; i++) {
      const t = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position });
      hoverTimes.push(performance.now() - t);
    }
  }
  all.push(...hoverTimes);
  out.push(`hover: ${stats(hoverTimes)}`);
  const rssAfter = rssMb(proc.pid);
  out.push(`server RSS: ${rssIdle.toFixed(0)} MB after loading, ${rssAfter.toFixed(0)} MB after the runs`);
  await stop();
  fs.rmSync(ws, { recursive: true, force: true });
  const p95 = quantile(all, 0.95);
  return {
    lines: out,
    targets: [
      target('completion + hover with 25,000 options, p95', `${p95.toFixed(2)} ms`, '≤ 20 ms', p95 <= 20),
      target('server RSS with 25,000 options', `${rssAfter.toFixed(0)} MB`, '≤ 250 MB', rssAfter <= 250),
    ],
  };
}
