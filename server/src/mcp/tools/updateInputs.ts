import * as path from 'path';
import { z } from 'zod/v4';
import { parseLock } from '../../analysis/flakeLock';
import { describeChanges, lockChanges } from '../../nix/lockDiff';
import { readTextFile } from '../../util/files';
import type { Tool } from './tool';

const revision = z.object({ rev: z.string(), date: z.string().optional() });

export const updateInputs: Tool = {
  name: 'update_inputs',
  config: {
    title: 'Update flake inputs',
    description: 'Update the flake\'s locked inputs (all, or only those named) in flake.lock and return what changed: the old and new revision and date of each input.',
    inputSchema: { inputs: z.array(z.string()).optional().describe('input names from flake.nix; default: all') },
    outputSchema: {
      changes: z.array(z.object({ input: z.string(), kind: z.enum(['updated', 'added', 'removed']), from: revision.optional(), to: revision.optional() })),
    },
    annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: true },
  },
  handler: async (ctx, input) => {
    const { inputs } = input as { inputs?: string[] };
    const noFlake = ctx.noFlake();
    if (noFlake) return ctx.error(noFlake);
    const lockFile = path.join(ctx.root, 'flake.lock');
    const before = readTextFile(lockFile);
    if (inputs?.length) {
      const known = Object.keys(parseLock(before)?.nodes.root?.inputs ?? {});
      const unknown = inputs.filter(i => !known.includes(i));
      if (unknown.length) return ctx.error(`flake.lock has no input ${unknown.join(', ')}; it has ${known.join(', ') || 'none'}`);
    }
    const args = inputs?.length ? ['flake', 'lock', ...inputs.flatMap(i => ['--update-input', i])] : ['flake', 'update'];
    const r = await ctx.nix([...args, ctx.root]);
    if (r.kind !== 'ok') return ctx.error(ctx.why(r, 'updating the inputs'));
    const changes = lockChanges(before, readTextFile(lockFile));
    if (changes.length) ctx.options.forget();
    return ctx.result({ changes }, describeChanges(changes).join('\n'));
  },
};
