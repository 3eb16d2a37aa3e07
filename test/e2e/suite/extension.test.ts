import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'nix-ai.nix-ai';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>(resolve => {
      const sub = vscode.languages.onDidChangeDiagnostics(() => { sub.dispose(); resolve(); });
      setTimeout(() => { sub.dispose(); resolve(); }, 250);
    });
  }
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

suite('nix-ai in a real VS Code', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const doc = await vscode.workspace.openTextDocument(workspaceFile('flake.nix'));
    await vscode.window.showTextDocument(doc);
    const api = await ext.activate() as { ready: Promise<void>; server: { status: { running: boolean; message: string } } };
    await api.ready;
    assert.ok(api.server.status.running, `language server status: ${api.server.status.message}`);
  });

  test('flake.nix is a Nix document with no diagnostics', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('flake.nix'));
    assert.strictEqual(doc.languageId, 'nix');
    // the server publishes an empty list for a clean file; wait until the outline proves it has the file
    await until('the outline', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      return s && s.length ? s : undefined;
    });
    assert.deepStrictEqual(vscode.languages.getDiagnostics(doc.uri), []);
  });

  test('the outline shows inputs as packages and the outputs', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('flake.nix'));
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const names = symbols.map(s => s.name);
    assert.deepStrictEqual(names, ['description', 'inputs', 'outputs']);
    const inputs = symbols[1];
    assert.strictEqual(inputs.children[0].name, 'nixpkgs');
    assert.strictEqual(inputs.children[0].kind, vscode.SymbolKind.Package);
    const outputs = symbols[2];
    assert.ok(outputs.children.some(c => c.name === 'nixosConfigurations'), outputs.children.map(c => c.name).join(','));
  });

  test('a syntax error shows as a diagnostic from our server, with its code', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('broken.nix'));
    await vscode.window.showTextDocument(doc);
    const diagnostics = await until('diagnostics for broken.nix', () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length ? d : undefined;
    });
    assert.strictEqual(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.strictEqual(d.source, 'nix-ai');
    assert.strictEqual(d.code, 'syntax-error');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.message, "expected ';' after this binding");
    assert.strictEqual(d.range.start.line, 1);
  });

  test('editing fixes the error and the diagnostic goes away', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('broken.nix'));
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(1);
    await editor.edit(e => e.insert(line.range.end, ';'));
    await until('diagnostics to clear', () => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('"Nix: Restart Language Server" restarts it', async () => {
    const status = await vscode.commands.executeCommand<string>('nixAi.restartServer');
    assert.strictEqual(status, 'running');
  });
});
