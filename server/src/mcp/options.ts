import * as os from 'os';
import * as path from 'path';
import { DEFAULT_SETTINGS } from '../config';
import type { Knowledge } from '../options/knowledge';
import { OptionsService, type KnowledgeSource } from '../options/service';
import type { ToolContext } from './context';

/**
 * The option set of the served flake's own pinned nixpkgs, loaded (or read from the editor's
 * cache) on first use, else the built-in catalog; always with where it came from.
 */
export class McpOptions {
  private service: OptionsService | undefined;
  private loading: Promise<void> | undefined;
  private source: KnowledgeSource = { origin: 'catalog', detail: 'built-in catalog' };

  constructor(private readonly ctx: ToolContext, private readonly log: (message: string) => void) {}

  async knowledge(): Promise<{ knowledge: Knowledge; source: KnowledgeSource }> {
    if (!this.service) {
      const service = new OptionsService(this.ctx.parser, {
        log: (_level, message) => this.log(message),
        warn: message => this.log(message),
        progress: () => ({ report: () => undefined, done: () => undefined }),
        source: s => { this.source = s; },
      }, path.join(this.ctx.args.cacheDir, 'options'), os.hostname());
      this.service = service;
      const settings = {
        ...DEFAULT_SETTINGS,
        nixPath: this.ctx.args.nix,
        // the agent cannot answer a question about downloading; only nix evaluates here
        options: { ...DEFAULT_SETTINGS.options, download: 'off' as const, timeoutMs: this.ctx.args.timeoutMs, memoryLimitMb: this.ctx.args.memoryLimitMb },
      };
      this.loading = service.reload({ folders: [this.ctx.root], trusted: true, settings });
    }
    await this.loading;
    return { knowledge: this.service.knowledge, source: this.source };
  }

  /** flake.lock changed: the next question loads the options of the new nixpkgs. */
  forget(): void {
    this.service?.cancel();
    this.service = undefined;
    this.source = { origin: 'catalog', detail: 'built-in catalog' };
  }
}
