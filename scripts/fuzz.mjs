#!/usr/bin/env node
// `npm run fuzz -- [--seed N] [--edits N] [--minutes M] [--large]`: seeded random edits and
// requests over our fixtures and generated large files, then the hostile documents (see
// test/fuzz/fuzz.ts). Prints its figures and "N passed, N failed"; a failure prints the command
// that replays it. Needs the compiled tests (`npx tsc -b`) and the grammar (`npm run build`).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { fuzz } = require(path.join(root, 'out/test/fuzz/fuzz.js'));
const { parser } = require(path.join(root, 'out/test/helpers.js'));

const args = process.argv.slice(2);
const value = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const options = {
  seed: value('--seed', Date.now() % 1_000_000),
  edits: value('--edits', args.includes('--minutes') ? Infinity : 2000),
  minutes: value('--minutes', undefined),
  large: args.includes('--large'),
  progress: line => console.log(`  ${line}`),
};
console.log(`fuzz: seed ${options.seed}, ${options.edits === Infinity ? 'no edit limit' : `${options.edits} edits`}${options.minutes ? `, ${options.minutes} min` : ''}${options.large ? ', large hostile files' : ''}`);
const started = performance.now();
const report = await fuzz(await parser(), options);
console.log(`${report.edits} edits and ${report.requests} requests in ${((performance.now() - started) / 1000).toFixed(0)} s; ${report.replacedTrees} re-parsed trees differed from a parse from scratch and were replaced`);
for (const [kind, { ms, where }] of [...report.slowest].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`  slowest ${kind.padEnd(12)} ${ms.toFixed(0).padStart(6)} ms  (${where})`);
}
for (const f of report.failures) console.log(`FAILED ${f}`);
if (report.failures.length) {
  const replay = ['--seed', options.seed, ...(options.edits === Infinity ? [] : ['--edits', options.edits]), ...(options.large ? ['--large'] : [])];
  console.log(`replay: npm run fuzz -- ${replay.join(' ')}`);
}
console.log(`${report.edits} passed, ${report.failures.length} failed`);
process.exit(report.failures.length ? 1 : 0);
