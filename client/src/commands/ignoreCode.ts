import type { CommandContext } from './index';

const SETTING = 'diagnostics.ignored';

/**
 * Nix: Ignore a Diagnostic Code — adds the code to nixAi.diagnostics.ignored in the workspace
 * settings. Quick fixes pass the code; from the palette it asks for one.
 */
export async function ignoreCode(_ctx: CommandContext, code?: unknown): Promise<string | undefined> {
  const vscode = await import('vscode');
  const picked = typeof code === 'string' ? code : await vscode.window.showInputBox({ prompt: 'Diagnostic code to hide everywhere (e.g. unused-binding)' });
  if (!picked) return undefined;
  const config = vscode.workspace.getConfiguration('nixAi');
  const current = config.get<string[]>(SETTING) ?? [];
  if (!current.includes(picked)) {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update(SETTING, [...current, picked], target);
  }
  return picked;
}
