// `nix-ai check` over 15 MB of generated files against `nix-instantiate --parse` over the same
// files in one process (as a script would feed them), and the checker's peak memory.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { require, root, rssMb, target } from './common.mjs';

/** Run a command to its end; its wall time and peak RSS (polled from /proc). */
function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let peak = 0;
    let err = '';
    const poll = setInterval(() => { try { peak = Math.max(peak, rssMb(child.pid, true)); } catch { /* exited */ } }, 20);
    child.stderr.on('data', d => { err += d; });
    child.on('error', reject);
    child.on('close', code => {
      clearInterval(poll);
      resolve({ ms: performance.now() - start, peak, code, err });
    });
  });
}

export async function cliSection() {
  const { allPackagesLike, crate2nixLike } = require(path.join(root, 'out/test/generated.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-bench-cli-'));
  const files = [];
  const write = (name, text) => { const f = path.join(dir, name); fs.writeFileSync(f, text); files.push(f); return text.length; };
  let bytes = 0;
  for (let i = 0; i < 10; i++) bytes += write(`all-packages-${i}.nix`, allPackagesLike(800_000, i + 1));
  for (let i = 0; i < 5; i++) bytes += write(`Cargo-${i}.nix`, crate2nixLike(1_400_000, i + 11));
  const mb = bytes / 1e6;
  const out = [`corpus: ${files.length} generated files, ${mb.toFixed(1)} MB`];

  const cli = jobs => timed(process.execPath, [path.join(root, 'dist/cli.js'), 'check', dir, '--format', 'json', '--severity', 'error', ...jobs]);
  // one thread, then the default (worker threads on every core): the targets take the default
  const single = await cli(['--jobs', '1']);
  out.push(`nix-ai check --jobs 1: ${(single.ms / 1000).toFixed(1)} s = ${(mb / (single.ms / 1000)).toFixed(2)} MB/s, peak RSS ${single.peak.toFixed(0)} MB (exit ${single.code})`);
  const ours = await cli([]);
  const oursRate = mb / (ours.ms / 1000);
  out.push(`nix-ai check (default: ${os.availableParallelism?.() ?? os.cpus().length} jobs): ${(ours.ms / 1000).toFixed(1)} s = ${oursRate.toFixed(2)} MB/s, peak RSS ${ours.peak.toFixed(0)} MB (exit ${ours.code})`);
  const targets = [target('4b. nix-ai check peak RSS for 15 MB', `${ours.peak.toFixed(0)} MB`, '≤ 400 MB', ours.peak <= 400)];

  const hasNix = spawnSync('nix-instantiate', ['--version']).status === 0;
  if (hasNix) {
    const nix = await timed('nix-instantiate', ['--parse', ...files]);
    const nixRate = mb / (nix.ms / 1000);
    out.push(`nix-instantiate --parse (one process): ${(nix.ms / 1000).toFixed(1)} s = ${nixRate.toFixed(2)} MB/s (exit ${nix.code})`);
    const ratio = oursRate / nixRate;
    targets.unshift(target('4a. nix-ai check throughput / nix-instantiate --parse', `${ratio.toFixed(2)}×`, '≥ 0.5×', ratio >= 0.5));
  } else {
    out.push('nix-instantiate is not installed: the throughput ratio is not measured (apt-get install nix-bin)');
    targets.unshift(target('4a. nix-ai check throughput / nix-instantiate --parse', 'not measured', '≥ 0.5×', false, 'no nix-instantiate'));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { lines: out, targets };
}
