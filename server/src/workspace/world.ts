import * as fs from 'fs';
import * as path from 'path';
import type { FlakeInputs } from '../analysis/eval/value';
import { flakeInputs } from '../analysis/flakeInputs';
import { parseLock } from '../analysis/flakeLock';
import { flakeInputsOf, lockedInput } from '../analysis/lockedInputs';
import { inputSummary } from '../analysis/inputSummaries';
import type { ResolveWorld } from '../analysis/resolve';
import type { OptionSetName } from '../analysis/moduleContext';
import type { Sink } from '../analysis/facts';
import type { NixDocument } from '../parse/documents';

/** How many folders up from a file its flake.nix is looked for. */
const MAX_FLAKE_CLIMB = 128;

export interface WorldSources {
  /** A file's text as the project sees it (an open document's, else the disk's). */
  text(file: string): string | undefined;
  /** The file parsed (an open document, or read from disk). */
  parse(file: string, text: string): NixDocument;
}

/**
 * The files, folders and flake inputs evaluation reads, for one project: folder listings are
 * kept until a file in the folder changes; parsed files only for one analysis.
 */
export class ProjectWorld implements ResolveWorld {
  private readonly listings = new Map<string, ReadonlyMap<string, string> | undefined>();
  private readonly docs = new Map<string, NixDocument | undefined>();
  private readonly flakes = new Map<string, { lock: string | undefined; flake: string | undefined; inputs: FlakeInputs } | undefined>();

  constructor(private readonly sources: WorldSources) {}

  /** A file was created, changed or deleted: its folder's listing (and its own, if a folder) is read again. */
  invalidate(file?: string): void {
    if (!file) {
      this.listings.clear();
      this.flakes.clear();
    } else {
      this.listings.delete(path.dirname(file));
      this.listings.delete(file);
      this.flakes.delete(path.dirname(file));
    }
    this.docs.clear();
  }

  /** Parsed files are kept for one analysis only. */
  endAnalysis(): void {
    this.docs.clear();
  }

  text(file: string): string | undefined {
    return this.sources.text(file);
  }

  doc(file: string): NixDocument | undefined {
    if (!this.docs.has(file)) {
      const text = this.sources.text(file);
      this.docs.set(file, text === undefined ? undefined : this.sources.parse(file, text));
    }
    return this.docs.get(file);
  }

  readDir(dir: string): ReadonlyMap<string, string> | undefined {
    if (!this.listings.has(dir)) this.listings.set(dir, listDir(dir));
    return this.listings.get(dir);
  }

  /** The listing object now, for checking that a result's folders are as they were. */
  listing(dir: string): ReadonlyMap<string, string> | undefined {
    return this.readDir(dir);
  }

  flakeInputs(file: string): FlakeInputs | undefined {
    for (let dir = path.dirname(file), up = 0; up < MAX_FLAKE_CLIMB; dir = path.dirname(dir), up++) {
      const flake = path.join(dir, 'flake.nix');
      if (this.readDir(dir)?.has('flake.nix') || this.sources.text(flake) !== undefined) return this.flakeAt(dir);
      if (path.dirname(dir) === dir) return undefined;
    }
    return undefined;
  }

  private flakeAt(dir: string): FlakeInputs | undefined {
    const lockText = this.sources.text(path.join(dir, 'flake.lock'));
    const flakeText = this.sources.text(path.join(dir, 'flake.nix'));
    const known = this.flakes.get(dir);
    if (known && known.lock === lockText && known.flake === flakeText) return known.inputs;
    const inputs = flakeInputsOf(dir, this.declared(path.join(dir, 'flake.nix')), parseLock(lockText), undefined, d => this.readDir(d) !== undefined);
    this.flakes.set(dir, { lock: lockText, flake: flakeText, inputs });
    return inputs;
  }

  /** A flake.nix's inputs and their urls, as written. */
  private declared(file: string): Readonly<Record<string, string>> {
    const root = this.doc(file)?.tree.rootNode.childForFieldName('expression');
    return root ? flakeInputs(root) : {};
  }

  inputFlake(of: FlakeInputs, name: string): FlakeInputs | undefined {
    const dir = of.source(name);
    if (!dir || !of.lock) return undefined;
    const locked = lockedInput(of.lock, name, of.key);
    if (!locked) return undefined;
    return flakeInputsOf(dir, this.declared(path.join(dir, 'flake.nix')), of.lock, locked.key, d => this.readDir(d) !== undefined);
  }

  summary(kind: string, attrPath: readonly string[], set: OptionSetName): Sink | undefined {
    return inputSummary(kind, attrPath, set);
  }
}

function listDir(dir: string): ReadonlyMap<string, string> | undefined {
  try {
    const out = new Map<string, string>();
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      out.set(e.name, e.isDirectory() ? 'directory' : e.isFile() ? 'regular' : e.isSymbolicLink() ? 'symlink' : 'unknown');
    }
    return out;
  } catch {
    return undefined;
  }
}
