import type { ConfigurationKind } from '../nix/flakeOutputs';
import type { ToolContext } from './context';

/** A configuration the flake defines, found by name, and what building it means. */
export interface Configuration {
  kind: ConfigurationKind;
  name: string;
  /** The flake attribute whose build is the whole system (or home), quoted where needed. */
  attr: string;
}

const OUTPUTS: Array<{ kind: ConfigurationKind; output: string; built: string }> = [
  { kind: 'nixos', output: 'nixosConfigurations', built: 'config.system.build.toplevel' },
  { kind: 'darwin', output: 'darwinConfigurations', built: 'system' },
  { kind: 'home', output: 'homeConfigurations', built: 'activationPackage' },
];

/** `a` stays as it is; anything else is quoted for a flake attribute path. */
function attrName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * The configuration called `given` ("gpu-box" or "nixosConfigurations.gpu-box"). Only names the
 * flake lists are accepted, so the agent's text never becomes part of an expression.
 */
export async function findConfiguration(ctx: ToolContext, given: string): Promise<{ found: Configuration } | { failed: string }> {
  const noFlake = ctx.noFlake();
  if (noFlake) return { failed: noFlake };
  const all: string[] = [];
  for (const { kind, output, built } of OUTPUTS) {
    const got = await ctx.evalOutput(output, 'builtins.attrNames');
    if ('failed' in got) return got;
    const names = (got.value ?? []) as string[];
    const name = names.find(n => n === given || `${output}.${n}` === given);
    if (name !== undefined) return { found: { kind, name, attr: `${output}.${attrName(name)}.${built}` } };
    all.push(...names.map(n => `${output}.${n}`));
  }
  return { failed: `the flake has no configuration "${given}"; it has ${all.length ? all.join(', ') : 'none'}` };
}
