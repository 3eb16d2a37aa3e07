#!/usr/bin/env node
import * as v8 from 'v8';
import { loadParser } from '../parse/native';
import { RULES } from '../rules';
import type { Severity } from '../rules/types';
import { collectNixFiles } from '../util/nixFiles';
import { VERSION } from '../version';
import { checkFiles, ORDER } from './checkFiles';
import { checkInWorkers, runCheckWorker, workersFor } from './parallel';
import { fixFile } from './fix';
import { byPath, formatJson, formatText, summary, type FileReport } from './report';
import { formatSarif } from './sarif';
import { MCP_USAGE, McpUsageError, parseMcpArgs } from '../mcp/args';
import { doctor, DOCTOR_USAGE, DoctorUsageError, parseDoctorArgs } from './doctor';

const USAGE = `usage: nix-ai check [paths...] [--format text|json|sarif] [--severity error|warning|information]
                    [--ignore code,code] [--release 25.11] [--fix] [--jobs N]
       nix-ai doctor [--format text|json] [--root DIR] [--workspace DIR]
       nix-ai mcp [FLAKE-DIR] [--allow-switch] [--health-check CMD]...
       nix-ai rules
       nix-ai --version

check   Check .nix files and folders (default: the current folder) with the same
        analysis as the editor, across files: a module sees what the modules of its
        configuration set. Folders are searched recursively, skipping .git,
        node_modules and result links.
        --format     text (default), json (with each fix as text edits) or sarif (2.1.0)
        --severity   report only findings at or above this level
        --release    the NixOS release to assume (default: from flake.lock, else the newest)
        --fix        apply the fixes marked safe, say what changed, then report what is left
        --jobs       worker threads to check on (default: the cores available; a few
                     small files are checked in one thread); the output is the same
        Exit status: 0 nothing at or above the severity (default error), 1 findings,
        2 usage error.
doctor  Check this machine's GPU stack: driver, CUDA, caches, containers (nix-ai doctor --help).
rules   List the diagnostic codes.
mcp     An MCP server for AI agents on one flake (nix-ai mcp --help).
`;

class UsageError extends Error {}

interface CheckArgs {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  severity?: Severity;
  release: string;
  ignore: Set<string>;
  fix: boolean;
  /** Worker threads asked for (undefined: as many as the cores, where the files are worth it). */
  jobs?: number;
}

function parseCheckArgs(args: string[]): CheckArgs {
  const result: CheckArgs = { paths: [], format: 'text', ignore: new Set(), release: 'auto', fix: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq !== -1) return a.slice(eq + 1);
      if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
      return args[++i];
    };
    const is = (name: string) => a === name || a.startsWith(`${name}=`);
    if (is('--format')) {
      const f = value('--format');
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${f}"`);
      result.format = f;
    } else if (is('--severity')) {
      const s = value('--severity');
      if (s !== 'error' && s !== 'warning' && s !== 'information') throw new UsageError(`--severity must be error, warning or information, not "${s}"`);
      result.severity = s;
    } else if (is('--release')) {
      result.release = value('--release');
      if (!/^(auto|unstable|\d\d\.\d\d)$/.test(result.release)) throw new UsageError(`--release must be like 25.11 or unstable, not "${result.release}"`);
    } else if (is('--ignore')) {
      value('--ignore').split(',').filter(Boolean).forEach(c => result.ignore.add(c));
    } else if (is('--jobs') || a === '-j') {
      const j = value('--jobs');
      if (!/^[1-9]\d{0,3}$/.test(j)) throw new UsageError(`--jobs must be a whole number from 1, not "${j}"`);
      result.jobs = Number(j);
    } else if (a === '--fix') {
      result.fix = true;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      result.paths.push(a);
    }
  }
  if (result.paths.length === 0) result.paths.push('.');
  return result;
}

/**
 * V8 lets its heap grow to about twice the live data before collecting it again: checking 15 MB
 * of Nix peaked near 700 MB with about 200 MB live. A checker that runs in CI holds everything it
 * read until the end, so collect sooner (heap at most 20% over the live data): about 500 MB for
 * the same files, for some 10% more time. Only a tuning knob: a Node that ignores it changes nothing.
 */
const HEAP_GROWTH_PERCENT = 20;

async function check(args: CheckArgs): Promise<number> {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWTH_PERCENT}`);
  const parser = await loadParser(__dirname, message => process.stderr.write(`${message}\n`));
  const { files, errors } = collectNixFiles(args.paths);
  const unreadable: FileReport[] = errors.map(e => ({ path: e.path, diagnostics: [], error: e.message }));
  const run = async (into: FileReport[]) => {
    const workers = workersFor(files, args.jobs);
    return workers ? checkInWorkers(__filename, __dirname, files, args, workers, into) : checkFiles(parser, files, args, into);
  };
  let reports = await run(unreadable);
  if (args.fix) {
    let changed = 0;
    for (const r of reports) {
      const { applied, refused } = fixFile(parser, r.path, r.diagnostics);
      if (refused) process.stderr.write(`not fixed ${r.path}: ${refused}\n`);
      if (!applied.length) continue;
      changed++;
      for (const a of applied) process.stderr.write(`fixed ${r.path}:${a.line}: ${a.code}: ${a.title}\n`);
    }
    process.stderr.write(`--fix changed ${changed} file(s)\n`);
    if (changed) reports = await run([]);
  }
  reports = [...unreadable, ...reports].sort(byPath);
  if (args.format === 'json') process.stdout.write(formatJson(reports));
  else if (args.format === 'sarif') process.stdout.write(formatSarif(reports, RULES, process.cwd()));
  else {
    process.stdout.write(formatText(reports));
    process.stderr.write(`${summary(reports)}\n`);
  }
  const threshold = ORDER.indexOf(args.severity ?? 'error');
  return reports.some(r => r.error || r.diagnostics.some(d => ORDER.indexOf(d.severity) >= threshold)) ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version') {
      process.stdout.write(`nix-ai ${VERSION}\n`);
      return 0;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (command === 'rules') {
      for (const r of RULES) process.stdout.write(`${r.code.padEnd(28)} ${r.severity.padEnd(11)} ${r.description}\n`);
      return 0;
    }
    if (command === 'check') return await check(parseCheckArgs(rest));
    if (command === 'doctor') {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(DOCTOR_USAGE);
        return 0;
      }
      return await doctor(parseDoctorArgs(rest), __dirname);
    }
    if (command === 'mcp') {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(MCP_USAGE);
        return 0;
      }
      // arguments are read here, where a usage error is this bundle's own class
      const args = parseMcpArgs(rest);
      // loaded only here: the SDK would add some 70 ms and 30 MB to every check
      const { runMcp } = await import('../mcp/main');
      return await runMcp(args, __dirname);
    }
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`nix-ai: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof DoctorUsageError) {
      process.stderr.write(`nix-ai doctor: ${e.message}\n\n${DOCTOR_USAGE}`);
      return 2;
    }
    if (e instanceof McpUsageError) {
      process.stderr.write(`nix-ai mcp: ${e.message}\n\n${MCP_USAGE}`);
      return 2;
    }
    throw e;
  }
}

if (runCheckWorker()) {
  // a worker thread of `check --jobs`: it ends when its share is done
} else if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => { process.exitCode = code; },
    e => { process.stderr.write(`nix-ai: internal error: ${e instanceof Error ? e.stack : String(e)}\n`); process.exitCode = 3; },
  );
}
