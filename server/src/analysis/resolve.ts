import * as path from 'path';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { START, Walker, type WalkHooks } from './definitionWalker';
import { Evaluator } from './eval/evaluate';
import { flakeConfigurations, flakeValues } from './eval/flake';
import type { World } from './eval/evaluate';
import { moduleItems, oneModule, type ModuleItem } from './eval/moduleItems';
import { equalValues } from './eval/prims';
import { isUnknown, Thunk, unknown, type Env, type FlakeInputs, type Value as EvalValue } from './eval/value';
import { factsWithHooks, type FactsMemo } from './definitions';
import { emptySink, PRIORITY, type Definition, type Instance, type ModuleFacts, type ModuleRef, type Opaque, type Sink, type SystemFacts, type Value } from './facts';
import { fileContext, type Context, type OptionSetName } from './moduleContext';
import { pathToFileURL } from 'url';
import { ScopeCache } from './scopes';
import { shortText } from './values';

/**
 * The second reading of a file: where the first (definitions.ts) met a module list it could not
 * follow, or a flake whose configurations come out of helpers, evaluate it (eval/) over the
 * workspace and the flake inputs' locked sources, and read the modules found as the walk reads
 * any module. The result is the file's facts with those unseen modules replaced by what they are,
 * and with the configurations the flake's outputs really define.
 */

export interface ResolveWorld extends World {
  /** The inputs of the flake a file belongs to (the nearest flake.nix above it). */
  flakeInputs(file: string): FlakeInputs | undefined;
  /** An input's own flake (its inputs, where its source is), when its source is on this machine. */
  inputFlake(of: FlakeInputs, name: string): FlakeInputs | undefined;
  /** Our summary of a widely used input module (what it sets), for an input whose source is not here. */
  summary(kind: string, attrPath: readonly string[], set: OptionSetName): Sink | undefined;
}

export interface Resolution {
  facts: ModuleFacts;
  /** What the result depends on: files read and folders listed (by this reading or one it reused). */
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
}

/**
 * One evaluation shared by the readings of one analysis: a flake evaluated for one file (its
 * configurations, the arguments they give modules) serves every other file of the flake.
 */
export class ResolveSession {
  readonly ev: Evaluator;
  readonly scopes = new Map<string, ScopeCache>();
  readonly moduleArgs = new Map<string, Map<string, Thunk | undefined>>();
  readonly readings = new Map<string, ReturnType<typeof flakeConfigurations>>();
  /** Walks under way, one within another. */
  walks = 0;

  constructor(readonly world: ResolveWorld, steps?: number) {
    this.ev = new Evaluator(world, { flakeOf: f => world.flakeInputs(f), inputFlake: (of, name) => world.inputFlake(of, name), ...(steps ? { steps } : {}) });
  }

  /** The configurations of a flake, evaluated once per session. */
  reading(file: string, inputs: FlakeInputs): ReturnType<typeof flakeConfigurations> {
    let r = this.readings.get(file);
    if (!r) this.readings.set(file, (r = flakeConfigurations(this.ev, file, inputs)));
    return r;
  }
}

/** Modules read within modules read within …: deeper than this is unseen. */
const MAX_NESTING = 24;
/** Walks within walks (a module found while walking a module …): past this, what is left is opaque. */
const MAX_WALKS = 8;
/** Names the module system passes itself: never a flake input, even when an input has the name. */
const MODULE_ARGS = new Set(['config', 'lib', 'pkgs', 'options', 'modulesPath', 'specialArgs', 'name', 'utils']);

/**
 * Does the file need a second reading: a flake, or anything the first could not follow (a module
 * list, an option value, a computed name, a condition that is not a test of options)?
 */
export function needsResolution(file: string, facts: ModuleFacts): boolean {
  if (path.basename(file) === 'flake.nix') return true;
  return [facts, ...facts.systems].some(s =>
    s.imports.some(i => i.kind === 'unseen' && i.span)
    || s.opaque.some(o => o.file === file)
    || s.declarations.some(d => d.opaque)
    || s.definitions.some(d => (d.conditional && !d.when) || d.path[d.path.length - 1] === 'allowUnfreePredicate'));
}

/** `memo`: what the first reading of an open document's units gave (definitions.ts sharedFactsMemo). */
export function resolveFacts(session: ResolveSession, doc: NixDocument, facts: ModuleFacts, memo?: FactsMemo): Resolution {
  const r = new Resolver(session, facts.file);
  session.ev.refill();
  const resolved = factsWithHooks(doc, r.hooks(facts.file, undefined, 0), r.scopesOf(facts.file), memo);
  if (path.basename(facts.file) === 'flake.nix') {
    const systems = r.flakeSystems(facts.file);
    resolved.systems.push(...systems.found);
    resolved.configurationsKnown = systems.complete;
  }
  return { facts: resolved, files: r.ev.files, dirs: r.ev.dirs };
}

/** The module references of a module value evaluation found (one of a flake's nixosModules, say). */
export function moduleRefsOf(session: ResolveSession, file: string, value: EvalValue, set: OptionSetName): ModuleRef[] {
  return new Resolver(session, file).refsOf(value, set);
}

class Resolver {
  readonly ev: Evaluator;
  private readonly world: ResolveWorld;
  private readonly scopes: Map<string, ScopeCache>;

  constructor(private readonly session: ResolveSession, private readonly file: string) {
    this.ev = session.ev;
    this.world = session.world;
    this.scopes = session.scopes;
  }

  /**
   * What an option value evaluation found defines under `at.path`: an attribute set written
   * somewhere (read by the walk, with its environment), or one computed (its leaves become
   * definitions at `at`'s place). Undefined when it shows nothing readable.
   */
  private options(raw: EvalValue, at: Opaque, depth: number): Sink | undefined {
    const v = this.ev.value(raw);
    if (v.t !== 'attrs') return undefined;
    const sink = emptySink();
    const frame = { ...START, top: false, conditional: at.conditional ?? false, ...(at.priority !== undefined ? { priority: at.priority } : {}), ...(at.scope ? { scope: at.scope } : {}) };
    if (v.node && v.file && v.env && raw.t !== 'merged') {
      this.walkWith(v.node, v.file, v.env, depth, sink, { kind: 'options', set: at.set, path: at.path }, frame);
      return sink;
    }
    this.flatten(v, at, [], sink, depth, at.priority, at.conditional ?? false);
    return sink;
  }

  /** Definitions from a computed attribute set: its leaves, with mkDefault / mkForce / mkIf as the module system reads them. */
  private flatten(v: EvalValue, at: Opaque, prefix: string[], sink: Sink, depth: number, priority: number | undefined, conditional: boolean): void {
    const p = [...at.path, ...prefix];
    const opaque = (): void => {
      sink.opaque.push({ ...at, path: p, ...(conditional ? { conditional } : {}) });
    };
    if (depth > 12 || sink.definitions.length > 500) return opaque();
    const value = this.ev.value(v);
    if (value.t === 'attrs') {
      const type = value.attrs.get('_type');
      const kind = type ? this.ev.forceValue(type) : undefined;
      const content = value.attrs.get('content');
      if (kind?.t === 'string' && kind.v === 'override' && content) {
        const pr = value.attrs.get('priority');
        const n = pr ? this.ev.forceValue(pr) : undefined;
        return this.flatten(content.get(), at, prefix, sink, depth + 1, priority ?? (n?.t === 'number' ? n.v : undefined), conditional);
      }
      if (kind?.t === 'string' && kind.v === 'if' && content) {
        const c = value.attrs.get('condition');
        const cond = c ? this.ev.forceValue(c) : undefined;
        if (cond?.t === 'bool' && !cond.v) return;
        return this.flatten(content.get(), at, prefix, sink, depth + 1, priority, conditional || cond?.t !== 'bool');
      }
      if (kind) return opaque();
      if (value.node && value.file && value.env) {
        const frame = { ...START, top: false, conditional, ...(priority !== undefined ? { priority } : {}), ...(at.scope ? { scope: at.scope } : {}) };
        this.walkWith(value.node, value.file, value.env, depth, sink, { kind: 'options', set: at.set, path: p }, frame);
        return;
      }
      for (const [k, t] of value.attrs) this.flatten(t.get(), at, [...prefix, k], sink, depth + 1, priority, conditional);
      return;
    }
    if (!prefix.length) return opaque();
    const literal = factValue(this.ev, value) ?? (value.t === 'lambda' || value.t === 'prim' ? { kind: 'other' as const, text: 'a function' } : undefined);
    if (!literal) return opaque();
    const accepts = p[p.length - 1] === 'allowUnfreePredicate' ? this.accepts(value) : undefined;
    sink.definitions.push({
      file: at.file, set: at.set, path: p, written: p, value: literal, key: at.span, valueSpan: at.span, binding: at.span,
      conditional, priority: priority ?? PRIORITY.normal, ...(at.scope ? { scope: at.scope } : {}), ...(accepts ? { accepts } : {}),
    });
  }

  /** The configurations the flake defines, each read from its builder's arguments, and whether that is all of them. */
  flakeSystems(file: string): { found: SystemFacts[]; complete: boolean } {
    const inputs = this.world.flakeInputs(file);
    if (!inputs) return { found: [], complete: false };
    const reading = this.session.reading(file, inputs);
    const out: SystemFacts[] = [];
    for (const c of reading.configurations) {
      const v = c.value;
      if (v.t !== 'system') continue;
      const args = this.ev.forceValue(v.args);
      const sink = emptySink();
      let pkgs: Instance | undefined;
      if (args.t === 'attrs') {
        const modules = args.attrs.get('modules');
        if (modules) sink.imports.push(...this.refs(moduleItems(this.ev, modules), v.set, undefined, 0));
        const p = args.attrs.get('pkgs');
        if (p) pkgs = instanceOf(this.ev, p);
      } else {
        sink.imports.push({ kind: 'unseen', text: `the arguments of ${c.output}.${c.name}`, set: v.set, conditional: false, why: isUnknown(args) ? args.why : { kind: 'unsupported', text: 'arguments that are not an attribute set' } });
      }
      const release = v.input ? inputs.release(v.input) : undefined;
      out.push({
        name: c.name, set: v.set, file: v.file, span: { start: v.call.startIndex, end: v.call.endIndex }, ...sink,
        call: { file: v.file, start: v.call.startIndex },
        ...(pkgs ? { pkgs } : {}), ...(v.input ? { input: v.input } : {}), ...(release ? { release } : {}),
      });
    }
    return { found: out, complete: reading.unknown.length === 0 };
  }

  /**
   * What a module argument is: what every configuration of the file's flake passes under that name
   * (specialArgs, `lib`), when they all pass the same; else a flake's `inputs`, `self`, or an input
   * by name; else unknown.
   */
  private argument(file: string): (name: string) => Thunk | undefined {
    let darwin: boolean | undefined;
    return name => {
      const inputs = this.world.flakeInputs(file);
      if (!inputs) return undefined;
      const flake = path.join(inputs.dir, 'flake.nix');
      const passed = this.passed(flake, inputs, (darwin ??= this.isDarwin(file))).get(name);
      if (passed) return passed;
      if (MODULE_ARGS.has(name)) return undefined;
      if (name === 'inputs') return flakeValues(this.ev, flake, inputs).inputs;
      if (name === 'self') return new Thunk(() => this.ev.selectName(flakeValues(this.ev, flake, inputs).inputs.get(), 'self'));
      if (inputs.names.has(name)) return Thunk.of({ t: 'input', flake: inputs, name, path: [] });
      return undefined;
    };
  }

  /** Is the file a nix-darwin module (by what it sets)? Its arguments come from darwin configurations only. */
  private isDarwin(file: string): boolean {
    const doc = this.world.doc(file);
    const ctx = doc && fileContext({ uri: pathToFileURL(file).href, root: doc.tree.rootNode });
    return ctx?.kind === 'module' && ctx.set === 'darwin';
  }

  /**
   * The module arguments every configuration of a flake passes alike (specialArgs, lib): of its
   * darwin configurations for a darwin module, of the others for the rest (a Mac's builder passes
   * its own stateVersion, an integer, where the NixOS hosts pass "25.11").
   */
  private passed(flake: string, inputs: FlakeInputs, darwin: boolean): Map<string, Thunk | undefined> {
    const key = darwin ? `${flake}#darwin` : flake;
    let known = this.session.moduleArgs.get(key);
    if (known) return known;
    known = new Map();
    this.session.moduleArgs.set(key, known);
    const given = new Map<string, EvalValue[]>();
    const reading = this.session.reading(flake, inputs);
    for (const c of reading.configurations) {
      if (c.value.t !== 'system' || (c.value.set === 'darwin') !== darwin) continue;
      const args = this.ev.forceValue(c.value.args);
      if (args.t !== 'attrs') continue;
      const special = args.attrs.get(c.value.set === 'home-manager' ? 'extraSpecialArgs' : 'specialArgs');
      const set = special ? this.ev.forceValue(special) : undefined;
      const pairs: Array<[string, Thunk]> = set?.t === 'attrs' ? [...set.attrs] : [];
      const lib = args.attrs.get('lib');
      if (lib) pairs.push(['lib', lib]);
      for (const [k, t] of pairs) {
        const list = given.get(k) ?? [];
        list.push(this.ev.forceValue(t));
        given.set(k, list);
      }
    }
    for (const [k, values] of given) {
      const first = values[0];
      // two pins of one repository (home-manager and home-manager-stable) give modules of the same shape
      const sameRepo = (v: EvalValue) => v.t === 'input' && first.t === 'input' && v.path.join('.') === first.path.join('.') && v.flake.kind(v.name) === first.flake.kind(first.name);
      const same = values.every(v => v === first || equalValues(this.ev, v, first) === true || sameRepo(v));
      known.set(k, Thunk.of(same ? first : unknown('argument', `argument ${k} (configurations pass different values)`)));
    }
    return known;
  }

  refsOf(value: EvalValue, set: OptionSetName): ModuleRef[] {
    return this.refs(oneModule(this.ev, Thunk.of(value)), set, undefined, 0);
  }

  private refs(items: ModuleItem[], set: OptionSetName, scope: string | undefined, depth: number, at?: { span?: { start: number; end: number } }): ModuleRef[] {
    const out: ModuleRef[] = [];
    for (const item of items) {
      const base = { set, conditional: item.conditional, ...(scope ? { scope } : {}), ...(item.at ? { at: { file: item.at.file, span: { start: item.at.start, end: item.at.end } } } : {}) };
      switch (item.kind) {
        case 'file':
          out.push({ kind: 'file', path: item.path, ...base, ...(item.applied ? { applied: true } : {}) });
          break;
        case 'unseen':
          out.push({ kind: 'unseen', text: item.text, ...base, why: item.why, ...(at?.span && items.length === 1 ? { span: at.span } : {}) });
          break;
        case 'inline':
          if (depth >= MAX_NESTING) out.push({ kind: 'unseen', text: shortText(item.node), ...base, why: { kind: 'budget', text: 'modules nested too deep' } });
          else out.push({ kind: 'module', file: item.file, sink: this.walk(item.node, item.file, item.env, set, depth + 1), ...base });
          break;
        case 'value':
          if (depth >= MAX_NESTING) out.push({ kind: 'unseen', text: item.text, ...base, why: { kind: 'budget', text: 'modules nested too deep' } });
          else out.push({ kind: 'module', file: item.at?.file ?? this.file, sink: this.valueModule(item, set, depth + 1), ...base });
          break;
        case 'input': {
          // what the input's module brings in is brought in where the input's module is named, and is the input's
          const site = base.at;
          out.push(...this.inputRefs(item, set, scope, depth).map(r => (r.kind === 'unseen' ? (site ? { ...r, at: site } : r) : { ...r, input: item.input, ...(site ? { at: site } : {}) })));
          break;
        }
      }
    }
    return out;
  }

  /** A module of a flake input: read from its locked source when it is here, else summed up or unseen. */
  private inputRefs(item: Extract<ModuleItem, { kind: 'input' }>, set: OptionSetName, scope: string | undefined, depth: number): ModuleRef[] {
    const base = { set, conditional: item.conditional, ...(scope ? { scope } : {}) };
    const own = this.world.inputFlake(item.flake, item.input);
    if (own && depth < MAX_NESTING) {
      let v: EvalValue = flakeValues(this.ev, path.join(own.dir, 'flake.nix'), own).outputs.get();
      for (const name of item.attrPath) v = this.ev.selectName(v, name);
      if (!isUnknown(v)) return this.refs(oneModule(this.ev, Thunk.of(v), item.conditional), set, scope, depth + 1);
      return [{ kind: 'unseen', text: item.text, ...base, why: { kind: 'input', text: `input ${item.input}: ${v.why.text}`, input: item.input } }];
    }
    const summary = this.world.summary(item.flake.kind(item.input) ?? item.input, item.attrPath, set);
    if (summary) return [{ kind: 'module', file: `${item.text} (summary)`, sink: summary, ...base, virtual: true }];
    return [{ kind: 'unseen', text: item.text, ...base, why: { kind: 'input', text: `input ${item.input} (its locked source is not on this machine)`, input: item.input } }];
  }

  /**
   * A module that is a computed attribute set (made by a function, renamed-option modules): its
   * imports are modules, its definitions the leaves of `config` (or of the set, in the short form),
   * its `options` declare what they name (unknown how).
   */
  private valueModule(item: Extract<ModuleItem, { kind: 'value' }>, set: OptionSetName, depth: number): Sink {
    const sink = emptySink();
    const attrs = item.value.attrs;
    const span = item.at ? { start: item.at.start, end: item.at.end } : { start: 0, end: 0 };
    const at: Opaque = { file: item.at?.file ?? this.file, set, path: [], span, ...(item.conditional ? { conditional: true } : {}) };
    const full = attrs.has('config') || attrs.has('options');
    const imports = attrs.get('imports');
    if (imports) sink.imports.push(...this.refs(moduleItems(this.ev, imports, item.conditional), set, undefined, depth));
    for (const [k, t] of attrs) {
      if (k === 'imports' || k === '_file' || k === 'key' || k === 'disabledModules' || k === '_class' || k === 'meta' || k === 'freeformType') continue;
      if (k === 'options') {
        // declared somewhere under each leaf (an option, or a value we cannot see into)
        const declare = (v: EvalValue, p: string[], d: number): void => {
          if (v.t !== 'attrs' || v.attrs.has('_type') || d > 8) {
            sink.declarations.push({ set, path: p, opaque: true });
            return;
          }
          for (const [name, sub] of v.attrs) declare(this.ev.forceValue(sub), [...p, name], d + 1);
        };
        declare(this.ev.forceValue(t), [], 0);
        continue;
      }
      if (full && k !== 'config') continue;
      this.flatten(t.get(), at, full ? [] : [k], sink, depth, undefined, item.conditional);
    }
    return sink;
  }

  /** What an allowUnfreePredicate says of the NVIDIA driver and CUDA, called on stand-ins for them. */
  private accepts(fn: EvalValue): Definition['accepts'] {
    if (fn.t !== 'lambda' && fn.t !== 'prim') return undefined;
    const verdict = (name: string, version: string, license: string) => {
      const r = this.ev.forceValue(Thunk.of(this.ev.apply(fn, Thunk.of(standInPackage(name, version, license)))));
      return r.t === 'bool' ? r.v : undefined;
    };
    // the licences nixpkgs gives them: the driver is unfree redistributable, CUDA under NVIDIA's CUDA EULA
    const driver = verdict('nvidia-x11', '580.95.05', 'unfreeRedistributable');
    const cuda = verdict('cuda_cudart', '12.8.90', 'CUDA EULA');
    return driver === undefined && cuda === undefined ? undefined : { ...(driver !== undefined ? { driver } : {}), ...(cuda !== undefined ? { cuda } : {}) };
  }

  /** Read a module written inline (in a helper, a flake's outputs) with hooks into its environment. */
  private walk(node: Node, file: string, env: Env, set: OptionSetName, depth: number): Sink {
    const sink = emptySink();
    this.walkWith(node, file, env, depth, sink, { kind: 'module', set }, { ...START, top: false });
    return sink;
  }

  /** Walk `node` (written in `file`, evaluated in `env`) in context `ctx`, its unknowns asked of evaluation. */
  private walkWith(node: Node, file: string, env: Env, depth: number, sink: Sink, ctx: Context, frame: typeof START): void {
    // each walk recurses on the stack: walks within walks are bounded together, not each on its own
    if (this.session.walks >= MAX_WALKS) {
      sink.opaque.push({ file, set: ctx.kind === 'options' || ctx.kind === 'module' ? ctx.set : 'nixos', path: ctx.kind === 'options' ? ctx.path : [], span: { start: node.startIndex, end: node.endIndex } });
      return;
    }
    this.session.walks++;
    try {
      new Walker(file, this.scopesOf(file), undefined, this.hooks(file, { root: node, env }, depth)).walk(node, ctx, frame, sink);
    } finally {
      this.session.walks--;
    }
  }

  scopesOf(file: string): ScopeCache {
    let scopes = this.scopes.get(file);
    if (!scopes) this.scopes.set(file, (scopes = new ScopeCache()));
    return scopes;
  }

  /**
   * What a walk of `file` asks of evaluation, where the environment is built from `base` (a module
   * evaluation reached, with its environment) or from the file's top.
   */
  hooks(file: string, base: { root: Node; env: Env } | undefined, depth: number): WalkHooks {
    const argument = this.argument(file);
    const envOf = (n: Node) => this.ev.envAt(n, file, base, argument);
    const evaluate = (n: Node) => this.ev.forceValue(this.ev.thunk(n, envOf(n), file));
    return {
      modules: (n, list, s, conditional, scope) => {
        if (depth >= MAX_NESTING) return [{ kind: 'unseen', text: shortText(n), set: s, conditional, ...(scope ? { scope } : {}), why: { kind: 'budget', text: 'modules nested too deep' } }];
        const t = this.ev.thunk(n, envOf(n), file);
        const items = list ? moduleItems(this.ev, t, conditional) : oneModule(this.ev, t, conditional);
        return this.refs(items, s, scope, depth, base ? undefined : { span: { start: n.startIndex, end: n.endIndex } });
      },
      options: (n, at) => (depth >= MAX_NESTING ? undefined : this.options(this.ev.thunk(n, envOf(n), file).get(), at, depth + 1)),
      value: n => factValue(this.ev, evaluate(n)),
      bool: n => {
        const v = evaluate(n);
        return v.t === 'bool' ? v.v : undefined;
      },
      declaration: n => {
        const v = evaluate(n);
        if (v.t !== 'attrs') return undefined;
        const type = v.attrs.get('_type');
        const t = type ? this.ev.forceValue(type) : undefined;
        if (t?.t !== 'string' || t.v !== 'option') return undefined;
        const d = v.attrs.get('default');
        const value = d ? factValue(this.ev, this.ev.forceValue(d)) : undefined;
        return value ? { default: value } : {};
      },
      predicate: n => this.accepts(evaluate(n)),
      attrName: attr => {
        const name = this.ev.attrName(attr, envOf(attr), file);
        return typeof name === 'string' ? name : undefined;
      },
    };
  }
}

/** A package as an allowUnfreePredicate sees it: its name, version and an unfree licence. */
function standInPackage(pname: string, version: string, shortName: string): EvalValue {
  const license = { t: 'attrs', attrs: new Map([['free', Thunk.of({ t: 'bool', v: false })], ['shortName', Thunk.of({ t: 'string', v: shortName })]]) } as EvalValue;
  return {
    t: 'attrs',
    attrs: new Map([
      ['pname', Thunk.of({ t: 'string', v: pname })],
      ['version', Thunk.of({ t: 'string', v: version })],
      ['name', Thunk.of({ t: 'string', v: `${pname}-${version}` })],
      ['meta', Thunk.of({ t: 'attrs', attrs: new Map([['license', Thunk.of(license)]]) })],
    ]),
  };
}

/** A value evaluation found, as the facts write values: only what is literal enough to compare. */
function factValue(ev: Evaluator, v: EvalValue, depth = 0): Value | undefined {
  switch (v.t) {
    case 'bool':
      return { kind: 'bool', value: v.v };
    case 'string':
      return { kind: 'string', value: v.v };
    case 'number':
      return { kind: 'number', value: v.v };
    case 'null':
      return { kind: 'null' };
    case 'path':
      return { kind: 'path', value: v.v };
    case 'list': {
      if (depth > 4 || v.items.length > 64) return undefined;
      const items: Value[] = [];
      for (const t of v.items) items.push(factValue(ev, ev.forceValue(t), depth + 1) ?? { kind: 'other', text: '…' });
      return { kind: 'list', items };
    }
    default:
      return undefined;
  }
}

/** The nixpkgs a builder's `pkgs` argument is, as far as evaluation shows. */
function instanceOf(ev: Evaluator, t: Thunk): Instance {
  const v = ev.forceValue(t);
  if (v.t !== 'pkgs') return { kind: 'unknown' };
  if (v.legacy) return { kind: 'legacy' };
  if (!v.config) return { kind: 'unknown' };
  const config = ev.forceValue(v.config);
  if (config.t !== 'attrs') return { kind: 'import', config: 'unknown' };
  if (config.attrs.size === 0) return { kind: 'import', config: 'none' };
  for (const key of ['allowUnfree', 'allowUnfreePredicate', 'allowUnfreePackages']) {
    const o = config.attrs.get(key);
    if (!o) continue;
    if (key !== 'allowUnfree') return { kind: 'import', config: { allowsUnfree: true } };
    const b = ev.forceValue(o);
    if (b.t !== 'bool') return { kind: 'import', config: 'unknown' };
    if (b.v) return { kind: 'import', config: { allowsUnfree: true } };
  }
  return { kind: 'import', config: { allowsUnfree: false } };
}

export { unknown };
