import * as os from 'os';
import * as vscode from 'vscode';
import { firstError, run, type RunResult } from '../../server/src/util/run';
import type { DevShellManager } from './devShell';
import type { GpuDoctor } from './gpuDoctor';
import type { NixEnv } from '../../server/src/nix/flakeOutputs';

/** What the commands share: the extension's state, its Problems collection, nix, the dev shell. */
export class Services implements vscode.Disposable {
  readonly problems = vscode.languages.createDiagnosticCollection('nix-ai build');
  private nixChecked: { path: string; result: Promise<RunResult> } | undefined;
  devShell!: DevShellManager;
  doctor!: GpuDoctor;

  constructor(readonly context: vscode.ExtensionContext, readonly output: vscode.OutputChannel) {}

  dispose(): void {
    this.problems.dispose();
  }

  nixPath(): string {
    return vscode.workspace.getConfiguration('nixAi').get<string>('nix.path', 'nix') || 'nix';
  }

  /**
   * nix, when the workspace is trusted and nix runs; otherwise one message saying what to do,
   * and undefined. Language features do not depend on this.
   */
  async nix(): Promise<NixEnv | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('nix-ai runs nix only in a trusted workspace: trust this folder to build, check or enter its shells.');
      return undefined;
    }
    const nixPath = this.nixPath();
    if (this.nixChecked?.path !== nixPath) this.nixChecked = { path: nixPath, result: run([nixPath, '--version'], { cwd: os.homedir(), timeoutMs: 20_000 }) };
    const checked = await this.nixChecked.result;
    if (checked.kind !== 'ok') {
      this.nixChecked = undefined;
      const missing = checked.kind === 'missing';
      void vscode.commands.executeCommand('setContext', 'nixAi.nixMissing', missing);
      const message = missing
        ? `nix was not found ("${this.nixPath()}"). Install Nix, or set nixAi.nix.path to the nix executable.`
        : `nix does not run: ${checked.kind === 'failed' ? firstError(checked.stderr) : checked.kind}. Check your Nix installation or nixAi.nix.path.`;
      // Not awaited: the command ends now; the message stays until the user answers it.
      void vscode.window.showErrorMessage(message, 'Open Setting')
        .then(pick => pick && vscode.commands.executeCommand('workbench.action.openSettings', 'nixAi.nix.path'));
      return undefined;
    }
    void vscode.commands.executeCommand('setContext', 'nixAi.nixMissing', false);
    return { nix: this.nixPath(), env: { ...process.env } };
  }

  /** The workspace folder to act on: the one of the active editor, the only one, or a pick. */
  async folder(): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const active = vscode.window.activeTextEditor?.document.uri;
    const own = active && vscode.workspace.getWorkspaceFolder(active);
    if (own) return own;
    if (folders.length <= 1) return folders[0];
    return vscode.window.showWorkspaceFolderPick();
  }

  remembered<T>(key: string): T | undefined {
    return this.context.workspaceState.get<T>(`nixAi.${key}`);
  }

  remember(key: string, value: unknown): Thenable<void> {
    return this.context.workspaceState.update(`nixAi.${key}`, value);
  }
}
