import * as path from 'path';
import { daysSince, lockDate, parseLock, rootInput } from '../../analysis/flakeLock';
import { z } from 'zod/v4';
import { readTextFile } from '../../util/files';
import type { Tool } from './tool';

export interface InputAge {
  input: string;
  rev?: string;
  lastModified?: string;
  days?: number;
}

/** Each input of the root flake with the day its locked revision was last modified, and how long ago. */
export function inputAges(lockText: string | undefined, now: number): InputAge[] | undefined {
  const lock = parseLock(lockText);
  if (!lock) return undefined;
  return Object.keys(lock.nodes[lock.root]?.inputs ?? {}).sort().map(input => {
    const locked = rootInput(lock, input)?.locked;
    const modified = locked?.lastModified;
    return {
      input,
      ...(locked?.rev ? { rev: locked.rev.slice(0, 12) } : {}),
      ...(modified ? { lastModified: lockDate(modified), days: daysSince(modified, now) } : {}),
    };
  });
}

export const inputAge: Tool = {
  name: 'input_age',
  config: {
    title: 'Age of flake inputs',
    description: 'Days since each locked input of the flake was last modified, from flake.lock (no network, no evaluation). A nixpkgs locked months ago misses security updates.',
    outputSchema: { inputs: z.array(z.object({ input: z.string(), rev: z.string().optional(), lastModified: z.string().optional(), days: z.number().optional() })) },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  handler: async ctx => {
    const ages = inputAges(readTextFile(path.join(ctx.root, 'flake.lock')), Date.now());
    if (!ages) return ctx.error('the flake has no readable flake.lock yet: run update_inputs (or nix flake lock) first');
    return ctx.result({ inputs: ages }, ages.map(a => `${a.input}: ${a.days !== undefined ? `${a.days} day(s) (${a.lastModified})` : 'no date'}${a.rev ? ` ${a.rev}` : ''}`).join('\n'));
  },
};
