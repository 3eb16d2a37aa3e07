#!/usr/bin/env node
import * as fs from 'fs';
import { diagnose } from '../features/diagnostics';
import { createDocument } from '../parse/documents';
import { loadNixParser } from '../parse/language';
import { RULES } from '../rules';
import { VERSION } from '../version';
import { bundledWasm } from '../wasmPaths';
import { collectNixFiles } from './files';
import { formatJson, formatText, summary, type FileReport } from './report';

const USAGE = `usage: nix-ai check [paths...] [--format text|json] [--ignore code,code]
       nix-ai rules
       nix-ai --version

check   Check .nix files and folders (default: the current folder) with the same
        analysis as the editor. Folders are searched recursively, skipping .git,
        node_modules and result links.
        Exit status: 0 no errors, 1 at least one error, 2 usage error.
rules   List the diagnostic codes.
`;

class UsageError extends Error {}

interface CheckArgs {
  paths: string[];
  format: 'text' | 'json';
  ignore: Set<string>;
}

function parseCheckArgs(args: string[]): CheckArgs {
  const result: CheckArgs = { paths: [], format: 'text', ignore: new Set() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string) => {
      const eq = a.indexOf('=');
      if (eq !== -1) return a.slice(eq + 1);
      if (i + 1 >= args.length) throw new UsageError(`${name} needs a value`);
      return args[++i];
    };
    if (a === '--format' || a.startsWith('--format=')) {
      const f = value('--format');
      if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not "${f}"`);
      result.format = f;
    } else if (a === '--ignore' || a.startsWith('--ignore=')) {
      value('--ignore').split(',').filter(Boolean).forEach(c => result.ignore.add(c));
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      result.paths.push(a);
    }
  }
  if (result.paths.length === 0) result.paths.push('.');
  return result;
}

async function check(args: CheckArgs): Promise<number> {
  const parser = await loadNixParser(bundledWasm(__dirname));
  const { files, errors } = collectNixFiles(args.paths);
  const reports: FileReport[] = errors.map(e => ({ path: e.path, diagnostics: [], error: e.message }));
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      reports.push({ path: file, diagnostics: [], error: (e as Error).message });
      continue;
    }
    const doc = createDocument(parser, file, 0, text);
    reports.push({ path: file, diagnostics: diagnose(doc, { ignore: args.ignore }) });
    doc.tree.delete();
  }
  reports.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (args.format === 'json') {
    process.stdout.write(formatJson(reports));
  } else {
    process.stdout.write(formatText(reports));
    process.stderr.write(`${summary(reports)}\n`);
  }
  return reports.some(r => r.error || r.diagnostics.some(d => d.severity === 'error')) ? 1 : 0;
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
      for (const r of RULES) process.stdout.write(`${r.code.padEnd(18)} ${r.severity.padEnd(11)} ${r.description}\n`);
      return 0;
    }
    if (command === 'check') return await check(parseCheckArgs(rest));
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`nix-ai: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    code => { process.exitCode = code; },
    e => { process.stderr.write(`nix-ai: internal error: ${e instanceof Error ? e.stack : String(e)}\n`); process.exitCode = 3; },
  );
}
