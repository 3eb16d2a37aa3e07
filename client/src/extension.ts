import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { LanguageServer } from './languageServer';
import { createStatusItem } from './status';

export interface NixAiApi {
  /** Resolves once the first start attempt has finished (running or failed). */
  ready: Promise<void>;
  server: LanguageServer;
}

export function activate(context: vscode.ExtensionContext): NixAiApi {
  const output = vscode.window.createOutputChannel('nix-ai');
  const server = new LanguageServer(context, output);
  context.subscriptions.push(output, server, createStatusItem(server));
  for (const [id, handler] of Object.entries(COMMANDS)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => handler({ server }, ...args)));
  }
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void server.notify('nixAi/workspaceTrusted')));
  return { ready: server.start(), server };
}

export function deactivate(): void {
  // the LanguageServer is disposed with the extension's subscriptions
}
