import * as os from 'os';
import type { NixParser } from '../parse/language';
import { amdGfxCheck, amdGroupsCheck, amdKfdCheck } from './checks/amd';
import { cudaCacheCheck } from './checks/caches';
import { containerCdiCheck, distroboxCheck } from './checks/containers';
import { hostConfigCheck } from './checks/host';
import { intelComputeCheck, intelRenderCheck } from './checks/intel';
import { macosCheck } from './checks/macos';
import { libcudaCheck, nvidiaModuleCheck, nvidiaOpenCheck, nvidiaSmiCheck } from './checks/nvidia';
import { floxCheck, gpuCheck, nixCheck, osCheck } from './checks/system';
import { hostDriverCheck, shellLibcudaCheck, workspaceShellCheck } from './checks/visibility';
import { driverLibs, generations, gpus, HOST_LIB_DIRS, loadedNvidia, osInfo, systemModule, type SystemModule } from './facts';
import { hostConfig } from './hostConfig';
import { Machine, runProgram } from './machine';
import type { Check, CheckFn, Exam, Report, Status } from './types';

/** Every check, in the order the report lists them. */
export const CHECKS: ReadonlyArray<readonly [string, CheckFn]> = [
  ['os', osCheck], ['nix', nixCheck], ['flox', floxCheck], ['gpu', gpuCheck],
  ['nvidia-module', nvidiaModuleCheck], ['nvidia-open', nvidiaOpenCheck], ['libcuda', libcudaCheck], ['nvidia-smi', nvidiaSmiCheck],
  ['shell-libcuda', shellLibcudaCheck], ['workspace-shell', workspaceShellCheck], ['host-driver', hostDriverCheck],
  ['cuda-cache', cudaCacheCheck], ['container-cdi', containerCdiCheck], ['distrobox-gpu', distroboxCheck],
  ['amd-kfd', amdKfdCheck], ['amd-groups', amdGroupsCheck], ['amd-gfx', amdGfxCheck],
  ['intel-render', intelRenderCheck], ['intel-compute', intelComputeCheck],
  ['macos-metal', macosCheck], ['host-config', hostConfigCheck],
];

export interface DoctorOptions {
  /** The machine's root: `/`, or a folder its disk is mounted on. */
  root?: string;
  /** The shell's environment (LD_LIBRARY_PATH, HSA_OVERRIDE_GFX_VERSION, PATH). */
  env?: NodeJS.ProcessEnv;
  /** Whose groups are checked (default: who runs the doctor). */
  user?: string;
  /** How long a program (nvidia-smi, nix --version) may take. */
  timeoutMs?: number;
  /** The workspace folder: its dev shells, and its configuration of this host. */
  workspace?: string;
  /** To read the workspace's configuration of this host; without it that check is skipped. */
  parser?: NixParser;
  platform?: NodeJS.Platform;
  /**
   * Run the machine's programs (nvidia-smi, nix --version). Default: only on the running machine;
   * a mounted disk's nvidia-smi would talk to this computer's driver, not the disk's.
   */
  runPrograms?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

function currentUser(env: NodeJS.ProcessEnv): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? 'root';
  }
}

/** Read the machine and run every check. It writes nothing and needs no root. */
export async function runDoctor(opts: DoctorOptions = {}): Promise<Report> {
  const machine = new Machine(opts.root ?? '/');
  const env = opts.env ?? process.env;
  const info = osInfo(machine, opts.platform ?? process.platform);
  const found = gpus(machine);
  const loaded = loadedNvidia(machine);
  const libDirs = info.kind === 'nixos' ? ['/run/opengl-driver/lib'] : HOST_LIB_DIRS;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const modules = new Map<string, SystemModule | undefined>();
  const moduleOf = (system: string) => {
    if (!modules.has(system)) modules.set(system, systemModule(machine, system));
    return modules.get(system);
  };
  const hostname = machine.hostname();
  const exam: Exam = {
    machine, env, user: opts.user ?? currentUser(env), os: info, gpus: found, loaded,
    nvidia: found.some(g => g.vendor === 'nvidia') || !!loaded,
    libs: driverLibs(machine, libDirs), libDirs,
    currentModule: info.kind === 'nixos' ? moduleOf('/run/current-system') : undefined,
    bootedModule: info.kind === 'nixos' ? moduleOf('/run/booted-system') : undefined,
    generations: generations(machine), moduleOf,
    host: opts.workspace && opts.parser && hostname ? hostConfig(opts.parser, opts.workspace, hostname) : undefined,
    workspace: opts.workspace,
    run: (name, args) => runProgram(machine, name, args, env, timeoutMs, opts.runPrograms ?? machine.isHost),
    timeoutMs,
  };
  const checks: Check[] = [];
  for (const [id, fn] of CHECKS) {
    try {
      const got = await fn(exam);
      checks.push(...(Array.isArray(got) ? got : [got]));
    } catch (e) {
      // one check that trips over an odd machine must not hide the others
      checks.push({ id, status: 'warn', message: `this check failed inside nix-ai: ${e instanceof Error ? e.message : String(e)}`, fix: 'Report it, with the output of nix-ai doctor --format json.' });
    }
  }
  return { checks };
}

/** Exit status: 1 when a check fails. */
export function exitCode(report: Report): number {
  return report.checks.some(c => c.status === 'fail') ? 1 : 0;
}

/** Skipped checks the text report still shows: that there is no GPU at all is news. */
const ALWAYS_SHOWN = new Set(['gpu']);

const MARK: Record<Status, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** The report for a terminal: one line per check, its fix below it; skipped checks on one line at the end. */
export function formatDoctorText(report: Report): string {
  const lines: string[] = [];
  for (const c of report.checks) {
    if (c.status === 'skip' && !ALWAYS_SHOWN.has(c.id)) continue;
    lines.push(`${MARK[c.status]}  ${c.id.padEnd(16)} ${c.message}`);
    if (c.fix && c.status !== 'ok') lines.push(`      ${''.padEnd(16)} fix: ${c.fix}`);
  }
  const skipped = report.checks.filter(c => c.status === 'skip' && !ALWAYS_SHOWN.has(c.id));
  if (skipped.length) lines.push(`skipped: ${skipped.map(c => c.id).join(', ')} (--format json says why)`);
  const count = (s: Status) => report.checks.filter(c => c.status === s).length;
  lines.push(`${count('fail')} failed, ${count('warn')} warning(s), ${count('ok')} ok`);
  return lines.join('\n') + '\n';
}
