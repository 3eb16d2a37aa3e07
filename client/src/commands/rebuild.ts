import * as vscode from 'vscode';
import { run, type RunResult } from '../../../server/src/util/run';
import { ACTIONS, colmenaArgv, deployRsArgv, rebuildArgv, type RebuildTarget } from '../../../server/src/nix/rebuildCommand';
import { attrNames } from '../../../server/src/nix/flakeOutputs';
import { runTask } from '../nixTask';
import type { CommandContext } from './index';
import { folderAndNix, optionsArg, pickTarget, type Target } from './pickers';

/** What the palette asks for, or a caller (a test, a keybinding) passes in. */
export interface RebuildArgs extends Partial<Target> {
  action?: string;
  /** "" for this machine. */
  targetHost?: string;
  buildHost?: string;
  /** Deploy with the flake's colmena hive or deploy-rs nodes instead ("" node: colmena's whole hive). */
  fleet?: { tool: 'colmena' | 'deploy'; node: string };
}

/**
 * Nix: Rebuild — pick a configuration of the workspace flake (this machine's first) or its
 * configuration.nix, an action, and optionally a remote target and build host (remembered per
 * workspace); run nixos-rebuild / darwin-rebuild / home-manager (or nh) as a task. With the flake
 * defining a colmena hive or deploy-rs nodes, those are offered for fleets.
 */
export async function rebuild({ services }: CommandContext, where?: unknown, options?: unknown): Promise<RunResult | undefined> {
  const given = optionsArg<RebuildArgs>(options);
  const ready = await folderAndNix(services, where);
  if (!ready) return undefined;
  const { dir, nix } = ready;
  const fleet = given.fleet ? fleetRun(dir, given.fleet) : given.kind ? undefined : await fleetChoice(dir, nix);
  if (fleet === null) return undefined;
  if (fleet) return runTask({ name: fleet.label, argv: fleet.argv, cwd: dir, root: dir }, services.problems);
  const target = await pickTarget(dir, nix, given);
  if (!target) return undefined;
  const action = given.action ?? (await vscode.window.showQuickPick([...ACTIONS[target.kind]], { title: `${target.name ?? 'configuration.nix'}: which action?` }));
  if (!action) return undefined;
  const hosts = target.kind === 'nixos' ? await askHosts(services, given) : {};
  if (!hosts) return undefined;
  const config = vscode.workspace.getConfiguration('nixAi');
  const nh = config.get<boolean>('rebuild.useNh', false) && (await run(['nh', '--version'], { cwd: dir })).kind === 'ok';
  const base: RebuildTarget = {
    kind: target.kind, action, nh,
    ...(target.name ? { flake: { dir, name: target.name } } : { configurationNix: target.configurationNix }),
    ...hosts,
  };
  const label = `${target.name ?? 'configuration.nix'} ${action}${hosts.targetHost ? ` on ${hosts.targetHost}` : ''}`;
  if (action === 'switch' && config.get<boolean>('rebuild.safeSwitch', false)) {
    const built = await runTask({ name: `${label}: build first`, argv: rebuildArgv({ ...base, action: 'build' }), cwd: dir, root: dir }, services.problems);
    if (built.kind !== 'ok') return built;
  }
  return runTask({ name: `Rebuild ${label}`, argv: rebuildArgv(base), cwd: dir, root: dir }, services.problems);
}

async function askHosts(services: CommandContext['services'], given: RebuildArgs): Promise<{ targetHost?: string; buildHost?: string } | undefined> {
  if (given.targetHost !== undefined) return { ...(given.targetHost ? { targetHost: given.targetHost } : {}), ...(given.buildHost ? { buildHost: given.buildHost } : {}) };
  const last = services.remembered<{ targetHost?: string; buildHost?: string }>('rebuildHosts') ?? {};
  const where = await vscode.window.showQuickPick([
    { label: 'This machine', hosts: {} },
    ...(last.targetHost ? [{ label: `${last.targetHost}`, description: last.buildHost ? `built on ${last.buildHost}` : 'remote', hosts: last }] : []),
    { label: 'Another machine…', hosts: undefined },
  ], { title: 'Where to activate?' });
  if (!where) return undefined;
  if (where.hosts) return where.hosts;
  const targetHost = await vscode.window.showInputBox({ title: 'Target host', prompt: 'user@host to activate on (sudo runs there)', value: last.targetHost });
  if (!targetHost) return undefined;
  const buildHost = await vscode.window.showInputBox({ title: 'Build host (optional)', prompt: 'A machine to build on; empty: build here', value: last.buildHost });
  const hosts = { targetHost, ...(buildHost ? { buildHost } : {}) };
  await services.remember('rebuildHosts', hosts);
  return hosts;
}

function fleetRun(dir: string, f: { tool: 'colmena' | 'deploy'; node: string }): { label: string; argv: string[] } {
  return f.tool === 'colmena'
    ? { label: `colmena ${f.node || 'apply'}`, argv: colmenaArgv(f.node || undefined) }
    : { label: `deploy ${f.node}`, argv: deployRsArgv(dir, f.node) };
}

/** colmena or deploy-rs when the flake defines them: the user may prefer them; null = cancelled. */
async function fleetChoice(dir: string, nix: Parameters<typeof attrNames>[2]): Promise<{ label: string; argv: string[] } | undefined | null> {
  const [hive, deploy] = await Promise.all([attrNames(dir, 'colmena', nix), attrNames(dir, 'deploy.nodes', nix)]);
  const nodes = deploy.ok ? deploy.names : [];
  const hiveNodes = hive.ok ? hive.names.filter(n => n !== 'meta' && n !== 'defaults') : [];
  if (!nodes.length && !hiveNodes.length) return undefined;
  const items = [
    { label: 'nixos-rebuild / darwin-rebuild / home-manager', run: undefined as { label: string; argv: string[] } | undefined },
    ...(hiveNodes.length ? [{ label: 'colmena apply (all nodes)', run: fleetRun(dir, { tool: 'colmena', node: '' }) }] : []),
    ...hiveNodes.map(n => ({ label: `colmena apply --on ${n}`, run: fleetRun(dir, { tool: 'colmena', node: n }) })),
    ...nodes.map(n => ({ label: `deploy-rs: ${n}`, run: fleetRun(dir, { tool: 'deploy', node: n }) })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'This flake also defines a fleet. Deploy with?' });
  return pick ? pick.run : null;
}
