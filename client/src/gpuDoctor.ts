import * as os from 'os';
import * as vscode from 'vscode';
import type { Check, FixAction, Report, Status } from '../../server/src/doctor/types';
import { firstError, run } from '../../server/src/util/run';
import type { Services } from './services';

/** How long the whole doctor may take (each program it runs has its own, shorter, timeout). */
const DOCTOR_TIMEOUT_MS = 120_000;

const ICON: Record<Status, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  warn: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  skip: new vscode.ThemeIcon('circle-slash'),
};

/** A row of the report: a check, its fix, or the folder of skipped checks. */
type Row = { kind: 'check'; check: Check } | { kind: 'fix'; check: Check } | { kind: 'skipped'; checks: Check[] };

/**
 * "Nix: Diagnose GPU": runs `nix-ai doctor` (the bundled CLI, in its own process) and shows the
 * report in the GPU Doctor view, each fix an action; a status bar item warns while a check fails.
 */
export class GpuDoctor implements vscode.Disposable, vscode.TreeDataProvider<Row> {
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Row>;
  private readonly status = vscode.window.createStatusBarItem('nixAi.doctor', vscode.StatusBarAlignment.Left, 40);
  report: Report | undefined;

  constructor(private readonly services: Services) {
    this.view = vscode.window.createTreeView('nixAi.doctor', { treeDataProvider: this });
    this.status.name = 'nix-ai GPU doctor';
    this.status.command = 'nixAi.diagnoseGpu';
  }

  dispose(): void {
    this.view.dispose();
    this.status.dispose();
    this.changed.dispose();
  }

  /** Run the doctor on this machine with the workspace folder; undefined (and one message) when it could not run. */
  async diagnose(folder: string | undefined, signal?: AbortSignal): Promise<Report | undefined> {
    const settings = vscode.workspace.getConfiguration('nixAi');
    const root = settings.get<string>('doctor.root', '/') || '/';
    const argv = [process.execPath, this.services.context.asAbsolutePath('dist/cli.js'), 'doctor', '--format', 'json', '--root', root, ...(folder ? ['--workspace', folder] : [])];
    // the extension host's node is Electron in VS Code: make it run the CLI as plain Node
    const r = await run(argv, { cwd: folder ?? os.homedir(), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeoutMs: DOCTOR_TIMEOUT_MS, signal });
    const out = r.kind === 'ok' || (r.kind === 'failed' && r.code === 1) ? r.stdout : undefined;
    let report: Report | undefined;
    try {
      report = out ? (JSON.parse(out) as Report) : undefined;
    } catch {
      report = undefined;
    }
    if (!report) {
      const why = r.kind === 'failed' ? firstError(r.stderr) : r.kind;
      this.services.output.appendLine(`nix-ai doctor did not give a report: ${why}`);
      if (r.kind !== 'cancelled') void vscode.window.showErrorMessage(`The GPU doctor did not run: ${why}`);
      return undefined;
    }
    this.show(report);
    return report;
  }

  /** Show a report in the view and the status bar. */
  show(report: Report): void {
    this.report = report;
    void vscode.commands.executeCommand('setContext', 'nixAi.doctorRan', true);
    this.changed.fire(undefined);
    const failed = report.checks.filter(c => c.status === 'fail').length;
    const warned = report.checks.filter(c => c.status === 'warn').length;
    if (!failed && !warned) {
      this.status.hide();
      return;
    }
    this.status.text = `$(${failed ? 'error' : 'warning'}) GPU: ${[failed && `${failed} failing`, warned && `${warned} warning${warned === 1 ? '' : 's'}`].filter(Boolean).join(', ')}`;
    this.status.tooltip = report.checks.filter(c => c.status === 'fail' || c.status === 'warn').map(c => `${c.id}: ${c.message}`).join('\n');
    this.status.backgroundColor = new vscode.ThemeColor(failed ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.status.show();
  }

  /** Bring the view into sight (after the command ran). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand('nixAi.doctor.focus');
  }

  getChildren(row?: Row): Row[] {
    if (!this.report) return [];
    if (!row) {
      const order: Status[] = ['fail', 'warn', 'ok'];
      const shown = order.flatMap(s => this.report!.checks.filter(c => c.status === s)).map(check => ({ kind: 'check' as const, check }));
      const skipped = this.report.checks.filter(c => c.status === 'skip');
      return skipped.length ? [...shown, { kind: 'skipped', checks: skipped }] : shown;
    }
    if (row.kind === 'skipped') return row.checks.map(check => ({ kind: 'check', check }));
    if (row.kind === 'check' && row.check.fix && row.check.status !== 'ok' && row.check.status !== 'skip') return [{ kind: 'fix', check: row.check }];
    return [];
  }

  getTreeItem(row: Row): vscode.TreeItem {
    if (row.kind === 'skipped') {
      const item = new vscode.TreeItem(`Skipped (${row.checks.length})`, vscode.TreeItemCollapsibleState.Collapsed);
      item.iconPath = ICON.skip;
      return item;
    }
    const c = row.check;
    if (row.kind === 'fix') {
      const item = new vscode.TreeItem(c.fix, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(c.action ? ACTION_ICON[c.action.kind] : 'lightbulb');
      item.tooltip = c.fix;
      item.command = { title: 'Fix', command: 'nixAi.doctorFix', arguments: [c] };
      return item;
    }
    const hasFix = !!c.fix && c.status !== 'ok' && c.status !== 'skip';
    const item = new vscode.TreeItem(c.id, hasFix ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.description = c.message;
    item.tooltip = new vscode.MarkdownString().appendText(c.message).appendMarkdown(c.fix ? '\n\n**Fix:** ' : '').appendText(c.fix);
    item.iconPath = ICON[c.status];
    return item;
  }
}

const ACTION_ICON: Record<FixAction['kind'], string> = { reboot: 'debug-restart', rebuild: 'tools', option: 'go-to-file', open: 'go-to-file' };

/** Act on a check's fix: open the option or file, rebuild, or remind of the reboot. */
export async function actOnFix(check: Check): Promise<void> {
  const a = check.action;
  if (!a) {
    void vscode.window.showInformationMessage(check.fix);
    return;
  }
  switch (a.kind) {
    case 'reboot':
      void vscode.window.showWarningMessage(`Reboot this machine: ${check.fix}`, { modal: false });
      return;
    case 'rebuild':
      await vscode.commands.executeCommand('nixAi.rebuild');
      return;
    case 'open':
    case 'option': {
      if (a.file) {
        const doc = await vscode.workspace.openTextDocument(a.file);
        const line = Math.max(0, (a.line ?? 1) - 1);
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
        return;
      }
      // the configuration does not set it yet: look for where its neighbours are set
      await vscode.commands.executeCommand('workbench.action.findInFiles', { query: a.kind === 'option' ? a.option.split('.').slice(0, -1).join('.') : '', filesToInclude: '*.nix', triggerSearch: true });
      void vscode.window.showInformationMessage(check.fix);
    }
  }
}
