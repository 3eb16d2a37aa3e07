import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

/**
 * A trusted workspace whose flake's nixpkgs input is the fixture nixpkgs: the extension evaluates
 * it with the real nix, then completes its packages with what it says about them.
 */
interface Api { server: { knowledge?: { origin: string; detail: string }; onKnowledge: vscode.Event<{ origin: string; detail: string } | undefined> } }

/** The extension's word that options and packages came from the workspace's nixpkgs (90 s at most). */
async function loadedFromNixpkgs(): Promise<{ origin: string; detail: string }> {
  const api = await vscode.extensions.getExtension('nix-ai.nix-ai')!.activate() as Api;
  const now = api.server.knowledge;
  if (now?.origin === 'nixpkgs') return now;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no options from nixpkgs; the status says ${api.server.knowledge?.detail}`)), 90_000);
    const sub = api.server.onKnowledge(k => {
      if (k?.origin !== 'nixpkgs') return;
      clearTimeout(timer);
      sub.dispose();
      resolve(k);
    });
  });
}

suite('packages of the workspace\'s own nixpkgs', () => {
  test('pkgs. in environment.systemPackages completes the loaded names, and an item shows its version and description', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'configuration.nix')));
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), '{ pkgs, ... }:\n{\n  environment.systemPackages = [ pkgs.hel ];\n}\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const at = new vscode.Position(2, '  environment.systemPackages = [ pkgs.hel'.length);
    // the names come once nix has evaluated the flake: the extension says when (its status item)
    const source = await loadedFromNixpkgs();
    assert.match(source.detail, /^your nixpkgs \(flake .*#nixosConfigurations\.gpu\): 4 options, 8 packages/);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at, undefined, 5);
    const hello = list.items.find(i => (typeof i.label === 'string' ? i.label : i.label.label) === 'hello');
    assert.ok(hello, 'pkgs.hello from the fixture nixpkgs');
    const docs = typeof hello.documentation === 'string' ? hello.documentation : hello.documentation?.value ?? '';
    assert.match(docs, /pkgs\.hello\*\* · 2\.12\.1 · package from your nixpkgs/);
    assert.match(docs, /A program that prints a greeting/);
  });
});
