import { OUTPUT_OF, type ConfigurationKind } from '../nix/flakeOutputs';
import { attrLabel } from '../parse/syntaxTree';
import type { ToolContext } from './context';

/** A configuration the flake defines, found by name, and what building it means. */
export interface Configuration {
  kind: ConfigurationKind;
  name: string;
  /** The flake attribute whose build is the whole system (or home), quoted where needed. */
  attr: string;
}

/** What building each kind of configuration means: the attribute that is the whole system (or home). */
const BUILT: Record<ConfigurationKind, string> = { nixos: 'config.system.build.toplevel', darwin: 'system', home: 'activationPackage' };

/**
 * The configuration called `given` ("gpu-box" or "nixosConfigurations.gpu-box"). Only names the
 * flake lists are accepted, so the agent's text never becomes part of an expression.
 */
export async function findConfiguration(ctx: ToolContext, given: string): Promise<{ found: Configuration } | { failed: string }> {
  const noFlake = ctx.noFlake();
  if (noFlake) return { failed: noFlake };
  const all: string[] = [];
  for (const kind of ['nixos', 'darwin', 'home'] as const) {
    const output = OUTPUT_OF[kind];
    const got = await ctx.evalOutput(output, 'builtins.attrNames');
    if ('failed' in got) return got;
    const names = (got.value ?? []) as string[];
    const name = names.find(n => n === given || `${output}.${n}` === given);
    if (name !== undefined) return { found: { kind, name, attr: `${output}.${attrLabel(name)}.${BUILT[kind]}` } };
    all.push(...names.map(n => `${output}.${n}`));
  }
  return { failed: `the flake has no configuration "${given}"; it has ${all.length ? all.join(', ') : 'none'}` };
}
