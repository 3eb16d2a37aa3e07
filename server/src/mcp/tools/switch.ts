import * as fs from 'fs';
import { z } from 'zod/v4';
import { homeRollbackArgv, rebuildArgv, rollbackArgv, SUDO } from '../../nix/rebuildCommand';
import type { RunResult } from '../../util/run';
import { findConfiguration, type Configuration } from '../configurations';
import type { ToolContext } from '../context';
import { appendSwitchLog } from '../switchLog';
import { buildConfiguration, buildFailure } from './build';
import type { Extra, Tool } from './tool';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** user@host, host or host:port — nothing an ssh option could hide in. */
const HOST = /^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9._:[\]-]+$/;

/**
 * The editor's argv, for an agent: as root no sudo; otherwise `sudo -n`, which fails at once
 * where it would ask for a password (an agent cannot type one).
 */
function withoutPrompt(argv: string[]): string[] {
  if (SUDO.every((a, i) => argv[i] === a)) {
    const rest = argv.slice(SUDO.length);
    return process.getuid?.() === 0 ? rest : ['sudo', '-n', ...rest];
  }
  return argv;
}

interface Step {
  argv: string[];
  ok: boolean;
  message: string;
}

function readGeneration(profile: string): string | undefined {
  try {
    return fs.readlinkSync(profile);
  } catch {
    return undefined;
  }
}

export const switchTool: Tool = {
  name: 'switch',
  config: {
    title: 'Switch to a configuration',
    description: 'Build, then activate a NixOS, nix-darwin or home-manager configuration of the flake (on targetHost when given), then run the health checks the user configured. If the switch or a health check fails, the previous generation is restored and both outcomes are reported. Every switch and rollback is written to the user\'s log. Only available when the user started the server with --allow-switch.',
    inputSchema: {
      configuration: z.string().min(1).describe('a configuration name from list_outputs'),
      targetHost: z.string().optional().describe('user@host to activate a NixOS configuration on, over ssh'),
    },
    outputSchema: {
      configuration: z.string(),
      storePath: z.string(),
      switched: z.object({ argv: z.array(z.string()), ok: z.boolean(), message: z.string() }),
      healthChecks: z.array(z.object({ argv: z.array(z.string()), ok: z.boolean(), message: z.string() })),
      rolledBack: z.object({ argv: z.array(z.string()), ok: z.boolean(), message: z.string() }).optional(),
      log: z.string(),
    },
    annotations: { destructiveHint: true, idempotentHint: false, openWorldHint: true },
  },
  handler: async (ctx, input, extra) => {
    const { configuration, targetHost } = input as { configuration: string; targetHost?: string };
    if (!ctx.args.allowSwitch) return ctx.error('switch is off: the user has to start nix-ai mcp with --allow-switch to let an agent activate configurations. build works without it.');
    if (targetHost !== undefined && !HOST.test(targetHost)) return ctx.error(`targetHost "${targetHost}" is not a host name (user@host or host)`);
    // one switch at a time: a second one while the first runs would race it for the profile
    if (running) return ctx.error('another switch is still running; wait for its result');
    running = true;
    try {
      return await switchTo(ctx, configuration, targetHost, extra);
    } finally {
      running = false;
    }
  },
};

let running = false;

/**
 * Switching and rolling back copy closures (to a target host) and activate: they get this many
 * times the limit of one nix run, since stopping one halfway leaves a system half switched.
 */
const ACTIVATION_TIMES = 4;

async function switchTo(ctx: ToolContext, configuration: string, targetHost: string | undefined, extra: Extra): Promise<CallToolResult> {
  const found = await findConfiguration(ctx, configuration);
  if ('failed' in found) return ctx.error(found.failed);
  const conf = found.found;
  if (targetHost && conf.kind !== 'nixos') return ctx.error('targetHost works for NixOS configurations only');
  const built = await buildConfiguration(ctx, conf, extra);
  if (!built.ok) return buildFailure(ctx, built);

  const log = (event: string, step: Step) => {
    const problem = appendSwitchLog(ctx.args.logFile, event, conf.name, `${step.ok ? 'ok' : 'failed'}: ${step.argv.join(' ')}${step.ok ? '' : ` (${step.message})`}`);
    if (problem) ctx.log(problem);
  };
  const env = targetHost ? { ...ctx.env, NIX_SSHOPTS: `${ctx.env.NIX_SSHOPTS ?? ''} -o BatchMode=yes`.trim() } : ctx.env;
  const step = async (argv: string[], what: string, timeoutMs = ctx.args.timeoutMs): Promise<Step> => {
    const r: RunResult = await ctx.program(argv, { env, timeoutMs });
    return { argv, ok: r.kind === 'ok', message: r.kind === 'ok' ? lastLine(r.stdout + r.stderr) : ctx.why(r, what) };
  };
  const local = !targetHost && conf.kind !== 'home';
  const before = local ? readGeneration(ctx.args.systemProfile) : undefined;
  const switched = await step(withoutPrompt(rebuildArgv({ kind: conf.kind, flake: { dir: ctx.root, name: conf.name }, action: 'switch', targetHost })), `switching to ${conf.name}`, ctx.args.timeoutMs * ACTIVATION_TIMES);
  log('switch', switched);
  const after = local ? readGeneration(ctx.args.systemProfile) : undefined;
  // unknown (remote, home-manager, no profile here) counts as moved once the switch succeeded
  const moved = before === undefined || after === undefined || before !== after;

  const healthChecks: Step[] = [];
  if (switched.ok) {
    for (const argv of ctx.args.healthChecks) {
      const check = await step(argv, `health check ${argv.join(' ')}`);
      healthChecks.push(check);
      log('health-check', check);
      if (!check.ok) break;
    }
  }
  const failed = !switched.ok || healthChecks.some(c => !c.ok);
  let rolledBack: Step | undefined;
  if (failed && moved && (switched.ok || (before !== undefined && after !== undefined))) {
    rolledBack = await rollBack(ctx, conf, targetHost, step);
    log('rollback', rolledBack);
  }
  const result = { configuration: conf.name, storePath: built.storePath, switched, healthChecks, ...(rolledBack ? { rolledBack } : {}), log: ctx.args.logFile };
  const outcome = !failed ? `switched to ${conf.name} (${built.storePath}); ${healthChecks.length} health check(s) passed`
    : `${switched.ok ? `switched to ${conf.name}, but a health check failed: ${healthChecks.find(c => !c.ok)?.message}` : switched.message}; ` +
      (rolledBack ? (rolledBack.ok ? 'rolled back to the previous generation' : `rolling back failed too: ${rolledBack.message}`)
        : moved ? 'nothing was rolled back: whether the switch made a new generation is not known here' : 'the generation did not change, so nothing was rolled back');
  return failed ? { ...ctx.result(result, `${outcome}\nlog: ${ctx.args.logFile}`), isError: true } : ctx.result(result, `${outcome}\nlog: ${ctx.args.logFile}`);
}

async function rollBack(ctx: ToolContext, conf: Configuration, targetHost: string | undefined, step: (argv: string[], what: string, timeoutMs?: number) => Promise<Step>): Promise<Step> {
  if (conf.kind !== 'home') return step(withoutPrompt(rollbackArgv(conf.kind, targetHost)), 'rolling back', ctx.args.timeoutMs * ACTIVATION_TIMES);
  const generations = await ctx.program(rollbackArgv('home'));
  const argv = generations.kind === 'ok' ? homeRollbackArgv(generations.stdout) : undefined;
  if (!argv) return { argv: rollbackArgv('home'), ok: false, message: 'no previous home-manager generation found' };
  return step(argv, 'rolling back', ctx.args.timeoutMs * ACTIVATION_TIMES);
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
