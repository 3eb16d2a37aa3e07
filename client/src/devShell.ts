import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readJsonFile, writeFileAtomic } from '../../server/src/util/files';
import { cacheKey, captureDevEnv, mergedValue, shellInputs, type DevEnv } from '../../server/src/nix/devEnv';
import type { Services } from './services';

/** Which shell is loaded into the editor, and everything needed to load it again. */
interface ShellChoice {
  dir: string;
  flakeAttr?: string;
  file?: string;
  label: string;
}

interface Cached {
  key: string;
  env: DevEnv;
}

function isShellCache(data: unknown): data is Record<string, Cached> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
  return Object.values(data).every(c => typeof c?.key === 'string' && c.env && typeof c.env === 'object');
}

/**
 * A dev shell's environment in the editor: in the extension host's process.env (so tools the
 * extensions start see it) and in new terminals (environmentVariableCollection). Cached per shell
 * and its input files; restored at start from the cache at once, then refreshed in the background.
 */
export class DevShellManager implements vscode.Disposable {
  private readonly status = vscode.window.createStatusBarItem('nixAi.devShell', vscode.StatusBarAlignment.Left, 50);
  private original: Record<string, string | undefined> = {};
  private watcher: vscode.FileSystemWatcher | undefined;
  current: (ShellChoice & { env: DevEnv }) | undefined;

  constructor(private readonly services: Services) {
    this.status.name = 'Nix dev shell';
    this.status.command = 'nixAi.unloadDevShell';
  }

  dispose(): void {
    this.status.dispose();
    this.watcher?.dispose();
  }

  private cacheFile(): string {
    return path.join(this.services.context.globalStorageUri.fsPath, 'dev-shells.json');
  }

  /** The cached shells; a cache that is not what we write is deleted (one line in the output) and the shells load again. */
  private readCache(): Record<string, Cached> {
    const file = this.cacheFile();
    return readJsonFile(file, isShellCache, why => this.services.output.appendLine(`nix-ai: the dev shell cache ${file} was unreadable (${why}); deleted, shells load again`)) ?? {};
  }

  private writeCache(id: string, value: Cached): void {
    const all = this.readCache();
    all[id] = value;
    fs.mkdirSync(path.dirname(this.cacheFile()), { recursive: true });
    writeFileAtomic(this.cacheFile(), JSON.stringify(all));
  }

  private static id(choice: ShellChoice): string {
    return `${choice.dir}\0${choice.flakeAttr ?? choice.file ?? ''}`;
  }

  /** Capture (with progress and cancel) or take from the cache, then apply. */
  async load(choice: ShellChoice, { fresh = false } = {}): Promise<boolean> {
    const key = cacheKey(choice.flakeAttr ?? choice.file ?? '', shellInputs(choice.dir, choice.file));
    const cached = this.readCache()[DevShellManager.id(choice)];
    if (!fresh && cached?.key === key) {
      this.apply(choice, cached.env);
      return true;
    }
    const nix = await this.services.nix();
    if (!nix) return false;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Loading the dev shell ${choice.label}`, cancellable: true },
      (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return captureDevEnv(choice.dir, choice, { ...nix, signal: abort.signal });
      },
    );
    if (!result.ok) {
      this.services.output.appendLine(`nix-ai: the dev shell ${choice.label} did not load: ${result.reason}`);
      if (result.reason !== 'cancelled') void vscode.window.showErrorMessage(`The dev shell ${choice.label} did not load: ${result.reason}`);
      return false;
    }
    this.writeCache(DevShellManager.id(choice), { key, env: result.env });
    this.services.remember('devShell', choice);
    this.apply(choice, result.env);
    return true;
  }

  /** At start: the last shell of this workspace from the cache at once, then a fresh capture. */
  async restore(): Promise<void> {
    const choice = this.services.remembered<ShellChoice>('devShell');
    if (!choice || !vscode.workspace.isTrusted) return;
    const cached = this.readCache()[DevShellManager.id(choice)];
    if (cached) this.apply(choice, cached.env);
    const key = cacheKey(choice.flakeAttr ?? choice.file ?? '', shellInputs(choice.dir, choice.file));
    if (cached?.key !== key) void this.load(choice, { fresh: true });
  }

  private apply(choice: ShellChoice, env: DevEnv): void {
    this.restoreEnvironment();
    const collection = this.services.context.environmentVariableCollection;
    collection.clear();
    for (const [name, value] of Object.entries(env.variables)) {
      this.original[name] = process.env[name];
      process.env[name] = mergedValue(name, value, this.original[name]);
      if (name === 'PATH' || name.endsWith('_PATH')) collection.prepend(name, `${value}:`);
      else collection.replace(name, value);
    }
    this.current = { ...choice, env };
    this.status.text = `$(terminal) ${choice.label}`;
    this.status.tooltip = `Dev shell loaded into the editor (${Object.keys(env.variables).length} variables). Click to unload.`;
    this.status.show();
    this.watch(choice);
  }

  private watch(choice: ShellChoice): void {
    this.watcher?.dispose();
    const pattern = new vscode.RelativePattern(choice.dir, choice.file ? path.basename(choice.file) : '{flake.nix,flake.lock}');
    this.watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const offer = async () => {
      const pick = await vscode.window.showInformationMessage(`The inputs of the dev shell ${choice.label} changed.`, 'Reload Dev Shell');
      if (pick) void this.load(choice, { fresh: true });
    };
    this.watcher.onDidChange(offer);
    this.watcher.onDidCreate(offer);
  }

  private restoreEnvironment(): void {
    for (const [name, value] of Object.entries(this.original)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.original = {};
  }

  /** Back to the editor's own environment. */
  unload(): boolean {
    if (!this.current) return false;
    this.restoreEnvironment();
    this.services.context.environmentVariableCollection.clear();
    this.current = undefined;
    this.status.hide();
    this.watcher?.dispose();
    this.watcher = undefined;
    void this.services.remember('devShell', undefined);
    return true;
  }
}
