import * as vscode from 'vscode';
import type { KnowledgeSource, LanguageServer, ServerStatus } from './languageServer';

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
  // where options, packages and lib come from: the user's nixpkgs, or the built-in catalog
  const data = vscode.languages.createLanguageStatusItem('nixAi.knowledge', { language: 'nix' });
  data.name = 'nix-ai options and packages';
  const showData = (k: KnowledgeSource | undefined) => {
    data.text = !k ? '$(sync~spin) loading options' : k.origin === 'nixpkgs' ? '$(package) from your nixpkgs' : k.origin === 'download' ? '$(cloud-download) NixOS lists' : '$(book) built-in catalog';
    data.detail = k?.detail;
    data.busy = !k;
    data.command = { title: 'Reload', command: 'nixAi.reloadOptions' };
  };
  showData(server.knowledge);
  const dataSub = server.onKnowledge(showData);
  return vscode.Disposable.from(item, sub, data, dataSub);
}
