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
  test('pkgs. in environment.systemPackages completes the loaded names with their version and description; package and lib hovers; lib completion with doc comments', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'configuration.nix')));
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), '{ pkgs, lib, ... }:\n{\n  environment.systemPackages = [ pkgs.hel pkgs.ollama ];\n  x = lib.hasPrefix;\n}\n');
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

    // hover: what the fixture nixpkgs says, then our catalog's notes
    const ollama = new vscode.Position(2, '  environment.systemPackages = [ pkgs.hel pkgs.oll'.length);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, ollama);
    const text = hovers.map(h => h.contents.map(c => (typeof c === 'string' ? c : c.value)).join('\n')).join('\n');
    assert.match(text, /pkgs\.ollama\*\* · 0\.12\.3 · package from your nixpkgs/);
    assert.match(text, /\*nix-ai:\*/);

    // lib: the fixture's doc comment and type line, in completion and in hover
    const libAt = new vscode.Position(3, '  x = lib.hasPre'.length);
    const libs = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, libAt, undefined, 200);
    const hasPrefix = libs.items.find(i => (typeof i.label === 'string' ? i.label : i.label.label) === 'hasPrefix');
    const libDocs = typeof hasPrefix?.documentation === 'string' ? hasPrefix.documentation : hasPrefix?.documentation?.value ?? '';
    assert.match(libDocs, /hasPrefix :: string -> string -> bool/);
    const libHover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, libAt);
    assert.match(libHover.map(h => h.contents.map(c => (typeof c === 'string' ? c : c.value)).join('\n')).join('\n'), /Whether a string starts with a prefix/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
