import * as path from 'path';
import type { Declaration, Definition, Instance, ModuleFacts, ModuleRef, Opaque, OptionSet, Place, Reason, Sink, Value } from './facts';
import { inStore } from './lockedInputs';
import { addTo } from '../util/lists';
import { callerIndex, type Caller, type CallerIndex } from './callers';
import { PRIORITY } from './facts';
import type { OptionTest } from './conditions';
import { knownModule, type KnownModule } from './knownModules';
import { exportedModuleSet, isFlakeSet, type OptionSetName } from './moduleContext';

/**
 * A NixOS (or home-manager) configuration as far as the workspace shows it, and what it hides.
 * Every question has three answers: a configuration answers "not set" only when its root and
 * every module it reaches were found and read; a module we could not read (a flake input's, a
 * list computed by a function) or a value we could not see into (`hardware.nvidia = cfg;`) makes
 * the answer "unknown" for the options it could define.
 */

export type Answer = 'set' | 'unset' | 'unknown';
export type Truth = true | false | 'unknown';

/** The value an option ends up with, as far as we can tell. */
export type Resolved =
  | { kind: 'unset' }
  | { kind: 'unknown' }
  /** `defs`: the definitions that win (best priority); `hidden`: something unseen could add to a list. */
  | { kind: 'known'; defs: Definition[]; hidden: boolean };

/** Something the configuration includes that we could not read. */
export interface Unseen {
  text: string;
  scope?: string;
  /** Why it could not be read (an argument, a flake input whose source is not here …). */
  why?: Reason;
}

/** Is `prefix` (dotted) a prefix of `option`, or the other way round? */
function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class Configuration {
  private readonly byPath = new Map<string, Definition[]>();

  constructor(
    readonly name: string,
    readonly set: OptionSetName,
    /** The file that defines the configuration: the nixosSystem call's, or the top module's. */
    readonly root: string,
    readonly files: ReadonlySet<string>,
    readonly definitions: readonly Definition[],
    readonly optionSets: readonly OptionSet[],
    readonly opaque: readonly Opaque[],
    readonly declarations: readonly Declaration[],
    /** Modules it includes that we could not read and do not know. */
    readonly unseen: readonly Unseen[],
    /** Modules it includes that we could not read but know (home-manager's, not-detected.nix …). */
    readonly known: readonly KnownModule[],
    /** The nixpkgs instance nixosSystem was given, if any. */
    readonly instance?: Instance,
    /** The NixOS configuration a home-manager one lives in. */
    readonly parent?: Configuration,
    /** Files a module list names as they are (`./gpu.nix`), not called for a module (`import ./f.nix { … }`). */
    readonly direct: ReadonlySet<string> = new Set(),
    /** The NixOS release of the nixpkgs that builds it, when the flake shows which ("24.05"). */
    readonly release?: string,
    /** A module nothing here imports, judged on what it says: whatever imports it is unseen. */
    readonly lone = false,
  ) {
    for (const d of definitions) addTo(this.byPath, d.path.join('.'), d);
  }

  /** Every module was found and read (or is one we know). */
  get complete(): boolean {
    return this.unseen.length === 0;
  }

  /**
   * The flake inputs (and nixpkgs) whose modules could not be read, when they are all that could
   * not be: then what the rest says holds unless one of those modules says otherwise, which a rule
   * may report at warning, naming them. Undefined when anything else is unseen.
   */
  get unreadInputs(): string[] | undefined {
    const names = new Set<string>();
    for (const o of this.opaque) if (o.input) names.add(o.input);
    if (!this.unseen.length && !names.size) return undefined;
    for (const u of this.unseen) {
      const input = u.why?.kind === 'input' ? u.why.input : nixpkgsModule(u.text) ? 'nixpkgs' : undefined;
      if (!input) return undefined;
      names.add(input);
    }
    return [...names].sort();
  }

  /**
   * The configuration with the conditions its modules test on its own options answered: a
   * definition under `mkIf cfg.enable` holds when the configuration sets that option true, and is
   * dropped when it is false (or unset with a declared default of false). Answers can depend on
   * each other, so a few rounds.
   */
  settled(): Configuration {
    let cfg: Configuration = this;
    for (let round = 0; round < 4; round++) {
      let changed = false;
      // an answered condition: what it guards is kept, unconditional, when true and dropped when false
      const settle = <T extends { when?: readonly OptionTest[]; conditional?: boolean }>(list: readonly T[]): T[] => {
        const out: T[] = [];
        for (const x of list) {
          const r = x.when && x.conditional ? cfg.holds(x.when) : 'unknown';
          if (r === 'unknown') out.push(x);
          else if (r) out.push({ ...x, conditional: false });
          changed ||= r !== 'unknown';
        }
        return out;
      };
      const definitions = settle(cfg.definitions);
      const opaque = settle(cfg.opaque);
      if (!changed) return cfg;
      cfg = new Configuration(
        cfg.name, cfg.set, cfg.root, cfg.files, definitions, cfg.optionSets, opaque, cfg.declarations, cfg.unseen, cfg.known,
        cfg.instance, cfg.parent, cfg.direct, cfg.release, cfg.lone,
      );
    }
    return cfg;
  }

  /** Do all these tests hold in this configuration? */
  holds(tests: readonly OptionTest[]): Truth {
    let all: Truth = true;
    for (const t of tests) {
      const r = this.passes(t);
      if (r === false) return false;
      if (r === 'unknown') all = 'unknown';
    }
    return all;
  }

  /** Does one option test hold in this configuration? An unset option has its declared default, if written. */
  private passes(t: OptionTest): Truth {
    const r = this.resolve(t.option);
    let value: Value | undefined;
    if (r.kind === 'known') {
      const values = r.defs.map(d => d.value);
      if (!values.every(v => sameValue(v, values[0]))) return 'unknown';
      value = values[0];
    } else if (r.kind === 'unset') {
      const path = t.option.split('.');
      value = this.declarations.find(d => !d.opaque && d.default && d.path.length === path.length && d.path.every((p, i) => p === path[i]))?.default;
    }
    if (!value || value.kind === 'other' || value.kind === 'list' || value.kind === 'attrs') return 'unknown';
    return sameValue(value, t.equals) !== !!t.negate;
  }

  /** This configuration taking the modules of its unread inputs to set nothing (see unreadInputs). */
  assumingInputs(): Configuration | undefined {
    if (!this.unreadInputs) return undefined;
    if (!this.assumed) {
      this.assumed = new Configuration(
        this.name, this.set, this.root, this.files, this.definitions, this.optionSets, this.opaque.filter(o => !o.input), this.declarations, [], this.known,
        this.instance, this.parent?.assumingInputs() ?? this.parent, this.direct, this.release, this.lone,
      ).settled();
    }
    return this.assumed;
  }

  private assumed: Configuration | undefined;

  /** "gpu-box (flake.nix, 6 files)" for messages. */
  describe(relativeTo?: string): string {
    const where = relativeTo ? path.relative(relativeTo, this.root) || path.basename(this.root) : path.basename(this.root);
    return `${this.name} (${where}, ${this.files.size} file${this.files.size === 1 ? '' : 's'})`;
  }

  private byFile: Map<string, Definition[]> | undefined;

  /** The definitions written in one file (made once per configuration: a check asks for every file). */
  definitionsIn(file: string): readonly Definition[] {
    if (!this.byFile) {
      this.byFile = new Map();
      for (const d of this.definitions) addTo(this.byFile, d.file, d);
    }
    return this.byFile.get(file) ?? [];
  }

  /** Definitions of exactly this option. */
  get(option: string): readonly Definition[] {
    return this.byPath.get(option) ?? [];
  }

  /** Could a module we did not read, or a value we could not see into, define this option? */
  hidden(option: string): boolean {
    const parts = option.split('.');
    if (this.unseen.length) return true;
    if (this.known.some(k => k.defines.some(p => overlaps(p.split('.'), parts)))) return true;
    return this.opaque.some(o => overlaps(o.path, parts));
  }

  isSet(option: string): Answer {
    const defs = this.get(option);
    if (defs.some(d => !d.conditional)) return 'set';
    if (defs.length || this.hidden(option)) return 'unknown';
    return 'unset';
  }

  /**
   * The definitions that decide an option's value: those at the best priority. Unknown when a
   * conditional one might win, or when a definition we cannot see could outrank a mkDefault.
   */
  resolve(option: string): Resolved {
    const defs = this.get(option);
    const hidden = this.hidden(option);
    if (!defs.length) return hidden ? { kind: 'unknown' } : { kind: 'unset' };
    const best = Math.min(...defs.map(d => d.priority));
    const winners = defs.filter(d => d.priority === best);
    const sure = winners.filter(d => !d.conditional);
    if (!sure.length) return { kind: 'unknown' };
    if (winners.length !== sure.length && !winners.every(d => sameValue(d.value, sure[0].value))) return { kind: 'unknown' };
    if (hidden && best > PRIORITY.normal) return { kind: 'unknown' };
    return { kind: 'known', defs: sure, hidden };
  }

  /** Is a boolean option true? An unset option has its default, false for the options we ask about. */
  isTrue(option: string): Truth {
    const r = this.resolve(option);
    if (r.kind === 'unset') return false;
    if (r.kind === 'unknown') return 'unknown';
    const values = r.defs.map(d => d.value);
    if (values.every(v => v.kind === 'bool' && v.value)) return true;
    if (values.every(v => v.kind === 'bool' && !v.value)) return false;
    return 'unknown';
  }

  /** Does a list option (merged across modules) hold this string? */
  listHas(option: string, item: string): Truth {
    const r = this.resolve(option);
    if (r.kind === 'unset') return false;
    if (r.kind === 'unknown') return 'unknown';
    if (r.defs.some(d => literalListHas(d.value, item))) return true;
    if (r.hidden || r.defs.some(d => d.value.kind !== 'list' || d.value.items.some(i => i.kind === 'other'))) return 'unknown';
    return false;
  }

  /** The definitions in this configuration that make `option` true / hold `item`. */
  trueDefs(option: string): Definition[] {
    const r = this.resolve(option);
    return r.kind === 'known' ? r.defs.filter(d => d.value.kind === 'bool' && d.value.value) : [];
  }

  listDefs(option: string, item: string): Definition[] {
    const r = this.resolve(option);
    return r.kind === 'known' ? r.defs.filter(d => literalListHas(d.value, item)) : [];
  }

  /** Is the option declared by one of the configuration's own modules (or may it be)? */
  declares(option: readonly string[]): Answer {
    for (const d of this.declarations) {
      // only the module system the configuration is of: a home-manager module's option is not NixOS's
      if (d.set !== this.set) continue;
      if (d.opaque ? overlaps(d.path, option) : d.path.length <= option.length && overlaps(d.path, option)) return d.opaque ? 'unknown' : 'set';
    }
    if (this.unseen.length) return 'unknown';
    if (this.known.some(k => k.declares.some(p => overlaps(p.split('.'), option)))) return 'unknown';
    return 'unset';
  }

  /**
   * Does the configuration allow unfree packages: any (`kind` undefined), or the NVIDIA driver or
   * CUDA, where an allowUnfreePredicate was evaluated for them?
   */
  unfree(kind?: 'driver' | 'cuda'): Truth {
    if (this.set === 'home-manager' && this.parent) {
      const global = this.parent.isTrue('home-manager.useGlobalPkgs');
      if (global === true) return this.parent.unfree(kind);
      const own = this.ownUnfree(kind);
      if (own === true) return true;
      return global === 'unknown' || own === 'unknown' ? 'unknown' : false;
    }
    return this.ownUnfree(kind);
  }

  private ownUnfree(kind: 'driver' | 'cuda' | undefined): Truth {
    const answers: Truth[] = [];
    if (this.instance) answers.push(instanceUnfree(this.instance));
    if (this.isSet('nixpkgs.pkgs') !== 'unset') answers.push('unknown');
    for (const option of UNFREE_OPTIONS) {
      const r = this.resolve(option);
      if (r.kind === 'unknown') answers.push('unknown');
      else if (r.kind === 'known') answers.push(r.defs.some(d => allows(d, kind)));
    }
    if (answers.includes(true)) return true;
    return answers.includes('unknown') ? 'unknown' : false;
  }
}

/** Does one definition of an unfree option let the package in (any unfree one, or the driver / CUDA)? */
function allows(d: Definition, kind: 'driver' | 'cuda' | undefined): boolean {
  if (d.value.kind === 'bool') return d.value.value;
  if (d.value.kind === 'list') {
    // a list of package names (allowUnfreePackages): an empty one lets nothing in
    const names = d.value.items.map(i => (i.kind === 'string' ? i.value : undefined));
    if (!names.length) return false;
    if (!kind || names.includes(undefined)) return true;
    return names.some(n => (kind === 'driver' ? /^nvidia/ : /^(cuda|libcu|libnv|cudnn|nccl)/).test(n!));
  }
  return !kind || d.accepts?.[kind] !== false;
}

const UNFREE_OPTIONS = [
  'nixpkgs.config.allowUnfree', 'nixpkgs.config.allowUnfreePredicate', 'nixpkgs.config.allowUnfreePackages', 'nixpkgs.allowUnfreePackages',
];

/** Does a nixpkgs instance allow unfree packages? `pure`: evaluated purely, so no user config is read. */
export function instanceUnfree(i: Instance, pure = true): Truth {
  switch (i.kind) {
    case 'legacy':
      return false;
    case 'import':
      if (i.config === 'unknown') return 'unknown';
      if (i.config === 'none') return pure ? false : 'unknown';
      return i.config.allowsUnfree;
    default:
      return 'unknown';
  }
}

function literalListHas(v: Value, item: string): boolean {
  return v.kind === 'list' && v.items.some(i => i.kind === 'string' && i.value === item);
}

function sameValue(a: Value, b: Value): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What the workspace's files say together: configurations, and which files Nix evaluates purely. */
export interface WorkspaceAnalysis {
  configurationsOf(file: string): Configuration[];
  isPure(file: string): boolean;
  /** How the workspace calls a file, caller by caller (callers.ts); empty for a file nothing here calls. */
  callersOf(file: string): readonly Caller[];
  /** The facts of every file analysed, by path. */
  facts(): ReadonlyMap<string, ModuleFacts>;
}

/** `./hosts/gpu` means `./hosts/gpu/default.nix` when that is a file we know. */
function resolver(facts: ReadonlyMap<string, ModuleFacts>): (p: string) => string {
  return p => (facts.has(p) || p.endsWith('.nix') ? p : facts.has(path.join(p, 'default.nix')) ? path.join(p, 'default.nix') : p);
}

/** A module of nixpkgs itself (`modulesPath + "/…"`, `<nixpkgs/nixos/modules/…>`). */
function nixpkgsModule(text: string): boolean {
  return /modulesPath|^<nixpkgs\/nixos\/modules\//.test(text.replace(/[\s()]/g, ''));
}

/** Could a module we could not read be a file of this workspace? Not a flake input's module, nor nixpkgs'. */
function mayBeLocal(text: string): boolean {
  const t = text.replace(/[\s()]/g, '');
  if (/^(?:inputs\.)?(?!self\.)[\w-]+\.(?:nixosModules|homeManagerModules|homeModules|modules)\.[\w.-]+$/.test(t)) return false;
  return !/modulesPath|^<nixpkgs\//.test(t);
}

function joinScope(outer: string | undefined, inner: string | undefined): string | undefined {
  return outer && inner ? `${outer}/${inner}` : inner ?? outer;
}

/** One module reached from a root: a file's top module or a system's inline modules, and how it was reached. */
interface Reached {
  file: string;
  sink: Sink;
  /** Named as it is by a module list (not a function called for its module). */
  direct?: boolean;
  /** The scope the module was reached in (a specialisation, a home-manager user). */
  scope?: string;
  /** The set it was imported as; its own unscoped definitions are read as that set. */
  set: OptionSetName;
  /** A module summed up from our catalog of input modules: no file of the configuration. */
  virtual?: boolean;
  /** Where the workspace brings this module in, when it is a module from outside (an input's). */
  via?: Place & { what: string };
  /** The flake input this module is from (read from its source, or summed up). */
  input?: string;
}

/** A module read from outside the workspace: summed up, or in the store (a flake input's source). */
function outside(r: Reached): boolean {
  return !!r.virtual || inStore(r.file);
}

/** A view of the reached modules: the configuration itself, one specialisation, one home-manager user … */
interface ViewKey {
  key: string | undefined;
  set: OptionSetName;
  includes(scope: string | undefined): boolean;
}

function viewsOf(rootSet: OptionSetName, scopes: Set<string | undefined>): ViewKey[] {
  const views: ViewKey[] = [{ key: undefined, set: rootSet, includes: s => s === undefined }];
  for (const s of scopes) {
    if (!s || s.includes('/')) continue;
    if (s.startsWith('spec:')) views.push({ key: s, set: rootSet, includes: x => x === undefined || x === s });
    else if (s.startsWith('hm:')) views.push({ key: s, set: 'home-manager', includes: x => x === s || x === 'hm-shared' });
    else if (s.startsWith('export:')) views.push({ key: s, set: exportedModuleSet(s.slice(7).split('.')) ?? 'nixos', includes: x => x === s });
  }
  return views;
}

function viewName(root: string, key: string | undefined): string {
  if (!key) return root;
  if (key.startsWith('spec:')) return `${root}, specialisation ${key.slice(5)}`;
  if (key.startsWith('hm:')) return `${root}, home-manager user ${key.slice(3)}`;
  return key;
}

/**
 * `partial`: not every .nix file of the workspace was read (it has more than the server reads):
 * a module nothing read imports may be imported by one that was not read, so it is never taken for
 * the root of a configuration.
 */
export function analyzeWorkspace(facts: ReadonlyMap<string, ModuleFacts>, partial = false): WorkspaceAnalysis {
  const resolve = resolver(facts);
  const flakeDirs = [...facts.keys()].filter(f => path.basename(f) === 'flake.nix').map(f => path.dirname(f));
  // Module lists we could not read that may name a file of this workspace (a computed path, a
  // function's result): then no module here can be taken for the root of its configuration.
  const dynamic = [...facts.values()].some(m => [m, ...m.systems].some(s => s.imports.some(i => i.kind === 'unseen' && mayBeLocal(i.text))));
  const inputsFor = (file: string) => {
    const dir = flakeDirs.filter(d => file.startsWith(d + path.sep)).sort((a, b) => b.length - a.length)[0];
    return dir ? facts.get(path.join(dir, 'flake.nix'))?.inputs ?? {} : {};
  };

  /** Every module reached from a root's module list, with the scope and set it was reached in. */
  const reach = (start: Reached): { reached: Reached[]; unseen: Unseen[]; known: KnownModule[] } => {
    const reached: Reached[] = [start];
    const unseen: Unseen[] = [];
    const known: KnownModule[] = [];
    const seen = new Set<string>();
    const inputs = inputsFor(start.file);
    const queue: Array<{ ref: ModuleRef; via: Reached }> = start.sink.imports.map(ref => ({ ref, via: start }));
    while (queue.length) {
      const { ref, via } = queue.shift()!;
      const scope = joinScope(via.scope, ref.scope);
      // the place in the workspace that brings a module from outside in: where it is named, or where its importer was
      const site = ref.kind !== 'unseen' && ref.at && !inStore(ref.at.file)
        ? { ...ref.at, what: ref.kind === 'module' ? (ref.virtual ? ref.file.replace(/ \(summary\)$/, '') : path.basename(ref.file)) : path.basename(ref.path) }
        : via.via;
      if (ref.kind === 'unseen') {
        const k = knownModule(ref.text, inputs);
        if (k) known.push(k);
        // what an input's module includes and we could not read is the input's
        else if (via.input && ref.why?.kind !== 'input') unseen.push({ text: ref.text, scope, why: { kind: 'input', text: `input ${via.input}: ${ref.why?.text ?? ref.text}`, input: via.input } });
        else unseen.push({ text: ref.text, scope, ...(ref.why ? { why: ref.why } : {}) });
        continue;
      }
      const input = ref.input ?? via.input;
      if (ref.kind === 'module') {
        const r: Reached = { file: ref.file, sink: ref.sink, scope, set: ref.set, direct: true, ...(ref.virtual ? { virtual: true } : {}), ...(site ? { via: site } : {}), ...(input ? { input } : {}) };
        reached.push(r);
        for (const next of ref.sink.imports) queue.push({ ref: next, via: r });
        continue;
      }
      const file = resolve(ref.path);
      const key = `${file}\0${scope ?? ''}\0${ref.set}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const m = facts.get(file);
      if (!m) {
        unseen.push({ text: `${path.basename(file)} (not found or not read)`, scope });
        continue;
      }
      const r: Reached = { file, sink: m, scope, set: ref.set, direct: !ref.applied, ...(site ? { via: site } : {}), ...(input ? { input } : {}) };
      reached.push(r);
      for (const next of m.imports) queue.push({ ref: next, via: r });
    }
    return { reached, unseen, known };
  };

  // Every declaration here: a module nothing imports may be imported along with any of them.
  const everyDeclaration = [...facts.values()].flatMap(m => [m, ...m.systems].flatMap(s => s.declarations));

  /** The configurations (one per view) a root makes. */
  const build = (name: string, set: OptionSetName, root: string, start: Reached, extraUnseen: Unseen[], instance?: Instance, release?: string): Configuration[] => {
    const { reached, unseen, known } = reach(start);
    unseen.push(...extraUnseen);
    const scopeOf = (r: Reached, s: string | undefined) => joinScope(r.scope, s);
    const scopes = new Set<string | undefined>();
    for (const r of reached) for (const d of r.sink.definitions) scopes.add(scopeOf(r, d.scope));
    for (const r of reached) scopes.add(r.scope);
    const out: Configuration[] = [];
    let base: Configuration | undefined;
    for (const view of viewsOf(set, scopes)) {
      const relabel = <T extends { set: OptionSetName; scope?: string }>(r: Reached, x: T): T =>
        x.scope === undefined && r.set !== x.set ? { ...x, set: r.set } : x;
      const pick = <T extends { set: OptionSetName; scope?: string }>(get: (s: Sink) => readonly T[]) =>
        reached.flatMap(r => get(r.sink).filter(x => view.includes(scopeOf(r, x.scope))).map(x => relabel(r, x))).filter(x => x.set === view.set);
      // a definition of a module from outside is reported where the workspace brings the module in
      const brought = new Set(reached.filter(r => r.via && outside(r)).map(r => r.sink));
      // what a module of a flake input leaves unreadable is that input's
      const opaque = reached.flatMap(r => r.sink.opaque.filter(x => view.includes(scopeOf(r, x.scope))).map(x => relabel(r, r.input && !x.input ? { ...x, input: r.input } : x))).filter(x => x.set === view.set);
      const definitions = brought.size
        ? reached.flatMap(r => r.sink.definitions.filter(x => view.includes(scopeOf(r, x.scope))).map(x => relabel(r, brought.has(r.sink) ? { ...x, via: r.via } : x))).filter(x => x.set === view.set)
        : pick(s => s.definitions);
      const files = new Set(reached.filter(r => !r.virtual && (view.includes(r.scope) || r.file === root)).map(r => r.file));
      const cfg: Configuration = new Configuration(
        viewName(name, view.key), view.set, root, files,
        definitions, pick(s => s.optionSets), opaque,
        extraUnseen.length ? everyDeclaration : reached.flatMap(r => r.sink.declarations.map(d => (d.set !== r.set ? { ...d, set: r.set } : d))),
        unseen.filter(u => view.includes(u.scope) || u.scope === undefined),
        known,
        view.key?.startsWith('hm:') ? undefined : instance,
        view.key?.startsWith('hm:') ? base : undefined,
        new Set(reached.filter(r => r.direct && files.has(r.file)).map(r => r.file)),
        view.key?.startsWith('hm:') ? undefined : release,
        extraUnseen.length > 0,
      );
      const settled = cfg.settled();
      if (!view.key) base = settled;
      out.push(settled);
    }
    return out;
  };

  const configurations: Configuration[] = [];
  const imported = new Set<string>();
  // a nixosSystem call that evaluation reached (in a helper, once per host) is read from there
  const covered = new Set<string>();
  for (const m of facts.values()) for (const s of m.systems) if (s.call) covered.add(`${s.call.file}\0${s.call.start}`);
  const importedBy = (refs: readonly ModuleRef[]) => {
    for (const i of refs) {
      if (i.kind === 'file') imported.add(resolve(i.path));
      else if (i.kind === 'module') importedBy(i.sink.imports);
    }
  };
  for (const m of facts.values()) {
    importedBy(m.imports);
    for (const s of m.systems) {
      if (!s.call && covered.has(`${m.file}\0${s.span.start}`)) continue;
      importedBy(s.imports);
      const start: Reached = { file: m.file, sink: s, set: s.set };
      configurations.push(...build(s.name, s.set, m.file, start, [], s.pkgs, s.release));
    }
  }
  const lone = new Map<string, Configuration[]>();
  const exported = new Map<string, Configuration[]>();
  for (const m of facts.values()) {
    if (m.set && !isFlakeSet(m.set) && !imported.has(m.file)) {
      // A configuration.nix that nothing imports is a root (/etc/nixos style), unless a module list
      // here is computed and might include it; any other module may be imported from elsewhere.
      const root = path.basename(m.file) === 'configuration.nix' && !dynamic && !partial;
      const extra = root ? [] : [{ text: `whatever imports ${path.basename(m.file)}${partial ? ' (the workspace has more .nix files than were read)' : ''}` }];
      const cfgs = build(path.basename(m.file), m.set, m.file, { file: m.file, sink: m, set: m.set }, extra);
      if (root) configurations.push(...cfgs);
      else for (const c of cfgs) for (const f of c.files) addTo(lone, f, c);
    }
    // Modules a flake exports are judged on what they say themselves, unless something imports them.
    if (m.definitions.some(d => d.scope?.startsWith('export:')) || m.imports.some(i => i.scope?.startsWith('export:'))) {
      const views = build(path.basename(m.file), 'nixos', m.file, { file: m.file, sink: m, set: 'nixos' }, [{ text: `whatever imports the modules ${path.basename(m.file)} exports` }]);
      for (const c of views.filter(v => v.name.startsWith('export:'))) for (const f of c.files) addTo(exported, f, c);
    }
  }

  /**
   * Files Nix evaluates from each flake.nix on: imported, called, or listed as modules, and every
   * module of a configuration the flake defines (reached through helpers and folders too).
   */
  const pure = new Set<string>();
  const fromFlake = new Map<string, string[]>();
  for (const c of configurations) {
    if (path.basename(c.root) !== 'flake.nix') continue;
    fromFlake.set(c.root, [...(fromFlake.get(c.root) ?? []), ...c.files]);
  }
  for (const dir of flakeDirs) {
    const flake = path.join(dir, 'flake.nix');
    const queue = [flake, ...(fromFlake.get(flake) ?? [])];
    while (queue.length) {
      const f = resolve(queue.pop()!);
      if (pure.has(f)) continue;
      pure.add(f);
      queue.push(...(facts.get(f)?.evaluates ?? []));
    }
  }

  let callers: CallerIndex | undefined;

  const byFile = new Map<string, Configuration[]>();
  for (const c of configurations) for (const f of c.files) addTo(byFile, f, c);
  return {
    configurationsOf(file) {
      const own = byFile.get(file) ?? lone.get(file) ?? [];
      const exports = exported.get(file);
      return exports ? [...own, ...exports] : own;
    },
    isPure: file => pure.has(file),
    callersOf: file => (callers ??= callerIndex(facts)).of(file),
    facts: () => facts,
  };
}
