import * as vscode from 'vscode';
import type { LanguageServer, ServerStatus } from './languageServer';

/** The language status item shown for Nix files: whether our server runs, and why not. */
export function createStatusItem(server: LanguageServer): vscode.Disposable {
  const item = vscode.languages.createLanguageStatusItem('nixAi.server', { language: 'nix' });
  item.name = 'nix-ai language server';
  const show = (s: ServerStatus) => {
    item.text = `nix-ai: ${s.running ? 'running' : s.message}`;
    item.severity = s.running || s.message === 'starting' ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
    item.busy = s.message === 'starting';
    item.command = s.running
      ? { title: 'Show Output', command: 'nixAi.showOutput' }
      : { title: 'Restart', command: 'nixAi.restartServer' };
  };
  show(server.status);
  const sub = server.onStatus(show);
  return vscode.Disposable.from(item, sub);
}
