// Helpers: start code-server (real VS Code 1.100 server + web workbench) on 127.0.0.1 with
// throw-away dirs, and launch Debian chromium through playwright-core.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER = process.env.CODE_SERVER ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../node_modules/.bin/code-server');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 200,
  // The DOM renderer keeps the terminal's text in the page, where the UI test can read it.
  'terminal.integrated.gpuAcceleration': 'off',
};

async function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer(); s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

/** Start code-server; returns { url, port, pid, tmp, dirs, log(), stop() }. */
export async function startCodeServer({ vsix = [], env = {}, keep = process.env.KEEP_TMP === '1' } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-e2e-'));
  const dirs = { ud: path.join(tmp, 'ud'), ext: path.join(tmp, 'ext'), xdg: path.join(tmp, 'xdg') };
  // keep code-server's config/logs/heartbeat/deviceid out of $HOME
  fs.mkdirSync(path.join(dirs.ud, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.ud, 'User/settings.json'), JSON.stringify(SETTINGS, null, 2));
  const port = await freePort();
  const config = path.join(tmp, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\ndisable-telemetry: true\ndisable-update-check: true\n`);
  const common = ['--config', config, '--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext];
  const childEnv = { ...process.env, XDG_CONFIG_HOME: dirs.xdg, XDG_DATA_HOME: dirs.xdg, XDG_CACHE_HOME: dirs.xdg, ...env };
  for (const v of vsix) {
    execFileSync(CODE_SERVER, [...common, '--install-extension', path.resolve(v), '--force'], { env: childEnv, stdio: 'pipe' });
  }
  const child = spawn(CODE_SERVER, [...common, '--disable-workspace-trust', '--disable-getting-started-override'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  let out = '';
  child.stdout.on('data', d => { out += d; });
  child.stderr.on('data', d => { out += d; });
  await new Promise((res, rej) => {
    const iv = setInterval(() => { if (out.includes('HTTP server listening')) { clearInterval(iv); res(); } }, 100);
    child.once('exit', c => { clearInterval(iv); rej(new Error(`code-server exited ${c}\n${out}`)); });
    setTimeout(() => { clearInterval(iv); rej(new Error(`code-server did not start\n${out}`)); }, 60_000);
  });
  return {
    url: `http://127.0.0.1:${port}`, port, pid: child.pid, tmp, dirs, log: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM'); // code-server's own pid; it takes its children (ext host, LSP) down with it
        await new Promise(r => { child.once('exit', r); setTimeout(r, 10_000); });
      }
      if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Launch Debian chromium with a fresh profile; returns { context, page, close() }. */
export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 }, args: CHROMIUM_ARGS,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(profile, 'xdg'), XDG_CACHE_HOME: path.join(profile, 'xdg') },
  });
  const page = context.pages()[0] ?? await context.newPage();
  return {
    context, page,
    async close() { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); },
  };
}
