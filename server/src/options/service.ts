import * as fs from 'fs';
import * as path from 'path';
import type { ServerSettings } from '../config';
import type { NixParser } from '../parse/language';
import { readJsonFile, readTextFile, writeFileAtomic } from '../util/files';
import { describeRelease, detectRelease } from '../analysis/release';
import { downloadRelease, type DownloadOutcome } from './download';
import { lockedNixpkgsRev } from './cache';
import { createKnowledge, type Knowledge } from './knowledge';
import { LibIndex, PackageNames } from './loadedPackages';
import { loadOptions, type LoadOutcome } from './loader';
import { PackageDetails } from './packageDetails';

/** What the service needs from its host (the LSP layer), in plain terms. */
export interface ServiceHost {
  log(level: 'info' | 'warn', message: string): void;
  /** Show one message to the user. */
  warn(message: string): void;
  /** Start a cancellable progress report. */
  progress(title: string, cancel: AbortController): { report(message: string): void; done(): void };
  /** Where completion and hover now take options, packages and lib from. */
  source?(source: KnowledgeSource): void;
  /** Ask the user; the answer is one of `choices`, or undefined when dismissed. */
  ask?(message: string, choices: string[]): Promise<string | undefined>;
}

/** Where the knowledge comes from, for the editor's status: the catalog, or the user's nixpkgs. */
export interface KnowledgeSource {
  origin: 'catalog' | 'nixpkgs' | 'download';
  /** One line: "your nixpkgs (flake …#gpu): 4 options, 8 packages" or why only the catalog. */
  detail: string;
}

export interface ServiceState {
  folders: string[];
  trusted: boolean;
  settings: ServerSettings;
}

/**
 * Keeps the option knowledge for the workspace: the catalog at once, then the user's own option
 * set when the workspace is trusted and nix works. One load at a time; a new one cancels the old.
 */
export class OptionsService {
  knowledge: Knowledge = createKnowledge();
  private running: AbortController | undefined;
  private readonly shown = new Set<string>();

  constructor(private readonly parser: NixParser, private readonly host: ServiceHost, private readonly cacheDir: string, private readonly hostname: string) {}

  /** The folder whose options count: the first with a flake.nix, else the first. */
  private folder(state: ServiceState): string | undefined {
    return state.folders.find(f => fs.existsSync(path.join(f, 'flake.nix'))) ?? state.folders[0];
  }

  async reload(state: ServiceState, fresh = false): Promise<void> {
    this.running?.abort();
    const folder = this.folder(state);
    const rev = folder ? lockedNixpkgsRev(readTextFile(path.join(folder, 'flake.lock'))) : undefined;
    const base = createKnowledge({}, rev ? { nixpkgsRev: rev } : {});
    if (!state.settings.options.load || !folder) return this.skip(base, state.settings.options.load ? 'no workspace folder' : 'nixAi.options.load is off');
    if (!state.trusted && !state.settings.options.json) {
      this.skip(base, 'the workspace is not trusted, so nothing is evaluated');
      await this.offerDownload(state, folder, 'this workspace is not trusted, so nix does not evaluate it');
      return;
    }
    const cancel = new AbortController();
    this.running = cancel;
    const progress = this.host.progress('nix-ai: loading options', cancel);
    let outcome: LoadOutcome;
    try {
      outcome = await loadOptions(folder, state.settings.options, {
        parser: this.parser,
        nix: state.settings.nixPath,
        cacheDir: this.cacheDir,
        timeoutMs: state.settings.options.timeoutMs,
        memoryLimitMb: state.settings.options.memoryLimitMb,
        hostname: this.hostname,
        signal: cancel.signal,
        fresh,
        onStep: m => progress.report(m),
        log: m => this.host.log('warn', m),
      });
    } finally {
      progress.done();
      if (this.running === cancel) this.running = undefined;
    }
    if (outcome.kind === 'cancelled') {
      this.host.log('info', 'options: loading cancelled; the built-in catalog stays in use');
      return;
    }
    if (outcome.kind === 'loaded') {
      const count = Object.values(outcome.sets).reduce((n, s) => n + (s?.length ?? 0), 0);
      this.knowledge = createKnowledge(outcome.sets, {
        nixpkgsRev: outcome.nixpkgsRev ?? rev,
        ...(outcome.packages?.length ? { packageNames: new PackageNames(outcome.packages) } : {}),
        ...(outcome.lib?.length ? { lib: new LibIndex(outcome.lib, readTextFile) } : {}),
        ...(outcome.target && outcome.key ? {
          packageDetails: new PackageDetails(outcome.target, {
            nix: state.settings.nixPath,
            cacheFile: path.join(this.cacheDir, `packages-${outcome.key.slice(0, 32)}.json`),
            timeoutMs: state.settings.options.timeoutMs,
            memoryLimitMb: state.settings.options.memoryLimitMb,
            log: m => this.host.log('warn', m),
          }),
        } : {}),
      });
      const extras = `${outcome.packages?.length ?? 0} package names, ${outcome.lib?.length ?? 0} lib attributes`;
      this.host.log('info', `options: ${count} (and ${extras}) from ${outcome.source}${outcome.fromCache ? ' (cache)' : ''}`);
      this.host.source?.({ origin: 'nixpkgs', detail: `your nixpkgs (${outcome.source}): ${count} options, ${outcome.packages?.length ?? 0} packages, ${outcome.lib?.length ?? 0} lib attributes` });
    } else if (outcome.kind === 'failed') {
      this.knowledge = base;
      this.host.source?.({ origin: 'catalog', detail: `built-in catalog (loading from ${outcome.source} failed)` });
      // without nix, the question about downloading is the one message; else (or when not asked) the failure
      if (outcome.nixMissing && (await this.offerDownload(state, folder, 'nix is not installed here'))) return;
      const message = `nix-ai: could not load options from ${outcome.source}: ${outcome.message}. Completion and hover use the built-in GPU/AI catalog.`;
      this.host.log('warn', message);
      if (!this.shown.has(message)) {
        this.shown.add(message);
        this.host.warn(message);
      }
    }
  }

  /**
   * Where nix cannot evaluate the workspace: the lists NixOS publishes for its release, from the
   * disk cache or downloaded, when the settings and the user allow (never unasked in an
   * untrusted workspace; never at all with the setting off).
   */
  private async offerDownload(state: ServiceState, folder: string, why: string): Promise<boolean> {
    const { download, downloadUrl, timeoutMs } = state.settings.options;
    if (download === 'off') return false;
    const lock = readTextFile(path.join(folder, 'flake.lock'));
    const release = detectRelease(state.settings.nixosRelease, lock);
    const choices = new Choices(path.join(this.cacheDir, 'download-choices.json'));
    if (!(state.trusted && download === 'on') && choices.get(folder) !== 'yes') {
      if (choices.get(folder) === 'no' || !this.host.ask) return false;
      const host = downloadUrl.replace(/^https?:\/\/([^/]+).*$/, '$1');
      const answer = await this.host.ask(`nix-ai: ${why}. Download the option and package lists of NixOS ${release.name} from ${host}, for completion and hover?`, [DOWNLOAD, NOT_NOW, NEVER]);
      if (answer === NEVER) choices.set(folder, 'no');
      if (answer !== DOWNLOAD) return true;
      choices.set(folder, 'yes');
    }
    const cancel = new AbortController();
    this.running = cancel;
    const progress = this.host.progress('nix-ai: downloading NixOS option and package lists', cancel);
    let got: DownloadOutcome;
    try {
      got = await downloadRelease(release.name, { baseUrl: downloadUrl, cacheDir: path.join(this.cacheDir, 'downloads'), timeoutMs, signal: cancel.signal, onStep: m => progress.report(m) });
    } finally {
      progress.done();
      if (this.running === cancel) this.running = undefined;
    }
    if (got.kind === 'cancelled') return true;
    if (got.kind === 'failed') {
      this.host.log('warn', `options: downloading failed: ${got.message}; the built-in catalog stays in use`);
      return true;
    }
    const { options, packages, channel, fromCache } = got.data;
    this.knowledge = createKnowledge({ nixos: options }, {
      packageNames: new PackageNames(packages.names),
      packageDetails: new PackageDetails(undefined, { nix: state.settings.nixPath, timeoutMs, memoryLimitMb: state.settings.options.memoryLimitMb }, { details: packages.details, sets: packages.sets }),
      packagesFrom: `the package list of NixOS ${release.name}`,
      // lists of a release only assumed may not be the user's: an option missing from them is not an error
      ...(release.source === 'assumed' ? { complete: new Set() } : {}),
    });
    this.host.log('info', `options: ${options.length} (and ${packages.names.length} package names) downloaded for ${channel}${fromCache ? ' (cache)' : ''}`);
    this.host.source?.({ origin: 'download', detail: `downloaded for NixOS ${release.name} (${describeRelease(release)}): ${options.length} options, ${packages.names.length} packages` });
    return true;
  }

  cancel(): void {
    this.running?.abort();
  }

  private skip(base: Knowledge, reason: string): void {
    this.knowledge = base;
    this.host.log('info', `options: built-in catalog only (${reason})`);
    this.host.source?.({ origin: 'catalog', detail: `built-in catalog (${reason})` });
  }
}

const DOWNLOAD = 'Download';
const NOT_NOW = 'Not now';
const NEVER = 'Never for this workspace';

/** What the user answered about downloading, per workspace folder, kept on disk. */
class Choices {
  constructor(private readonly file: string) {}

  get(folder: string): 'yes' | 'no' | undefined {
    return this.all()[folder];
  }

  set(folder: string, answer: 'yes' | 'no'): void {
    const all = this.all();
    all[folder] = answer;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomic(this.file, JSON.stringify(all));
    } catch {
      // not remembered: the user is asked again next time
    }
  }

  private all(): Record<string, 'yes' | 'no'> {
    return readJsonFile(this.file, (d): d is Record<string, 'yes' | 'no'> => typeof d === 'object' && d !== null) ?? {};
  }
}
