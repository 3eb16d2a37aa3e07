import * as path from 'path';
import { analyzeWorkspace, type Configuration, type WorkspaceAnalysis } from '../analysis/configuration';
import { parseLock } from '../analysis/flakeLock';
import { filePathOf, moduleFacts, sharedFactsMemo, type ModuleFacts } from '../analysis/definitions';
import { detectRelease } from '../analysis/release';
import { needsResolution, resolveFacts, ResolveSession } from '../analysis/resolve';
import type { ModuleRef } from '../analysis/facts';
import { ProjectWorld } from './world';
import { InputOutputs } from '../analysis/inputOutputs';
import type { InputLookup } from '../features/inputNavigation';
import { tooLarge, type DiagnosticOptions } from '../features/diagnostics';
import type { Knowledge } from '../options/knowledge';
import { flatView, readDocument, type NixDocument } from '../parse/documents';
import { FlatTree } from '../parse/flatTree';
import type { NixParser } from '../parse/language';
import { flatPath } from '../util/files';
import { sameStrings } from '../util/lists';
import { collectNixFiles } from '../util/nixFiles';

/** Files nix-shell and nix-build read when given a folder, or by convention: called with no arguments. */
const ENTRY_POINT = /^(shell|default|release)\.nix$/;

/** How many folders up from a file its flake.nix is looked for (real repositories nest a few dozen at most). */
const MAX_FLAKE_CLIMB = 128;

export interface ProjectSources {
  /** A file's text from disk, undefined when it cannot be read. */
  read(file: string): string | undefined;
  /** The .nix files to start from (a workspace scan, the CLI's arguments). */
  files(): Iterable<string>;
  /** An open editor document, which wins over the file on disk. */
  open(file: string): NixDocument | undefined;
  /** Every file of `files` is being checked (the CLI): read them all, as if each were open. */
  readonly checksAll?: boolean;
  /** Parse a file from disk (the CLI keeps the trees of the files it checks next). */
  parse?(file: string, text: string): NixDocument;
  /**
   * Files longer than this are left out of the analysis (nixAi.maxFileSizeMB: only their syntax is
   * checked): a 10 MB generated file open beside a module made every check of the module read it.
   */
  maxChars?(): number | undefined;
  /**
   * `files` is not the whole workspace (the server reads a bounded number): then the flake an open
   * document belongs to is read in full besides, and what was not read is never taken as "not set".
   */
  partial?(): boolean;
}

/** Files longer than this are read once (syntactically) only: see `resolved`. */
const MAX_RESOLVED_CHARS = 200_000;

/** Files read of the flake an open document belongs to, when the workspace is read only in part. */
const ROOT_FILES = 10_000;

/**
 * Every file a check needs to see beyond the document itself: the workspace's .nix files and
 * whatever they import, each parsed once into plain facts. Disk files stay cached until
 * `invalidate`; open documents are read afresh at every analysis.
 */
/** What a second reading (resolve.ts) read: each file's text and folder's listing as it was then. */
interface Deps {
  files: Map<string, string | undefined>;
  dirs: Map<string, ReadonlyMap<string, string> | undefined>;
}

export class Project {
  private readonly disk = new Map<string, ModuleFacts | undefined>();
  private readonly openFacts = new WeakMap<NixDocument, ModuleFacts>();
  /** Per file (disk) or document (open) whose facts were read a second time: what that reading read. */
  private readonly diskDeps = new Map<string, Deps>();
  private readonly openDeps = new WeakMap<NixDocument, Deps>();
  private readonly world: ProjectWorld;
  /** The evaluation the second readings of one analysis share (made when the first one needs it). */
  private session: ResolveSession | undefined;
  private readonly texts = new Map<string, string | undefined>();
  private readonly defaults = new Map<string, string>();
  private analysis: WorkspaceAnalysis | undefined;
  private previous: WorkspaceAnalysis | undefined;
  /** The files the last analysis reached, and from where: an edit that names the same files reaches the same ones. */
  private reached: Reach | undefined;

  constructor(private readonly parser: NixParser, private readonly sources: ProjectSources) {
    this.world = new ProjectWorld({
      text: file => this.currentText(file),
      parse: (file, text) => this.sources.open(file) ?? readDocument(this.parser, file, text),
    });
  }

  private outputs: InputOutputs | undefined;

  /** What the flake inputs of `file`'s flake hold, read from their locked sources (definitions, hovers, completion). */
  inputLookup(file: string): InputLookup | undefined {
    const io = (this.outputs ??= new InputOutputs(this.world));
    const of = io.inputsOf(file);
    if (!of?.names.size) return undefined;
    const nixpkgs = [...of.names].filter(n => of.kind(n) === 'nixpkgs').map(n => of.source(n)).find(Boolean);
    return {
      names: of.names,
      ...(nixpkgs ? { nixpkgs } : {}),
      isFlake: file === path.join(of.dir, 'flake.nix'),
      source: input => io.source(file, input),
      place: (input, at) => io.lookup(file, input, at)?.place,
      children: (input, at) => io.children(file, input, at),
      text: f => this.currentText(f),
    };
  }

  /** A file's text as analysis sees it: the open document's, else the disk's. */
  private currentText(file: string): string | undefined {
    return this.sources.open(file)?.text ?? this.text(file);
  }

  /**
   * Per file: a number that changes whenever something other than that file changes (another open
   * document, a file on disk). What evaluation gave a file's units in its second reading holds while
   * it stays (FactsMemo.hooked).
   */
  private readonly worlds = new Map<string, number>();
  private nextWorld = 0;

  private worldOf(file: string): number {
    let w = this.worlds.get(file);
    if (w === undefined) this.worlds.set(file, (w = this.nextWorld++));
    return w;
  }

  /** Something other than `file` changed (anything, when undefined): every other file's world is new. */
  private worldChanged(file?: string): void {
    for (const f of this.worlds.keys()) if (f !== file) this.worlds.set(f, this.nextWorld++);
  }

  /** Facts read a second time (resolve.ts) where the first reading met what only evaluation shows. */
  private resolved(doc: NixDocument, facts: ModuleFacts): { facts: ModuleFacts; deps?: Deps } {
    // a package set or generated file is no configuration's module list: its first reading stands
    // (a second one would walk all of it again at every keystroke)
    if (doc.text.length > MAX_RESOLVED_CHARS || !needsResolution(facts.file, facts)) return { facts };
    this.session ??= new ResolveSession(this.world);
    let r: ReturnType<typeof resolveFacts>;
    try {
      // on a flat copy of an open document's tree: the second reading walks the whole file, and
      // web-tree-sitter's nodes cost several times more to walk than the copy costs to make
      const view = doc.tree instanceof FlatTree ? doc : flatView(doc, this.parser.copyFlat);
      const memo = sharedFactsMemo(doc, view);
      const world = memo?.hooked && this.worldOf(facts.file);
      if (memo?.hooked && memo.hooked.world !== world) {
        memo.hooked.sinks.clear();
        memo.hooked.world = world!;
      }
      r = resolveFacts(this.session, view, facts, memo);
      // evaluation that read this file itself (an import of it) may have read one unit from another
      if (memo?.hooked && r.files.has(facts.file)) memo.hooked.world = -1;
    } catch (e) {
      // the second reading is a refinement: whatever it meets, the first reading's facts stand
      if (!(e instanceof RangeError)) throw e;
      this.session = undefined;
      return { facts };
    }
    const deps: Deps = { files: new Map(), dirs: new Map() };
    for (const f of r.files) deps.files.set(f, this.currentText(f));
    for (const d of r.dirs) deps.dirs.set(d, this.world.listing(d));
    return { facts: r.facts, deps };
  }

  /** Is every file and folder a second reading read still as it was? */
  private fresh(deps: Deps | undefined): boolean {
    if (!deps) return true;
    for (const [f, text] of deps.files) if (this.currentText(f) !== text) return false;
    for (const [d, listing] of deps.dirs) if (this.world.listing(d) !== listing) return false;
    return true;
  }

  /** Forget what was read from disk (one file, or everything) and the analysis built on it. */
  invalidate(file?: string): void {
    if (file) {
      this.disk.delete(file);
      this.texts.delete(file);
      this.texts.delete(path.join(path.dirname(file), 'flake.lock'));
    } else {
      this.disk.clear();
      this.texts.clear();
    }
    this.world.invalidate(file);
    this.worldChanged();
    this.session = undefined;
    this.flakeFiles.clear();
    this.analysis = undefined;
    this.reached = undefined;
  }

  /** An open document changed (the one of `file`; any, when undefined): only the analysis needs building again. */
  changed(file?: string): void {
    this.worldChanged(file);
    this.session = undefined;
    if (this.analysis) this.previous = this.analysis;
    this.analysis = undefined;
  }

  /**
   * The configurations a file belongs to without waiting for a new analysis: the current one, or
   * the one before the last edit (for a hover, one keystroke behind is better than a wait).
   */
  configurationsNow(file: string): Configuration[] {
    return (this.analysis ?? this.previous ?? this.analyze()).configurationsOf(file);
  }

  private text(file: string): string | undefined {
    if (!this.texts.has(file)) this.texts.set(file, this.sources.read(file));
    return this.texts.get(file);
  }

  /** `open`: the open documents by path, when the caller has them at hand (analyze asks thousands of times). */
  private factsOf(file: string, open?: ReadonlyMap<string, NixDocument>): ModuleFacts | undefined {
    const doc = open ? open.get(file) : this.sources.open(file);
    if (doc) {
      if (tooLarge(doc.text, this.sources.maxChars?.())) return undefined;
      let f = this.openFacts.get(doc);
      if (!f || !this.fresh(this.openDeps.get(doc))) {
        // the first reading is usually remembered already (the document's own check made it)
        const r = this.resolved(doc, moduleFacts(doc));
        this.openFacts.set(doc, (f = r.facts));
        if (r.deps) this.openDeps.set(doc, r.deps);
      }
      return f;
    }
    if (this.disk.has(file) && !this.fresh(this.diskDeps.get(file))) this.disk.delete(file);
    if (!this.disk.has(file)) {
      const text = this.text(file);
      let facts: ModuleFacts | undefined;
      this.diskDeps.delete(file);
      if (text !== undefined && !tooLarge(text, this.sources.maxChars?.())) {
        const doc = this.sources.parse?.(file, text) ?? readDocument(this.parser, file, text);
        const r = this.resolved(doc, moduleFacts(doc));
        facts = r.facts;
        if (r.deps) this.diskDeps.set(file, r.deps);
      }
      this.disk.set(file, facts);
    }
    return this.disk.get(file);
  }

  /** The facts of a file on disk (read now, or as read before). */
  diskFacts(file: string): ModuleFacts | undefined {
    return this.factsOf(file, new Map());
  }

  /**
   * Take facts read elsewhere as this project's reading of those files (the CLI's workers: each
   * reads its share, and every worker then analyses with all of them). Only for files that stay
   * as they are: nothing here will find such facts stale.
   */
  seed(facts: Iterable<readonly [string, ModuleFacts | undefined]>): void {
    for (const [file, f] of facts) if (!this.disk.has(file)) this.disk.set(file, f);
  }

  /** The workspace's files and everything they reach, analysed together. */
  analyze(): WorkspaceAnalysis {
    if (this.analysis) return this.analysis;
    const partial = this.sources.partial?.() ?? false;
    const files = [...this.sources.files()];
    if (partial) files.push(...this.rootFiles(files));
    const open = new Map<string, NixDocument>();
    for (const f of files) {
      const doc = this.sources.open(f);
      if (doc) open.set(f, doc);
    }
    const reused = this.reuseReach(files, open);
    if (reused) return (this.analysis = analyzeWorkspace(reused, partial));
    try {
      return this.analyzeAll(files, open);
    } finally {
      this.world.endAnalysis();
      this.session = undefined;
    }
  }

  private analyzeAll(files: string[], open: Map<string, NixDocument>): WorkspaceAnalysis {
    const all = new Map<string, ModuleFacts>();
    // A file that is not open and names no other file (`./…`) can only matter to the others by
    // being imported, and then it is reached from its importer: no need to parse it up front.
    const queue = files.filter(f => this.sources.checksAll || open.has(f) || this.text(f)?.includes('./'));
    while (queue.length) {
      const file = this.moduleFile(queue.pop()!);
      if (all.has(file)) continue;
      const facts = this.factsOf(file, open);
      if (!facts) continue;
      all.set(file, facts);
      queue.push(...namedFiles(facts));
    }
    this.reached = { files, open: new Map([...open.keys()].map(f => [f, all.get(f)])), all };
    return (this.analysis = analyzeWorkspace(all, this.sources.partial?.() ?? false));
  }

  /**
   * The files reached last time with the open documents' new facts, when nothing else changed
   * and every open document names the same files as before (an edit in a package set of 10,000
   * `callPackage ./…` would otherwise walk them all again).
   */
  private reuseReach(files: readonly string[], open: ReadonlyMap<string, NixDocument>): Map<string, ModuleFacts> | undefined {
    const last = this.reached;
    if (!last || files.length !== last.files.length || files.some((f, i) => f !== last.files[i])) return undefined;
    // a file read a second time may have read what an open document now says differently
    for (const deps of this.diskDeps.values()) if (!this.fresh(deps)) return undefined;
    if (open.size !== last.open.size || [...open.keys()].some(f => !last.open.has(f))) return undefined;
    const all = new Map(last.all);
    for (const file of open.keys()) {
      const before = last.open.get(file);
      const now = this.factsOf(file, open);
      if (!before || !now || this.moduleFile(file) !== file || !sameStrings(namedFiles(before), namedFiles(now))) return undefined;
      all.set(file, now);
    }
    return all;
  }

  /** Per flake folder: its .nix files (read once, until a file changes). */
  private readonly flakeFiles = new Map<string, string[]>();

  /**
   * The .nix files of the flakes the open documents belong to, whatever else the workspace holds:
   * a flake opened in a large workspace is analysed as if it were the workspace.
   */
  private rootFiles(files: readonly string[]): string[] {
    const out: string[] = [];
    const have = new Set(files);
    for (const f of files) {
      if (!this.sources.open(f)) continue;
      const dir = this.world.flakeInputs(f)?.dir;
      if (!dir) continue;
      let listed = this.flakeFiles.get(dir);
      if (!listed) this.flakeFiles.set(dir, (listed = collectNixFiles([dir], ROOT_FILES).files));
      for (const g of listed) if (!have.has(g)) {
        have.add(g);
        out.push(g);
      }
    }
    return out;
  }

  /** `./dir` means `./dir/default.nix` (remembered: a package set names thousands of directories). */
  private moduleFile(wanted: string): string {
    if (wanted.endsWith('.nix')) return wanted;
    let file = this.defaults.get(wanted);
    if (!file) this.defaults.set(wanted, (file = flatPath(path.join(wanted, 'default.nix'))));
    return file;
  }

  /** The flake a file belongs to (the nearest folder above it with a flake.nix): its flake.lock and nixpkgs url. */
  flakeOf(file: string): { lock?: string; nixpkgsUrl?: string } | undefined {
    // at most MAX_FLAKE_CLIMB folders up: a file 50,000 folders deep made every check climb them all
    for (let dir = path.dirname(file), up = 0; up < MAX_FLAKE_CLIMB; dir = path.dirname(dir), up++) {
      const flake = path.join(dir, 'flake.nix');
      if (this.sources.open(flake) || this.text(flake) !== undefined) {
        return { lock: this.text(path.join(dir, 'flake.lock')), nixpkgsUrl: this.factsOf(flake)?.inputs?.nixpkgs };
      }
      if (path.dirname(dir) === dir) return undefined;
    }
    return undefined;
  }

  /**
   * A module in a flake's folder that no configuration is shown to use, where the flake's own
   * configurations could not all be found (so one of them may use it).
   */
  private mayBeInFlake(file: string, analysis: WorkspaceAnalysis): boolean {
    if (!analysis.facts().get(file)?.moduleLike || !analysis.configurationsOf(file).every(c => c.lone)) return false;
    for (let dir = path.dirname(file), up = 0; up < MAX_FLAKE_CLIMB; dir = path.dirname(dir), up++) {
      const flake = analysis.facts().get(path.join(dir, 'flake.nix'));
      if (flake) return flake.configurationsKnown !== true;
      if (path.dirname(dir) === dir) return false;
    }
    return false;
  }

  /** What the rules should know about one document. */
  contextFor(doc: NixDocument, nixosRelease: string, knowledge: Knowledge, staleAfterDays?: number): NonNullable<DiagnosticOptions['context']> {
    const file = filePathOf(doc.uri);
    const analysis = this.analyze();
    const flake = this.flakeOf(file);
    const lock = path.basename(file) === 'flake.nix' ? parseLock(flake?.lock) : undefined;
    const pure = analysis.isPure(file) || path.basename(file) === 'flake.nix';
    let callers: ReturnType<typeof analysis.callersOf> | undefined;
    return {
      pure,
      // an entry point: a file nothing here calls, by the names nix-shell and nix-build look for
      // (asked only by files with an impure default argument)
      // (`instead`: arguments that, all passed, make this one unused too)
      defaultUse: (name, instead) => {
        callers ??= analysis.callersOf(file);
        if (!callers.length) return ENTRY_POINT.test(path.basename(file)) ? 'entry' : 'mixed';
        const passes = (c: readonly string[]) => c.includes(name) || (!!instead?.length && instead.every(n => c.includes(n)));
        return callers.every(c => c === 'all' || (c !== null && passes(c))) ? 'passed' : 'mixed';
      },
      // a module of a flake that no configuration here is shown to use (none, or only "whatever imports it")
      ...(!pure && flake && this.mayBeInFlake(file, analysis) ? { inFlake: true } : {}),
      release: detectRelease(nixosRelease, flake?.lock, flake?.nixpkgsUrl),
      knowledge,
      configurations: analysis.configurationsOf(file),
      ...(lock ? { lock, now: Date.now(), ...(staleAfterDays !== undefined ? { staleAfterDays } : {}) } : {}),
    };
  }
}

interface Reach {
  files: readonly string[];
  /** The facts each open document had. */
  open: ReadonlyMap<string, ModuleFacts | undefined>;
  all: ReadonlyMap<string, ModuleFacts>;
}

/** The files a module makes Nix read: evaluated paths and imports, its systems' included. */
function namedFiles(facts: ModuleFacts): string[] {
  return [...facts.evaluates, ...[facts, ...facts.systems].flatMap(s => refFiles(s.imports))];
}

/** The files module references name, those of modules evaluation found inline included. */
function refFiles(refs: readonly ModuleRef[], depth = 0): string[] {
  return refs.flatMap(i => (i.kind === 'file' ? [i.path] : i.kind === 'module' && depth < 64 ? refFiles(i.sink.imports, depth + 1) : []));
}
