import { z } from 'zod/v4';
import type { ToolContext } from '../context';
import type { Tool } from './tool';

export const CONFIGURATIONS = ['nixosConfigurations', 'homeConfigurations', 'darwinConfigurations'] as const;
const PER_SYSTEM = ['devShells', 'packages'] as const;
export type ConfigurationOutput = (typeof CONFIGURATIONS)[number];

// Fixed Nix text: nothing from the agent goes into it. A system nix cannot tell is null.
const SYSTEM_OF_EACH = 'cs: builtins.mapAttrs (n: c: let s = builtins.tryEval (c.pkgs.stdenv.hostPlatform.system or c.config.nixpkgs.hostPlatform.system or c.config.nixpkgs.system or null); in if s.success && builtins.isString s.value then s.value else null) cs';
const NAMES_PER_SYSTEM = 'o: builtins.mapAttrs (system: v: builtins.attrNames v) o';

export interface Output {
  name: string;
  system: string | null;
}

export type Outputs = Record<ConfigurationOutput | (typeof PER_SYSTEM)[number], Output[]>;

/** What the flake defines, with the system each is for. */
export async function listOutputs(ctx: ToolContext): Promise<{ outputs: Outputs } | { failed: string }> {
  const noFlake = ctx.noFlake();
  if (noFlake) return { failed: noFlake };
  const outputs = {} as Outputs;
  const runs = [
    ...CONFIGURATIONS.map(async attr => {
      let got = await ctx.evalOutput(attr, SYSTEM_OF_EACH);
      // a configuration whose system cannot be read: list its names alone
      if ('failed' in got && !/not installed|did not finish/.test(got.failed)) got = await ctx.evalOutput(attr, 'cs: builtins.mapAttrs (n: c: null) cs');
      if ('failed' in got) return got.failed;
      outputs[attr] = Object.entries((got.value ?? {}) as Record<string, string | null>).map(([name, system]) => ({ name, system }));
      return undefined;
    }),
    ...PER_SYSTEM.map(async attr => {
      const got = await ctx.evalOutput(attr, NAMES_PER_SYSTEM);
      if ('failed' in got) return got.failed;
      outputs[attr] = Object.entries((got.value ?? {}) as Record<string, string[]>).flatMap(([system, names]) => names.map(name => ({ name, system })));
      return undefined;
    }),
  ];
  const failed = (await Promise.all(runs)).find((f): f is string => !!f);
  if (failed) return { failed };
  return { outputs: Object.fromEntries([...CONFIGURATIONS, ...PER_SYSTEM].map(k => [k, outputs[k] ?? []])) as Outputs };
}

const list = z.array(z.object({ name: z.string(), system: z.string().nullable() }));

export const listOutputsTool: Tool = {
  name: 'list_outputs',
  config: {
    title: 'List flake outputs',
    description: 'The flake\'s nixosConfigurations, homeConfigurations, darwinConfigurations, devShells and packages, each with the system it is for (null where nix cannot tell). Configuration names are what build and switch take.',
    outputSchema: Object.fromEntries([...CONFIGURATIONS, ...PER_SYSTEM].map(k => [k, list])),
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  handler: async ctx => {
    const got = await listOutputs(ctx);
    if ('failed' in got) return ctx.error(got.failed);
    const lines = Object.entries(got.outputs).flatMap(([attr, items]) => items.map(o => `${attr}.${o.name}${o.system ? ` (${o.system})` : ''}`));
    return ctx.result(got.outputs, lines.length ? lines.join('\n') : 'the flake defines none of these outputs');
  },
};
