import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_TIMEOUT_MS, exitCode, formatDoctorText, runDoctor } from '../doctor/doctor';
import { loadParser } from '../parse/native';

export const DOCTOR_USAGE = `usage: nix-ai doctor [--format text|json] [--root DIR] [--workspace DIR] [--user NAME] [--timeout SECONDS]
                     [--run-programs]

doctor  Check the GPU stack of the running machine: the loaded NVIDIA module against the
        installed driver, libcuda and nvidia-smi, whether shells and pip wheels can reach
        the driver, CUDA binary caches, the container toolkit's CDI spec, distrobox, AMD
        /dev/kfd and groups, Intel's compute runtime, and on macOS what Metal means.
        It reads files and runs a few programs with a timeout; it never writes, and
        needs no root.
        --format     text (default) or json: { "checks": [ { id, status, message, fix } ] }
        --root       read the machine under DIR (/proc, /sys, /run, /etc, /dev, /nix),
                     e.g. a mounted disk; absolute links resolve inside DIR
        --workspace  the folder of your Nix files (default: the current folder when it
                     has flake.nix, shell.nix, devenv.nix or configuration.nix): its dev
                     shells, and its configuration named after this host
        --user       whose groups to check (default: you)
        --timeout    seconds a program such as nvidia-smi may take (default ${DEFAULT_TIMEOUT_MS / 1000})
        --run-programs  under --root, run the programs found there too (they run on this
                     computer and see its driver, so by default they are not run)
        Exit status: 0 nothing failed, 1 a check failed, 2 usage error.
`;

export class DoctorUsageError extends Error {}

export interface DoctorArgs {
  format: 'text' | 'json';
  root: string;
  workspace?: string;
  user?: string;
  timeoutMs: number;
  runPrograms?: boolean;
}

const WORKSPACE_FILES = ['flake.nix', 'shell.nix', 'devenv.nix', 'configuration.nix'];

export function parseDoctorArgs(args: string[], cwd = process.cwd()): DoctorArgs {
  const result: DoctorArgs = { format: 'text', root: '/', timeoutMs: DEFAULT_TIMEOUT_MS };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    const name = eq === -1 ? a : a.slice(0, eq);
    const value = () => {
      if (eq !== -1) return a.slice(eq + 1);
      if (i + 1 >= args.length) throw new DoctorUsageError(`${name} needs a value`);
      return args[++i];
    };
    if (name === '--format') {
      const f = value();
      if (f !== 'text' && f !== 'json') throw new DoctorUsageError(`--format must be text or json, not "${f}"`);
      result.format = f;
    } else if (name === '--root') {
      result.root = path.resolve(cwd, value());
      if (!fs.statSync(result.root, { throwIfNoEntry: false })?.isDirectory()) throw new DoctorUsageError(`--root ${result.root} is not a folder`);
    } else if (name === '--workspace') {
      result.workspace = path.resolve(cwd, value());
      if (!fs.statSync(result.workspace, { throwIfNoEntry: false })?.isDirectory()) throw new DoctorUsageError(`--workspace ${result.workspace} is not a folder`);
    } else if (a === '--run-programs') {
      result.runPrograms = true;
    } else if (name === '--user') {
      result.user = value();
    } else if (name === '--timeout') {
      const s = value();
      if (!/^\d+(\.\d+)?$/.test(s) || Number(s) <= 0) throw new DoctorUsageError(`--timeout must be a number of seconds, not "${s}"`);
      result.timeoutMs = Number(s) * 1000;
    } else {
      throw new DoctorUsageError(`unknown option ${a}`);
    }
  }
  if (!result.workspace && WORKSPACE_FILES.some(f => fs.existsSync(path.join(cwd, f)))) result.workspace = cwd;
  return result;
}

export async function doctor(args: DoctorArgs, bundleDir: string): Promise<number> {
  const parser = args.workspace ? await loadParser(bundleDir, message => process.stderr.write(`${message}\n`)) : undefined;
  const report = await runDoctor({ root: args.root, workspace: args.workspace, user: args.user, timeoutMs: args.timeoutMs, parser, runPrograms: args.runPrograms });
  process.stdout.write(args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorText(report));
  return exitCode(report);
}
