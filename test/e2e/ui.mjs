// UI test: install the packaged .vsix into a fresh code-server, open a Nix file with a syntax
// error in Debian's chromium, and see our squiggle, the Problems entry and the outline.
// Saves docs/screenshot.png (the README's picture). Prints "N passed, N failed"; exit 1 on failure.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer } from './cs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const VSIX = path.resolve(root, process.env.VSIX ?? 'nix-ai.vsix');
const SHOT = path.resolve(root, process.env.SHOT ?? 'docs/screenshot.png');
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
let passed = 0;
let failed = 0;
async function step(name, fn) {
  try { await fn(); passed++; log(`PASS ${name}`); } catch (e) { failed++; log(`FAIL ${name}: ${String(e.message).split('\n')[0]}`); }
}

if (!fs.existsSync(VSIX)) {
  console.error(`ui: ${VSIX} is missing; run npm run package first`);
  process.exit(1);
}
// a fresh copy of the workspace, so the test never edits the checkout
const ws = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'nix-ai-ws-'));
for (const f of fs.readdirSync(path.join(here, 'ws'))) fs.copyFileSync(path.join(here, 'ws', f), path.join(ws, f));
fs.copyFileSync(path.join(root, 'examples/gpu-workstation/flake.nix'), path.join(ws, 'flake.nix'));

const cs = await startCodeServer({ vsix: [VSIX] });
log(`code-server pid ${cs.pid} at ${cs.url}`);
const { page, close } = await launchBrowser();
page.setDefaultTimeout(30_000);
try {
  await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}`);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.nix' }).waitFor({ timeout: 60_000 });
  log('workbench ready');

  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type('broken.nix');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'broken.nix' }).first().waitFor();
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line', { hasText: 'hardware.graphics.enable' }).waitFor();
  log('broken.nix open');

  await step('the language mode is Nix', async () => {
    await page.locator('.statusbar-item', { hasText: /^Nix$/ }).first().waitFor({ timeout: 15_000 });
  });

  await step('our syntax error is underlined in the editor', async () => {
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
  });

  await step('the Problems panel lists it with our code', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: "expected ';' after this binding" });
    await row.first().waitFor();
    const text = await row.first().innerText();
    if (!/syntax-error/.test(text)) throw new Error(`no code in the Problems row: ${text}`);
  });

  await step('hovering the squiggle shows the message', async () => {
    const squiggle = editor.locator('.squiggly-error').first();
    const box = await squiggle.boundingBox();
    await page.mouse.move(0, 0);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.locator('.monaco-hover', { hasText: "expected ';' after this binding" }).first().waitFor({ timeout: 15_000 });
  });

  fs.mkdirSync(path.dirname(SHOT), { recursive: true });
  await page.screenshot({ path: SHOT });
  log(`screenshot ${path.relative(root, SHOT)}`);
} catch (e) {
  failed++;
  log('FATAL', e.message);
  await page.screenshot({ path: SHOT.replace(/\.png$/, '-fail.png') }).catch(() => {});
  console.error(cs.log().split('\n').slice(-30).join('\n'));
} finally {
  await close();
  await cs.stop();
  fs.rmSync(ws, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
