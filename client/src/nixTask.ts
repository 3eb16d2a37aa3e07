import * as vscode from 'vscode';
import { run, type RunResult } from '../../server/src/util/run';
import { parseNixErrors } from '../../server/src/nix/nixErrors';

export interface TaskRequest {
  /** The title of the task and its terminal. */
  name: string;
  argv: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The workspace folder store paths map back to, for Problems entries. */
  root: string;
}

/**
 * Run a program as a VS Code task: its output live in a terminal, cancel by killing it, what is
 * typed goes to its standard input (sudo -S asks there), and Nix errors become Problems entries
 * on workspace files once it ends. Resolves with how it ended.
 */
let runs = 0;

export function runTask(req: TaskRequest, problems: vscode.DiagnosticCollection): Promise<RunResult> {
  return new Promise(resolve => {
    let settled = false;
    let ended: vscode.Disposable | undefined;
    const settle = (r: RunResult) => {
      if (!settled) resolve(r);
      settled = true;
      ended?.dispose();
    };
    const write = new vscode.EventEmitter<string>();
    const closed = new vscode.EventEmitter<number>();
    const abort = new AbortController();
    let stdin: ((data: string) => void) | undefined;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: write.event,
      onDidClose: closed.event,
      open: () => {
        write.fire(`\x1b[1m$ ${req.argv.map(quoteForDisplay).join(' ')}\x1b[0m\r\n`);
        void run(req.argv, {
          cwd: req.cwd,
          env: req.env,
          signal: abort.signal,
          onOutput: chunk => write.fire(chunk.replace(/\r?\n/g, '\r\n')),
          onStdin: w => (stdin = w),
        }).then(result => {
          const output = result.kind === 'ok' || result.kind === 'failed' ? `${result.stdout}\n${result.stderr}` : '';
          publishProblems(parseNixErrors(output, req.root), problems);
          const code = result.kind === 'ok' ? 0 : result.kind === 'failed' ? (result.code ?? 1) : 1;
          write.fire(`\r\n${summary(result)}\r\n`);
          settle(result);
          closed.fire(code);
        });
      },
      close: () => abort.abort(),
      handleInput: data => {
        if (data === '\x03') return abort.abort(); // Ctrl+C stops the program, as in a shell
        // Echo nothing (a password may be typed); Enter sends the line.
        stdin?.(data === '\r' ? '\n' : data);
        if (data === '\r') write.fire('\r\n');
      },
    };
    // Each run its own definition, so VS Code never refuses one as "already active".
    const task = new vscode.Task({ type: 'nix-ai', command: req.name, run: ++runs }, vscode.TaskScope.Workspace, req.name, 'nix-ai', new vscode.CustomExecution(async () => pty));
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, focus: true, clear: true };
    vscode.tasks.executeTask(task).then(execution => {
      if (settled) return;
      // A task that ends without our program having ended (closed before it started): cancelled.
      ended = vscode.tasks.onDidEndTask(e => {
        if (e.execution !== execution) return;
        abort.abort();
        settle({ kind: 'cancelled' });
      });
    }, () => settle({ kind: 'cancelled' }));
  });
}

function summary(r: RunResult): string {
  switch (r.kind) {
    case 'ok': return '✓ done';
    case 'failed': return `✗ failed (exit ${r.code ?? '?'})`;
    case 'missing': return `✗ ${r.command} is not installed or not on PATH`;
    case 'cancelled': return '✗ cancelled';
    case 'timeout': return '✗ timed out';
    case 'memory': return '✗ stopped: too much memory';
  }
}

/** For the echoed command line only; the program gets the argv as it is. */
function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./#-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function publishProblems(found: ReturnType<typeof parseNixErrors>, collection: vscode.DiagnosticCollection): void {
  collection.clear();
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const p of found) {
    const at = new vscode.Position(Math.max(0, p.line - 1), Math.max(0, p.column - 1));
    const d = new vscode.Diagnostic(new vscode.Range(at, at.translate(0, 1)), p.message, vscode.DiagnosticSeverity.Error);
    d.source = 'nix';
    d.relatedInformation = p.trace.map(t => new vscode.DiagnosticRelatedInformation(
      new vscode.Location(vscode.Uri.file(t.file), new vscode.Position(Math.max(0, t.line - 1), Math.max(0, t.column - 1))), 'from here'));
    byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
  }
  for (const [file, ds] of byFile) collection.set(vscode.Uri.file(file), ds);
}
