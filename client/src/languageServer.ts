import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** The bundled server (dist/server.js over IPC), or the user's nix-ai-ls over stdio. */
function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const custom = vscode.workspace.getConfiguration('nixAi').get<string>('server.path', '').trim();
  if (custom) return { command: custom, args: ['--stdio'], transport: TransportKind.stdio };
  const module = context.asAbsolutePath('dist/server.js');
  // inside VS Code the bundled server parses with web-tree-sitter only (no native module in the extension)
  const options = { env: { ...process.env, NIX_AI_PARSER: 'wasm' } };
  return { run: { module, transport: TransportKind.ipc, options }, debug: { module, transport: TransportKind.ipc, options } };
}

export interface ServerStatus {
  running: boolean;
  message: string;
}

/** What the server says completion and hover take their data from (its nixAi/knowledge notification). */
export interface KnowledgeSource {
  origin: 'catalog' | 'nixpkgs' | 'download';
  detail: string;
}

/** Owns the language client: start, restart, and a status that the UI shows. */
export class LanguageServer implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<ServerStatus>();
  readonly onStatus = this.statusEmitter.event;
  status: ServerStatus = { running: false, message: 'starting' };
  private readonly knowledgeEmitter = new vscode.EventEmitter<KnowledgeSource | undefined>();
  readonly onKnowledge = this.knowledgeEmitter.event;
  knowledge: KnowledgeSource | undefined;

  constructor(private readonly context: vscode.ExtensionContext, readonly output: vscode.OutputChannel) {}

  private setStatus(status: ServerStatus): void {
    this.status = status;
    this.statusEmitter.fire(status);
  }

  async start(): Promise<void> {
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: 'nix', scheme: 'file' }, { language: 'nix', scheme: 'untitled' }],
      outputChannel: this.output,
      synchronize: {
        configurationSection: 'nixAi',
        // A changed lock means other options: the server reloads them.
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.nix,flake.lock}'),
      },
      initializationOptions: {
        settings: vscode.workspace.getConfiguration('nixAi'),
        // The server evaluates the workspace (nix eval) only when VS Code trusts it.
        trusted: vscode.workspace.isTrusted,
        cacheDir: this.context.globalStorageUri.fsPath,
      },
    };
    const client = new LanguageClient('nixAi', 'nix-ai', serverOptions(this.context), clientOptions);
    client.onDidChangeState(e => {
      if (e.newState === State.Running) this.setStatus({ running: true, message: 'running' });
      else if (e.newState === State.Stopped && this.client === client) this.setStatus({ running: false, message: 'stopped' });
    });
    client.onNotification('nixAi/knowledge', (source: KnowledgeSource) => {
      this.knowledge = source;
      this.knowledgeEmitter.fire(source);
    });
    this.client = client;
    this.knowledge = undefined;
    this.knowledgeEmitter.fire(undefined);
    this.setStatus({ running: false, message: 'starting' });
    try {
      await client.start();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.output.appendLine(`nix-ai: the language server failed to start: ${reason}`);
      this.setStatus({ running: false, message: `failed: ${reason}` });
    }
  }

  /** Tell the running server something (no answer expected). */
  async notify(method: string): Promise<boolean> {
    if (!this.client?.isRunning()) return false;
    await this.client.sendNotification(method);
    return true;
  }

  async restart(): Promise<void> {
    const old = this.client;
    this.client = undefined;
    if (old) {
      try {
        await old.stop();
      } catch (e) {
        this.output.appendLine(`nix-ai: stopping the old server failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    await this.start();
  }

  dispose(): void {
    void this.client?.stop();
    this.statusEmitter.dispose();
    this.knowledgeEmitter.dispose();
  }
}
