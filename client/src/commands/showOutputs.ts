import type { RunResult } from '../../../server/src/util/run';
import { FLAKE_FLAGS } from '../../../server/src/nix/flakeOutputs';
import { runTask } from '../nixTask';
import type { CommandContext } from './index';
import { folderAndNix } from './pickers';

/** Nix: Show Flake Outputs — `nix flake show` in a task terminal. */
export async function showOutputs({ services }: CommandContext, where?: unknown): Promise<RunResult | undefined> {
  const ready = await folderAndNix(services, where);
  if (!ready) return undefined;
  return runTask({ name: 'nix flake show', argv: [ready.nix.nix, ...FLAKE_FLAGS, 'flake', 'show', ready.dir], cwd: ready.dir, env: ready.nix.env, root: ready.dir }, services.problems);
}
