import * as vscode from 'vscode';
import { FLAKE_FLAGS } from '../../../server/src/nix/flakeOutputs';
import type { CommandContext } from './index';
import { folderAndNix, pickShell } from './pickers';

/**
 * Nix: Enter Dev Shell — an integrated terminal inside the chosen shell: `nix develop` for a
 * flake's devShells, nix-shell for shell.nix / default.nix, `devenv shell`, `flox activate`.
 * The terminal runs the program directly (argv), never a command line built from the workspace.
 */
export async function enterDevShell({ services }: CommandContext, where?: unknown, given?: unknown): Promise<vscode.Terminal | undefined> {
  const ready = await folderAndNix(services, where);
  if (!ready) return undefined;
  const shell = await pickShell(ready.dir, ready.nix, false, typeof given === 'string' ? given : undefined);
  if (!shell) return undefined;
  const [shellPath, ...shellArgs] = shell.tool === 'devenv' ? ['devenv', 'shell']
    : shell.tool === 'flox' ? ['flox', 'activate']
    : shell.file ? ['nix-shell', shell.file]
    : [ready.nix.nix, ...FLAKE_FLAGS, 'develop', `${ready.dir}#${shell.flakeAttr}`];
  const terminal = vscode.window.createTerminal({ name: `Nix: ${shell.label}`, shellPath, shellArgs, cwd: ready.dir, env: ready.nix.env as Record<string, string> });
  terminal.show();
  return terminal;
}
