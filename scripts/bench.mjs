#!/usr/bin/env node
// `npm run bench`: figures, not a test. Builds, then runs each section (scripts/bench/) and ends
// with every target, its figure and whether it is met.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { root } from './bench/common.mjs';

for (const [cmd, args] of [['npm', ['run', '--silent', 'build']], [path.join(root, 'node_modules/.bin/tsc'), ['-b']]]) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const { optionsSection } = await import('./bench/options.mjs');
const { inProcessSection } = await import('./bench/inProcess.mjs');
const { editingSection } = await import('./bench/editing.mjs');
const { randomEditsSection } = await import('./bench/randomEdits.mjs');
const { cliSection } = await import('./bench/cli.mjs');
const { robustnessSection } = await import('./bench/robustness.mjs');
const { packagesSection } = await import('./bench/packages.mjs');
const { workspaceSection } = await import('./bench/workspace.mjs');

const only = process.argv.slice(2);
const sections = [['options', optionsSection], ['in-process', inProcessSection], ['editing', editingSection], ['random-edits', randomEditsSection], ['cli', cliSection], ['robustness', robustnessSection], ['packages', packagesSection], ['workspace', workspaceSection]];
console.log(`nix-ai benchmark on ${os.cpus().length} cores, Node ${process.versions.node}`);
const targets = [];
for (const [name, run] of sections) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  const r = await run();
  for (const line of r.lines) console.log(line);
  targets.push(...r.targets);
}
console.log('\n== targets');
const width = Math.max(...targets.map(t => t.name.length));
for (const t of targets) console.log(`${t.name.padEnd(width)}  ${t.figure.padStart(12)}  goal ${t.goal.padEnd(22)} ${t.met ? 'met' : 'MISSED'}${t.note ? ` (${t.note})` : ''}`);
console.log(`${targets.filter(t => t.met).length} of ${targets.length} targets met`);
