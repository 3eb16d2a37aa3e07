import type { CommandContext } from './index';
import { folderAndNix, pickShell } from './pickers';

/** Nix: Load Dev Shell into Editor — the shell's environment for the editor and new terminals. */
export async function loadDevShell({ services }: CommandContext, where?: unknown, given?: unknown): Promise<boolean> {
  const ready = await folderAndNix(services, where);
  if (!ready) return false;
  const shell = await pickShell(ready.dir, ready.nix, true, typeof given === 'string' ? given : undefined);
  if (!shell) return false;
  return services.devShell.load(shell, { fresh: false });
}
