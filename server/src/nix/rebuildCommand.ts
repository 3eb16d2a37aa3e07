import type { ConfigurationKind } from './flakeOutputs';

/**
 * The exact command lines for rebuilding, rolling back and deploying. Every value that comes from
 * the workspace or the user (flake path, attribute name, host) is one argv element of its own.
 */
export const ACTIONS: Record<ConfigurationKind, readonly string[]> = {
  nixos: ['switch', 'boot', 'test', 'build', 'dry-build', 'dry-activate'],
  darwin: ['switch', 'build', 'check'],
  home: ['switch', 'build'],
};

/** sudo reading the password from standard input: the task terminal forwards what is typed. */
export const SUDO = ['sudo', '-S', '-p', '[sudo] password for %u: '];

/** Actions that change the running system, so they need root on the machine they activate. */
const ACTIVATES = new Set(['switch', 'boot', 'test', 'dry-activate']);

export interface RebuildTarget {
  kind: ConfigurationKind;
  /** The flake folder and the attribute name; or no flake and a configuration.nix. */
  flake?: { dir: string; name: string };
  configurationNix?: string;
  action: string;
  /** user@host to activate on, and a host to build on. */
  targetHost?: string;
  buildHost?: string;
  /** Use nh (a nicer front end) when it is installed and the setting allows it. */
  nh?: boolean;
}

const TOOL: Record<ConfigurationKind, string> = { nixos: 'nixos-rebuild', darwin: 'darwin-rebuild', home: 'home-manager' };
const NH: Record<ConfigurationKind, string> = { nixos: 'os', darwin: 'darwin', home: 'home' };

export function rebuildArgv(t: RebuildTarget): string[] {
  if (!ACTIONS[t.kind].includes(t.action)) throw new Error(`${TOOL[t.kind]} has no action "${t.action}"`);
  if (t.nh && t.flake) return nhArgv(t);
  const argv = [TOOL[t.kind], t.action];
  if (t.flake) argv.push('--flake', `${t.flake.dir}#${t.flake.name}`);
  else if (t.kind === 'nixos' && t.configurationNix) argv.push('-I', `nixos-config=${t.configurationNix}`);
  if (t.kind === 'nixos') {
    if (t.targetHost) argv.push('--target-host', t.targetHost);
    if (t.buildHost) argv.push('--build-host', t.buildHost);
    // On a remote target, sudo runs there; locally the whole command runs under sudo.
    if (t.targetHost && ACTIVATES.has(t.action)) argv.push('--use-remote-sudo');
    if (!t.targetHost && ACTIVATES.has(t.action)) return [...SUDO, ...argv];
  }
  if (t.kind === 'darwin' && t.action === 'switch') return [...SUDO, ...argv];
  return argv;
}

function nhArgv(t: RebuildTarget): string[] {
  const verb = t.action === 'build' ? 'build' : t.action === 'boot' ? 'boot' : t.action === 'test' ? 'test' : 'switch';
  const argv = ['nh', NH[t.kind], verb, t.flake!.dir];
  argv.push(t.kind === 'home' ? '--configuration' : '--hostname', t.flake!.name);
  if (t.targetHost) argv.push('--target-host', t.targetHost);
  if (t.buildHost) argv.push('--build-host', t.buildHost);
  return argv;
}

/** Back to the previous generation. */
export function rollbackArgv(kind: ConfigurationKind, targetHost?: string): string[] {
  if (kind === 'nixos') {
    const argv = ['nixos-rebuild', 'switch', '--rollback'];
    if (targetHost) return [...argv, '--target-host', targetHost, '--use-remote-sudo'];
    return [...SUDO, ...argv];
  }
  if (kind === 'darwin') return [...SUDO, 'darwin-rebuild', 'switch', '--rollback'];
  return ['home-manager', 'generations'];
}

/**
 * home-manager has no --rollback: its previous generation is the second line of
 * `home-manager generations` ("2026-11-20 10:00 : id 41 -> /nix/store/…-home-manager-generation"),
 * and rolling back runs that generation's activate script.
 */
export function homeRollbackArgv(generations: string): string[] | undefined {
  const paths = generations.split('\n').map(l => /->\s*(\/nix\/store\/\S+)/.exec(l)?.[1]).filter((p): p is string => !!p);
  return paths[1] ? [`${paths[1]}/activate`] : undefined;
}

/** Fleet tools, when the flake defines them. */
export function colmenaArgv(node: string | undefined, action = 'apply'): string[] {
  return node ? ['colmena', action, '--on', node] : ['colmena', action];
}

export function deployRsArgv(dir: string, node: string): string[] {
  return ['deploy', `${dir}#${node}`];
}
