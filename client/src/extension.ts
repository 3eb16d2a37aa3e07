import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { DevShellManager } from './devShell';
import { GpuDoctor } from './gpuDoctor';
import { LanguageServer } from './languageServer';
import { Services } from './services';
import { createStatusItem } from './status';

export interface NixAiApi {
  /** Resolves once the first start attempt has finished (running or failed). */
  ready: Promise<void>;
  server: LanguageServer;
  services: Services;
}

export function activate(context: vscode.ExtensionContext): NixAiApi {
  const output = vscode.window.createOutputChannel('nix-ai');
  const server = new LanguageServer(context, output);
  const services = new Services(context, output);
  services.devShell = new DevShellManager(services);
  services.doctor = new GpuDoctor(services);
  context.subscriptions.push(output, server, createStatusItem(server), services, services.devShell, services.doctor);
  for (const [id, handler] of Object.entries(COMMANDS)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler({ server, services }, ...args)));
  }
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
    void server.notify('nixAi/workspaceTrusted');
    void services.devShell.restore();
  }));
  // The last dev shell of this workspace, from its cache at once; never waits on nix.
  void services.devShell.restore().catch(e => output.appendLine(`nix-ai: restoring the dev shell failed: ${e instanceof Error ? e.message : String(e)}`));
  // opt-in: the doctor at start, its warnings in the status bar
  if (vscode.workspace.getConfiguration('nixAi').get<boolean>('doctor.runAtStart', false)) {
    void services.doctor.diagnose(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath).catch(e => output.appendLine(`nix-ai: the GPU doctor failed: ${e instanceof Error ? e.message : String(e)}`));
  }
  return { ready: server.start(), server, services };
}

export function deactivate(): void {
  // the LanguageServer is disposed with the extension's subscriptions
}
