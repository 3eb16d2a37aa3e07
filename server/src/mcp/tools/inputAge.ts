import * as path from 'path';
import { parseLock, rootInput } from '../../analysis/flakeLock';
import { z } from 'zod/v4';
import { readTextFile } from '../../util/files';
import type { Tool } from './tool';

const DAY_MS = 24 * 60 * 60 * 1000;

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
    const modified = locked?.lastModified ? locked.lastModified * 1000 : undefined;
    return {
      input,
      ...(locked?.rev ? { rev: locked.rev.slice(0, 12) } : {}),
      ...(modified ? { lastModified: new Date(modified).toISOString().slice(0, 10), days: Math.floor((now - modified) / DAY_MS) } : {}),
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
