import * as vscode from 'vscode';
import { run, type RunResult } from '../../../server/src/util/run';
import type { ConfigurationKind } from '../../../server/src/nix/flakeOutputs';
import { homeRollbackArgv, rollbackArgv } from '../../../server/src/nix/rebuildCommand';
import { runTask } from '../nixTask';
import type { CommandContext } from './index';
import { folderAndNix, optionsArg } from './pickers';

/** Nix: Rollback — back to the previous generation, after a confirmation. */
export async function rollback({ services }: CommandContext, where?: unknown, options?: unknown): Promise<RunResult | undefined> {
  const given = optionsArg<{ kind: ConfigurationKind; targetHost: string; confirmed: boolean }>(options);
  const ready = await folderAndNix(services, where);
  if (!ready) return undefined;
  const kind = given.kind ?? (await vscode.window.showQuickPick([
    { label: 'NixOS', which: 'nixos' as const }, { label: 'nix-darwin', which: 'darwin' as const }, { label: 'home-manager', which: 'home' as const },
  ], { title: 'Roll back which?' }))?.which;
  if (!kind) return undefined;
  const on = given.targetHost ? ` on ${given.targetHost}` : '';
  const ok = given.confirmed || (await vscode.window.showWarningMessage(`Switch ${kind === 'home' ? 'home-manager' : 'the system'}${on} back to its previous generation?`, { modal: true }, 'Roll Back')) === 'Roll Back';
  if (!ok) return undefined;
  let argv = rollbackArgv(kind, given.targetHost);
  if (kind === 'home') {
    const listed = await run(argv, { cwd: ready.dir });
    const previous = listed.kind === 'ok' ? homeRollbackArgv(listed.stdout) : undefined;
    if (!previous) {
      void vscode.window.showErrorMessage('home-manager lists no previous generation to go back to.');
      return undefined;
    }
    argv = previous;
  }
  return runTask({ name: `Rollback ${kind}${on}`, argv, cwd: ready.dir, root: ready.dir }, services.problems);
}
