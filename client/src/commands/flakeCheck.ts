import type { RunResult } from '../../../server/src/util/run';
import { FLAKE_FLAGS } from '../../../server/src/nix/flakeOutputs';
import { runTask } from '../nixTask';
import type { CommandContext } from './index';
import { folderAndNix } from './pickers';

/** Nix: Flake Check — `nix flake check` as a task; its errors become Problems entries. */
export async function flakeCheck({ services }: CommandContext, where?: unknown): Promise<RunResult | undefined> {
  const ready = await folderAndNix(services, where);
  if (!ready) return undefined;
  return runTask({ name: 'nix flake check', argv: [ready.nix.nix, ...FLAKE_FLAGS, 'flake', 'check', ready.dir], cwd: ready.dir, env: ready.nix.env, root: ready.dir }, services.problems);
}
