import * as vscode from 'vscode';
import type { CommandContext } from './index';

/** Nix: Reload Options from nixpkgs — evaluate the option set again (after editing modules, say). */
export async function reloadOptions({ server }: CommandContext): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage('nix-ai evaluates the workspace only when it is trusted; the built-in GPU/AI options stay available.');
    return false;
  }
  return server.notify('nixAi/reloadOptions');
}
