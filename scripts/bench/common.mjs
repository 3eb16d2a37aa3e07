// Shared by the benchmark sections: the built server over stdio, percentiles, memory readings.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const require = createRequire(import.meta.url);

/** The value at quantile q of xs. */
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export function stats(xs) {
  return `p50 ${quantile(xs, 0.5).toFixed(2)} ms, p95 ${quantile(xs, 0.95).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms (n=${xs.length})`;
}

/** Resident memory of a process in MB; `peak`: the high-water mark. */
export function rssMb(pid, peak = false) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${peak ? 'VmHWM' : 'VmRSS'}:\\s+(\\d+)`, 'm').exec(status)[1]) / 1024;
}

/** A target of the speed issue: its figure, the goal, and whether it is met. */
export function target(name, figure, goal, met, note = '') {
  return { name, figure, goal, met, note };
}

/**
 * Start the built server in a workspace folder and initialize it. BENCH_NODE_ARGS adds node
 * options for the server (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where time goes).
 */
export async function startServer(ws, initializationOptions = {}) {
  const { Client } = require(path.join(root, 'out/test/protocol/client.js'));
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  // BENCH_SERVER: another build's server.js, to measure it the same way
  const proc = spawn(process.execPath, [...nodeArgs, process.env.BENCH_SERVER ?? path.join(root, 'dist/server.js'), '--stdio']);
  const client = new Client(proc);
  const logs = [];
  client.onMessage(m => {
    if (m.id !== undefined && m.method) client.respond(m.id, null);
    if (m.method === 'window/logMessage') logs.push({ at: performance.now(), message: m.params.message });
  });
  await client.request('initialize', {
    processId: process.pid, rootUri: pathToFileURL(ws).href, capabilities: {},
    workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'bench' }],
    initializationOptions,
  });
  client.notify('initialized', {});
  const stop = async () => {
    await client.request('shutdown', null);
    client.notify('exit', null);
  };
  /** The first log line matching `re`, with when it came: one already logged, or the next. */
  const logged = async (re, ms = 60_000) => {
    const seen = logs.find(l => re.test(l.message));
    if (seen) return seen;
    const m = await client.next(x => x.method === 'window/logMessage' && re.test(x.params.message), ms);
    return { at: performance.now(), message: m.params.message };
  };
  return { proc, client, stop, logged };
}

/** The publishDiagnostics of `uri` for document version `version` (or any, when undefined). */
export function published(client, uri, version, ms = 120_000) {
  return client.next(m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && (version === undefined || m.params.version === version), ms);
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
