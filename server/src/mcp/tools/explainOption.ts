import { z } from 'zod/v4';
import type { OptionSetName } from '../../analysis/moduleContext';
import { releaseLine } from '../../features/optionDocs';
import { nearestOptions, splitOptionName } from '../../options/optionIndex';
import type { OptionInfo } from '../../options/types';
import type { Tool } from './tool';
import { rankOptions } from './searchOptions';

const SETS: OptionSetName[] = ['nixos', 'home-manager', 'darwin'];

/** An option's facts as plain fields, without the Markdown the editor shows. */
function facts(o: OptionInfo, set: OptionSetName) {
  const release = releaseLine(o)?.replace(/[*`]/g, '');
  return {
    name: o.name, set, type: o.type, description: o.description,
    ...(o.default !== undefined ? { default: o.default } : {}),
    ...(o.example !== undefined ? { example: o.example } : {}),
    ...(o.declaredIn ? { declaredIn: o.declaredIn } : {}),
    ...(o.readOnly ? { readOnly: true } : {}),
    ...(o.status ? { status: o.status } : {}),
    ...(o.replacedBy ? { replacedBy: o.replacedBy } : {}),
    ...(release ? { releases: release } : {}),
    ...(o.releaseNote ? { releaseNote: o.releaseNote } : {}),
  };
}

export const explainOption: Tool = {
  name: 'explain_option',
  config: {
    title: 'Explain a NixOS option',
    description: 'Type, default, example, description, where it is declared and what changed between releases for one NixOS or home-manager option (e.g. hardware.nvidia.open), from the option set of this flake\'s own pinned nixpkgs when nix can load it, else from nix-ai\'s built-in GPU/AI catalog. The answer says which.',
    inputSchema: { name: z.string().min(1).describe('the dotted option name') },
    outputSchema: {
      option: z.object({
        name: z.string(), set: z.string(), type: z.string(), description: z.string(),
        default: z.string().optional(), example: z.string().optional(), declaredIn: z.string().optional(), readOnly: z.boolean().optional(),
        status: z.string().optional(), replacedBy: z.string().optional(), releases: z.string().optional(), releaseNote: z.string().optional(),
      }),
      source: z.object({ origin: z.enum(['catalog', 'nixpkgs', 'download']), detail: z.string() }),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  handler: async (ctx, input) => {
    const { name } = input as { name: string };
    const { knowledge, source } = await ctx.options.knowledge();
    const path = splitOptionName(name.trim());
    for (const set of SETS) {
      const o = knowledge.options(set).get(path);
      if (o) return ctx.result({ option: facts(o, set), source });
    }
    const spelled = SETS.flatMap(set => nearestOptions(knowledge.options(set), path.slice(0, -1), path[path.length - 1]));
    const near = spelled.length ? spelled : rankOptions(knowledge, name, 5).map(r => r.name);
    const known = knowledge.complete.has('nixos') ? 'does not exist in' : 'is not in';
    return ctx.error(`${name} ${known} ${source.detail}${near.length ? `; close names: ${near.join(', ')}` : ''}`);
  },
};
