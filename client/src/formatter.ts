import * as os from 'os';
import * as vscode from 'vscode';
import { firstError, run } from '../../server/src/util/run';

/**
 * Format Document through nixfmt, or the command in nixAi.formatter.command (an argv that reads
 * the file on standard input and writes the result). Never a formatter of our own.
 */
export function registerFormatter(output: vscode.OutputChannel): vscode.Disposable {
  let toldMissing = false;
  return vscode.languages.registerDocumentFormattingEditProvider({ language: 'nix' }, {
    async provideDocumentFormattingEdits(doc, _options, token) {
      const argv = vscode.workspace.getConfiguration('nixAi').get<string[]>('formatter.command', ['nixfmt']);
      if (!argv.length) return [];
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath ?? os.homedir();
      const r = await run(argv, { cwd: folder, input: doc.getText(), timeoutMs: 30_000, signal: abort.signal });
      if (r.kind === 'ok') {
        // a formatter that succeeds but prints nothing would empty the file: keep the text instead
        if (!r.stdout.trim() && doc.getText().trim()) {
          output.appendLine(`formatter ${argv.join(' ')} printed nothing; the file is left as it is`);
          void vscode.window.showWarningMessage(`${argv[0]} printed nothing, so the file was not formatted.`);
          return [];
        }
        const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
        return r.stdout === doc.getText() ? [] : [vscode.TextEdit.replace(all, r.stdout)];
      }
      if (r.kind === 'missing') {
        if (!toldMissing) void vscode.window.showWarningMessage(`${r.command} is not installed, so Nix files cannot be formatted. Install nixfmt, or set nixAi.formatter.command.`);
        toldMissing = true;
      } else if (r.kind === 'failed') {
        output.appendLine(`formatter ${argv.join(' ')} failed: ${r.stderr}`);
        void vscode.window.showErrorMessage(`Formatting failed: ${firstError(r.stderr)}`);
      }
      return [];
    },
  });
}
