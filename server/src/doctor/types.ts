import type { Machine, ProgramResult } from './machine';
import type { DriverLibs, Generation, Gpu, LoadedNvidia, OsInfo, SystemModule } from './facts';
import type { HostConfig } from './hostConfig';

export type Status = 'ok' | 'warn' | 'fail' | 'skip';

/** What acting on a check's fix means in an editor. */
export type FixAction =
  | { kind: 'reboot' }
  | { kind: 'rebuild' }
  /** Set this option in the host's configuration (where the workspace defines it, if it does). */
  | { kind: 'option'; option: string; file?: string; line?: number }
  /** Open a file of the workspace at a line. */
  | { kind: 'open'; file: string; line: number };

/** One finding. `fix` is empty when there is nothing to do. */
export interface Check {
  id: string;
  status: Status;
  message: string;
  fix: string;
  action?: FixAction;
}

export interface Report {
  checks: Check[];
}

/** What every check may read: the machine, the shell it runs from, and facts read once. */
export interface Exam {
  machine: Machine;
  env: NodeJS.ProcessEnv;
  user: string;
  os: OsInfo;
  gpus: Gpu[];
  /** An NVIDIA GPU on the bus, or the NVIDIA module loaded (a GPU passed through, a container). */
  nvidia: boolean;
  loaded?: LoadedNvidia;
  /** The driver libraries programs load: /run/opengl-driver on NixOS, the system's elsewhere. */
  libs: DriverLibs;
  libDirs: readonly string[];
  /** NixOS: the NVIDIA kernel module of the current and of the booted system. */
  currentModule?: SystemModule;
  bootedModule?: SystemModule;
  generations: Generation[];
  /** The NVIDIA kernel module a system (a generation's link, /run/booted-system) carries. */
  moduleOf(system: string): SystemModule | undefined;
  /** The workspace's configuration for this host, when it has one. */
  host?: HostConfig;
  /** The workspace folder, when there is one. */
  workspace?: string;
  /** Run a program of the machine with the doctor's timeout. */
  run(name: string, args: string[]): Promise<ProgramResult>;
  timeoutMs: number;
}

export type CheckFn = (exam: Exam) => Check | Check[] | Promise<Check | Check[]>;

/** Acting on an option: where the workspace's host configuration sets it, when it does. */
export function option(exam: Exam, name: string): FixAction {
  return { kind: 'option', option: name, ...(exam.host?.where(name) ?? {}) };
}

export const ok = (id: string, message: string): Check => ({ id, status: 'ok', message, fix: '' });
export const skip = (id: string, message: string): Check => ({ id, status: 'skip', message, fix: '' });
