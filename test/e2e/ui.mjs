// UI test: install the packaged .vsix into a fresh code-server, open a Nix file with a syntax
// error in Debian's chromium, and see our squiggle, the Problems entry and the outline; then the
// GPU and impurity diagnostics of quickfix.nix: squiggle, hover message and quick fix.
// Saves docs/screenshot.png (the README's picture). Prints "N passed, N failed"; exit 1 on failure.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer } from './cs.mjs';
import { makeWorkspace } from './workspace.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const VSIX = path.resolve(root, process.env.VSIX ?? 'nix-ai.vsix');
const SHOT = path.resolve(root, process.env.SHOT ?? 'docs/screenshot.png');
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
let passed = 0;
let failed = 0;
let page;
async function step(name, fn) {
  try { await fn(); passed++; log(`PASS ${name}`); } catch (e) {
    failed++;
    log(`FAIL ${name}: ${String(e.message).split('\n')[0]}`);
    await page?.screenshot({ path: SHOT.replace(/\.png$/, `-fail-${failed}.png`) }).catch(() => {});
  }
}

if (!fs.existsSync(VSIX)) {
  console.error(`ui: ${VSIX} is missing; run npm run package first`);
  process.exit(1);
}
const ws = makeWorkspace('nix-ai-ws-');

// Stand-ins for nixos-rebuild & co. on the extension host's PATH (they fail with a Nix error in
// cmds/flake.nix line 12), and offline settings for the real nix.
const require = createRequire(import.meta.url);
const { standIns } = require(path.join(root, 'out/test/standIns.js'));
const { offlineFlakeConfig } = require(path.join(root, 'out/test/fixtureWorkspace.js'));
const { bin, record } = standIns();
// The GPU doctor reads a fake NixOS box after a driver update (test/doctorMachines.ts), named
// like the example's configuration, so its report compares the two.
const { afterDriverUpdate } = require(path.join(root, 'out/test/doctorMachines.js'));
const gpuBox = afterDriverUpdate();
const settingsFile = path.join(ws, '.vscode', 'settings.json');
fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(settingsFile, 'utf8')), 'nixAi.doctor.root': gpuBox.root, 'nixAi.doctor.runAtStart': true }, null, 2));
const env = {
  PATH: `${bin}:${process.env.PATH}`,
  NIX_CONFIG: offlineFlakeConfig(),
  NIX_AI_FAIL_IN: 'flake.nix',
  NIX_AI_FAIL_LINE: '12',
  NIX_AI_RECORD: record,
};
// code-server gives its extension host the environment of a login shell, which resets PATH:
// a home of our own whose .profile puts the stand-ins first again.
env.HOME = fs.mkdtempSync(path.join(ws, '..', 'nix-ai-ui-home-'));
const quote = v => `'${v.replace(/'/g, `'\\''`)}'`;
fs.writeFileSync(path.join(env.HOME, '.profile'), Object.entries(env).filter(([k]) => k !== 'HOME').map(([k, v]) => `export ${k}=${quote(v)}`).join('\n') + '\n');

const cs = await startCodeServer({ vsix: [VSIX], env });
log(`code-server pid ${cs.pid} at ${cs.url}`);
const browser = await launchBrowser();
page = browser.page;
const { close } = browser;
page.setDefaultTimeout(30_000);

/** Open a workspace file with Quick Open; resolves with its editor once `line` shows in it. */
async function openFile(name, line) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor();
  await page.keyboard.type(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-line', { hasText: line }).waitFor();
  return editor;
}

try {
  await page.goto(`${cs.url}/?folder=${encodeURIComponent(ws)}`);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'broken.nix' }).waitFor({ timeout: 60_000 });
  log('workbench ready');

  const editor = await openFile('broken.nix', 'hardware.graphics.enable');
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
  await page.keyboard.press('Control+Shift+M');

  const config = await openFile('configuration.nix', 'hardware.nvidia-container-toolkit');

  await step('typing "hardware.nvidia." opens the suggestions with its options and their docs', async () => {
    await page.keyboard.press('Control+G');
    await page.keyboard.type('20');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('hardware.nvidia.', { delay: 30 });
    const widget = page.locator('.suggest-widget');
    // The list is virtual: only the rows in view exist in the page.
    await widget.locator('.monaco-list-row', { hasText: 'modesetting' }).first().waitFor({ timeout: 30_000 });
    await widget.locator('.monaco-list-row', { hasText: 'powerManagement' }).first().waitFor();
    await page.keyboard.type('ope');
    await widget.locator('.monaco-list-row.focused', { hasText: 'open' }).first().waitFor();
    // Ctrl+Space shows the selected item's documentation beside the list.
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-details', { hasText: 'open kernel modules' }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(path.dirname(SHOT), 'completion.png') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Z');
  });

  await step('hovering an option shows its type, default and release notes', async () => {
    const word = config.locator('.view-line', { hasText: 'open = true' }).first().locator('span', { hasText: /^open$/ }).first();
    const box = await word.boundingBox();
    await page.mouse.move(0, 0);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    const hover = page.locator('.monaco-hover', { hasText: 'hardware.nvidia.open' }).first();
    await hover.waitFor({ timeout: 15_000 });
    const text = await hover.innerText();
    if (!/null or boolean/.test(text) || !/24\.11/.test(text)) throw new Error(`hover says: ${text}`);
    await page.screenshot({ path: path.join(path.dirname(SHOT), 'hover.png') });
  });

  const fixes = await openFile('quickfix.nix', 'hardware.opengl.enable');
  /** [word to hover, squiggle class, part of the message, quick fix title, the line after the fix] */
  const QUICK_FIXES = [
    ['opengl', 'squiggly-warning', 'hardware.opengl.enable was renamed', 'Rename to hardware.graphics.enable', 'hardware.graphics.enable = true;'],
    ['videoDrivers', 'squiggly-error', 'hardware.nvidia.open is not set', 'Set hardware.nvidia.open = true', 'hardware.nvidia.open = true;'],
    ['fetchurl', 'squiggly-error', 'fetchurl without a hash cannot build', 'Add hash = pkgs.lib.fakeHash;', 'hash = pkgs.lib.fakeHash;'],
  ];
  for (const [word, squiggleClass, message, title, after] of QUICK_FIXES) {
    const code = { opengl: 'deprecated-option', videoDrivers: 'nvidia-open-unset', fetchurl: 'unpinned-fetch' }[word];
    await step(`${code}: squiggle, hover message with the code, and the quick fix from the lightbulb menu`, async () => {
      const token = fixes.locator('.view-line span > span', { hasText: new RegExp(`^${word}$`) }).first();
      let box = null;
      for (let i = 0; i < 50 && !box; i++) {
        await token.waitFor();
        box = await token.boundingBox(); // null while the editor re-renders the line
      }
      if (!box) throw new Error(`${word} is not on screen`);
      // the squiggle: a decoration of our severity on the token's line
      await fixes.locator(`.${squiggleClass}`).first().waitFor({ timeout: 60_000 });
      const onLine = await fixes.locator(`.${squiggleClass}`).evaluateAll((els, y) => els.some(e => {
        const r = e.getBoundingClientRect();
        return r.top <= y && y <= r.bottom;
      }), box.y + box.height / 2);
      if (!onLine) throw new Error(`no ${squiggleClass} on the line of ${word}`);
      await page.mouse.move(0, 0);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      const hover = page.locator('.monaco-hover', { hasText: message }).first();
      await hover.waitFor({ timeout: 15_000 });
      const text = await hover.innerText();
      if (!text.includes(code)) throw new Error(`the hover does not name ${code}: ${text}`);
      if (word === 'videoDrivers') await page.screenshot({ path: path.join(path.dirname(SHOT), 'diagnostic.png') });
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');
      const rows = page.locator('.action-widget .monaco-list-row');
      // Right after the previous fix the editor may still hold the diagnostics of the version
      // before it and answer "No code actions available"; ask again, at most three times.
      for (let attempt = 1; ; attempt++) {
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        await page.keyboard.press('Control+.');
        try {
          await rows.filter({ hasText: title }).first().waitFor({ timeout: 5_000 });
          break;
        } catch (e) {
          if (attempt === 3) throw e;
          await page.keyboard.press('Escape');
        }
      }
      // The menu takes the keyboard: walk down to the fix and take it.
      const focused = rows.filter({ hasText: title }).and(page.locator('.action-widget .monaco-list-row.focused'));
      for (let i = 0; i < 10 && !(await focused.count()); i++) await page.keyboard.press('ArrowDown');
      if (!(await focused.count())) throw new Error(`cannot focus "${title}" in the quick fix menu`);
      await page.keyboard.press('Enter');
      await fixes.locator('.view-line', { hasText: after }).first().waitFor({ timeout: 15_000 });
    });
  }

  /** Right-click cmds/flake.nix in the explorer and run one of our context menu entries. */
  async function fromExplorer(entry) {
    const folder = page.locator('.explorer-folders-view .monaco-list-row', { hasText: /^cmds$/ }).first();
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
    const file = page.locator('.explorer-folders-view .monaco-list-row[aria-level="2"]', { hasText: 'flake.nix' }).first();
    await file.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: entry }).first();
    await item.hover();
    await page.keyboard.press('Enter');
    await item.waitFor({ state: 'hidden' });
  }

  /** Choose an item of the open quick pick by its label. */
  async function choose(label) {
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.click();
  }

  await step('"Enter Dev Shell" opens a terminal inside the flake\'s dev shell', async () => {
    await fromExplorer('Enter Dev Shell');
    await choose('default');
    const prompt = page.locator('.xterm-rows', { hasText: /[#$]\s*$/ }).last();
    await prompt.waitFor({ timeout: 60_000 });
    await page.locator('.xterm-screen').last().click({ force: true });
    await page.keyboard.type('echo "greeting is $GREETING"', { delay: 20 });
    await page.keyboard.press('Enter');
    await page.locator('.xterm-rows', { hasText: 'greeting is from-devshell' }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(path.dirname(SHOT), 'devshell.png') });
  });

  await step('"Rebuild" runs the (stand-in) nixos-rebuild as a task, with its output and a Problems entry', async () => {
    await fromExplorer('Rebuild');
    await choose('gpu-box');
    await choose('build');
    await choose('This machine');
    await page.locator('.xterm-rows', { hasText: 'building the system configuration' }).first().waitFor({ timeout: 60_000 });
    await page.locator('.xterm-rows', { hasText: 'failed (exit 1)' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: "undefined variable 'nvidiaPackage'" }).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(path.dirname(SHOT), 'rebuild.png') });
  });

  await step('with nixAi.doctor.runAtStart the status bar says the GPU checks fail, before any command', async () => {
    await page.locator('.statusbar-item', { hasText: 'GPU: 1 failing' }).first().waitFor({ timeout: 60_000 });
  });

  await step('"Diagnose GPU" shows the GPU Doctor view: the failing driver check first, with its fix', async () => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type('Nix: Diagnose GPU');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Diagnose GPU' }).first().waitFor();
    await page.keyboard.press('Enter');
    const view = page.locator('.part.panel');
    await view.locator('.composite-bar', { hasText: 'GPU Doctor' }).first().waitFor({ timeout: 60_000 });
    await view.locator('.monaco-list-row', { hasText: 'nvidia-module' }).first().waitFor({ timeout: 60_000 });
    await view.locator('.monaco-list-row', { hasText: 'Reboot to load the 560.35.03 module' }).first().waitFor();
    await page.screenshot({ path: path.join(path.dirname(SHOT), 'doctor.png') });
  });
} catch (e) {
  failed++;
  log('FATAL', e.message);
  await page.screenshot({ path: SHOT.replace(/\.png$/, '-fail.png') }).catch(() => {});
  console.error(cs.log().split('\n').slice(-30).join('\n'));
} finally {
  await close();
  await cs.stop();
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(bin, { recursive: true, force: true });
  fs.rmSync(env.HOME, { recursive: true, force: true });
  gpuBox.remove();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
