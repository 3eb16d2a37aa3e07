import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_SETTINGS } from '../config';

/** How `nix-ai mcp` was started: everything the agent may not change. */
export interface McpArgs {
  root: string;
  allowSwitch: boolean;
  /** Each check is an argv, run after a switch; the first that fails rolls the switch back. */
  healthChecks: string[][];
  logFile: string;
  nix: string;
  timeoutMs: number;
  memoryLimitMb: number;
  /** The system a build is compared with (`nix store diff-closures`), when it exists. */
  currentSystem: string;
  /** The system profile whose generation tells whether a switch changed anything. */
  systemProfile: string;
  cacheDir: string;
}

export const MCP_USAGE = `usage: nix-ai mcp [FLAKE-DIR] [--allow-switch] [--health-check CMD]... [--log FILE]
                  [--nix PATH] [--timeout SECONDS] [--current-system PATH] [--system-profile PATH]

mcp     A Model Context Protocol server on standard input and output, for AI agents:
        check, fix, explain and search options, list outputs, build, update inputs, and
        (only with --allow-switch) switch with health checks and rollback.
        FLAKE-DIR       the flake it serves (default: the current folder); nothing
                        outside it is read or evaluated
        --allow-switch  let the agent switch a configuration (off by default)
        --health-check  a command run after each switch, as words split on spaces or
                        a JSON array (repeatable); one that fails rolls the switch back
        --log FILE      where switches and rollbacks are recorded
                        (default: ~/.local/state/nix-ai/mcp-switch.log)
        --nix PATH      the nix executable (default: nix on PATH)
        --timeout S     the limit for each nix run (default: ${DEFAULT_SETTINGS.options.timeoutMs / 1000} s)
        --current-system PATH   what build compares with (default: /run/current-system)
        --system-profile PATH   the profile whose generation tells whether a switch
                                changed anything (default: /nix/var/nix/profiles/system)
`;

export class McpUsageError extends Error {}

/** A health check as given: a JSON array of words, or words split on spaces (no shell, no quoting). */
export function parseCommand(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const argv = JSON.parse(trimmed) as unknown;
    if (!Array.isArray(argv) || !argv.length || !argv.every(a => typeof a === 'string')) throw new McpUsageError(`--health-check: ${text} is not a JSON array of strings`);
    return argv as string[];
  }
  const words = trimmed.split(/\s+/).filter(Boolean);
  if (!words.length) throw new McpUsageError('--health-check needs a command');
  return words;
}

export function parseMcpArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): McpArgs {
  const state = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  const args: McpArgs = {
    root: process.cwd(),
    allowSwitch: false,
    healthChecks: [],
    logFile: path.join(state, 'nix-ai', 'mcp-switch.log'),
    nix: DEFAULT_SETTINGS.nixPath,
    timeoutMs: DEFAULT_SETTINGS.options.timeoutMs,
    memoryLimitMb: DEFAULT_SETTINGS.options.memoryLimitMb,
    currentSystem: '/run/current-system',
    systemProfile: '/nix/var/nix/profiles/system',
    cacheDir: path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'nix-ai'),
  };
  let rootGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq !== -1) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new McpUsageError(`${a} needs a value`);
      return argv[++i];
    };
    const is = (name: string) => a === name || a.startsWith(`${name}=`);
    if (a === '--allow-switch') args.allowSwitch = true;
    else if (is('--health-check')) args.healthChecks.push(parseCommand(value()));
    else if (is('--log')) args.logFile = path.resolve(value());
    else if (is('--nix')) args.nix = value();
    else if (is('--timeout')) {
      const s = Number(value());
      if (!(s > 0)) throw new McpUsageError('--timeout must be a number of seconds above 0');
      args.timeoutMs = s * 1000;
    } else if (is('--current-system')) args.currentSystem = path.resolve(value());
    else if (is('--system-profile')) args.systemProfile = path.resolve(value());
    else if (a.startsWith('-')) throw new McpUsageError(`unknown option ${a}`);
    else if (rootGiven) throw new McpUsageError(`one flake folder only, not also ${a}`);
    else {
      args.root = path.resolve(a);
      rootGiven = true;
    }
  }
  if (!fs.existsSync(args.root) || !fs.statSync(args.root).isDirectory()) throw new McpUsageError(`${args.root} is not a folder`);
  return args;
}
