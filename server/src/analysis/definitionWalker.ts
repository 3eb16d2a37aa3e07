import * as path from 'path';
import { attrsOf, bindingSetOf, staticAttrName, topLevelAttrs } from '../parse/attrNames';
import type { Node } from '../parse/language';
import type { Units } from '../parse/units';
import { unparenthesize } from '../parse/syntaxTree';
import { staticPath } from './fileRefs';
import { addSink, emptySink, isEmptySink, PRIORITY, shiftSink, sinkWithin, type ImportCall, type ModuleRef, type Opaque, type Pinned, type Sink, type Span, type SystemFacts, type Value } from './facts';
import { negatedTests, optionTests, type OptionTest } from './conditions';
import { instanceOf, simpleValue } from './instances';
import {
  attrsetContext, calledName, elementContext, exportedModuleSet, FLAKE_PARTS_ROOT, isFlakeSet, systemBuilder, step, type Context, type OptionSetName,
} from './moduleContext';
import { ScopeCache, resolveName } from './scopes';
import { applyArgs, describe, literalBool, PRIORITY_OF, shortText, TRANSPARENT, unwrap } from './values';

/**
 * The walk behind moduleFacts (definitions.ts): what a module defines and declares, option path by
 * option path, with the priority, condition and place of each definition.
 */

/** Calls whose value is an option declaration. */
const DECLARE = new Set([
  'mkOption', 'mkEnableOption', 'mkPackageOption', 'mkPackageOptionMD', 'mkSinkUndeclaredOptions', 'mkAliasOptionModule',
]);

/** Deeper than this, a walk stops and says it could not see: bounded on any input. */
const MAX_DEPTH = 200;

interface Frame {
  conditional: boolean;
  /** The option tests every condition above is (undefined: none, or one that is not such a test). */
  when?: OptionTest[];
  /** Set by the outermost priority wrapper; undefined is a plain definition. */
  priority?: number;
  scope?: string;
  depth: number;
  /** Let bindings being followed (by node id), so a cycle stops. */
  following: ReadonlySet<number>;
  /** Still at the file's own top: what cannot be read here is the module's body, not an import. */
  top: boolean;
}

export const START: Frame = { conditional: false, depth: 0, following: new Set(), top: true };

/**
 * What a large file's units contributed to its facts in earlier versions (see parse/units.ts):
 * an edit walks only the unit it touched. The owner keeps the tree the entries come from alive,
 * so a unit's id means the same subtree (see features/incrementalDiagnostics.ts).
 */
export interface FactsMemo {
  units: Units;
  /**
   * Per unit id: its sink under each walk state (context and frame), offsets from the unit's start,
   * and the copy last placed in the file (reused while the unit has not moved).
   */
  sinks: Map<number, Map<string, UnitSink>>;
  /** The files a unit's paths make Nix evaluate (`import ./x.nix`, `callPackage ./y { }`), what imports pass, and whether it calls nixosSystem. */
  paths: Map<number, UnitPaths>;
  /**
   * Per unit id, as `sinks`: what a second reading (with hooks) gave where it asked evaluation,
   * while the world evaluation reads stays as it was (`world`, kept by workspace/project.ts).
   * Only sinks made of this file's definitions, option sets and opaque regions inside the unit:
   * imports and what other files define carry places a move of the unit would not shift.
   */
  hooked?: { world: number; sinks: Map<number, Map<string, UnitSink>> };
}

/**
 * What a walk asks of evaluation when it reads a module that evaluation reached (written in a
 * helper, in a flake input): the modules a list it cannot read holds, values and conditions that
 * are not literals. Without hooks (a file read on its own) those are unseen or `other`.
 */
export interface WalkHooks {
  modules(node: Node, list: boolean, set: OptionSetName, conditional: boolean, scope: string | undefined): ModuleRef[];
  /** The definitions a value it cannot read makes under `at.path` (an import, a helper's result), if evaluation shows them. */
  options(node: Node, at: Opaque): Sink | undefined;
  value(node: Node): Value | undefined;
  bool(node: Node): boolean | undefined;
  /** A computed attribute name (`${namespace}`), evaluated. */
  attrName(attr: Node): string | undefined;
  /** An option declaration made by a helper, evaluated: its default when literal. */
  declaration(node: Node): { default?: Value } | undefined;
  /** An allowUnfreePredicate called on the NVIDIA driver and a CUDA package, where evaluation can. */
  predicate(node: Node): { driver?: boolean; cuda?: boolean } | undefined;
}

/** What one unit's paths give (FactsMemo.paths). */
export interface UnitPaths {
  evaluated: string[];
  systems: boolean;
  calls?: ImportCall[];
}

export interface UnitSink {
  sink: Sink;
  evaluates: string[];
  /**
   * The walk never came to a place where it asks the hooks (or would, had it any): it reads the
   * same with hooks as without, so a second reading (resolve.ts) takes it from the first.
   */
  hookFree: boolean;
  /** What stays where it is when the unit moves: what a walk with hooks found in the file's text before the units (a helper's body). */
  pinned?: Pinned;
  placed?: { at: number; sink: Sink };
}

function span(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/** Which part of a configuration the module at `path` (in `set`) is: see Scope in facts.ts. */
function scopeAt(set: OptionSetName, p: readonly string[]): string | undefined {
  if (isFlakeSet(set)) return exportedModuleSet(p) ? `export:${p.join('.')}` : undefined;
  if (set !== 'nixos' && set !== 'darwin') return undefined;
  if (set === 'nixos' && p.length === 3 && p[0] === 'specialisation' && p[2] === 'configuration') return `spec:${p[1]}`;
  if (p.length === 3 && p[0] === 'home-manager' && p[1] === 'users') return `hm:${p[2]}`;
  if (p.length === 2 && p[0] === 'home-manager' && p[1] === 'sharedModules') return 'hm-shared';
  return undefined;
}

function joinScope(outer: string | undefined, inner: string | undefined): string | undefined {
  return outer && inner ? `${outer}/${inner}` : inner ?? outer;
}

/**
 * Walks a module the way the module system reads it, following what it can (let bindings, `++`,
 * `if`, mkIf/mkMerge/mkDefault/mkForce, lib.optionals, `//`) and recording what it cannot as
 * opaque regions (definitions) or unseen modules (module lists).
 */
export class Walker {
  evaluates = new Set<string>();
  private readonly dir: string;
  /** One string per attribute name: a generated file repeats a few thousand names 100,000 times. */
  private readonly names = new Map<string, string>();

  /** Whether the walk asked for the hooks (to call them, or to see whether it has any) since this was last cleared. */
  private consulted = false;

  constructor(private readonly file: string, private readonly scopes: ScopeCache, private readonly memo?: FactsMemo, private readonly hooksGiven?: WalkHooks) {
    this.dir = path.dirname(file);
  }

  /** Every place that reads differently with hooks asks for them here. */
  private get hooks(): WalkHooks | undefined {
    this.consulted = true;
    return this.hooksGiven;
  }

  /**
   * Walk the units of a large file (the container's named children), each one or take what it gave
   * last time under the same state: its definitions, option sets, opaque regions, imports and
   * evaluated files, shifted to where it is. The state is the same for every unit of one walk.
   */
  private units(ctx: Context, f: Frame, sink: Sink, walk: (unit: Node, into: Sink) => void): void {
    const memo = this.memo!;
    const state = `${JSON.stringify(ctx)}|${f.conditional}|${JSON.stringify(f.when)}|${f.priority}|${f.scope}|${f.depth}|${f.top}|${[...f.following].join(',')}`;
    const { units } = memo;
    for (let i = 0; i < units.count; i++) {
      const id = units.ids[i];
      let cached = memo.sinks.get(id)?.get(state);
      // with hooks, what a walk without them read without asking for them holds, or what a walk with them gave
      if (cached && this.hooksGiven && !cached.hookFree) cached = memo.hooked?.sinks.get(id)?.get(state);
      if (!cached) {
        const unit = units.node(i);
        const { into, found, hookFree } = this.walkUnit(unit, walk);
        // a copy: strings cut from node text share the whole text of this version and would keep it alive
        const entry = (pinned?: Pinned): UnitSink => structuredClone({ sink: shiftSink(into, -unit.startIndex, pinned), evaluates: [...found], hookFree, ...(pinned ? { pinned } : {}) });
        if (this.hooksGiven && !hookFree) {
          // what a walk with hooks gave is kept apart from the reading without them, if it moves with its unit
          const pinned = memo.hooked && placement(into, this.file, unit, units.container.startIndex);
          if (!memo.hooked || !pinned) {
            addSink(sink, into);
            for (const e of found) this.evaluates.add(e);
            continue;
          }
          remember(memo.hooked.sinks, id, state, (cached = entry(pinned)));
        } else {
          cached = isEmptySink(into) && !found.size && hookFree ? NOTHING : entry();
          // a unit that reads a value outside itself (a let binding of the header) is walked every time
          if (sinkWithin(into, { start: unit.startIndex, end: unit.endIndex })) remember(memo.sinks, id, state, cached);
        }
      }
      if (cached === NOTHING) continue;
      // an edit moves only the units after it: the others keep what they placed last time
      if (cached.placed?.at !== units.starts[i]) cached.placed = { at: units.starts[i], sink: shiftSink(cached.sink, units.starts[i], cached.pinned) };
      addSink(sink, cached.placed.sink);
      for (const e of cached.evaluates) this.evaluates.add(e);
    }
  }

  /** Walk one unit into a sink of its own: what it gave, the files it makes Nix evaluate, and whether it asked for the hooks. */
  private walkUnit(unit: Node, walk: (unit: Node, into: Sink) => void): { into: Sink; found: Set<string>; hookFree: boolean } {
    const into = emptySink();
    const evaluates = this.evaluates;
    const consulted = this.consulted;
    this.evaluates = new Set();
    this.consulted = false;
    walk(unit, into);
    const result = { into, found: this.evaluates, hookFree: !this.consulted };
    this.evaluates = evaluates;
    this.consulted ||= consulted;
    return result;
  }

  /** An attribute's name: written, or (with hooks) computed. */
  private readonly attrName = (attr: Node): string | undefined => staticAttrName(attr) ?? this.hooks?.attrName(attr);

  private name(n: string | undefined): string | undefined {
    if (n === undefined) return undefined;
    const known = this.names.get(n);
    if (known !== undefined) return known;
    this.names.set(n, n);
    return n;
  }

  private isContainer(node: Node | null | undefined): boolean {
    return !!node && !!this.memo && node.id === this.memo.units.container.id;
  }

  system(call: Node, set: OptionSetName, name: string): SystemFacts {
    const facts: SystemFacts = { name, set, file: this.file, span: span(call), ...emptySink() };
    const arg = call.childForFieldName('argument');
    this.walk(arg, { kind: 'systemArgs', set }, { ...START, top: false }, facts);
    const args = unparenthesize(arg);
    if (args?.type === 'attrset_expression') {
      const pkgs = topLevelAttrs(args).names.get('pkgs');
      if (pkgs) facts.pkgs = instanceOf(pkgs, this.scopes);
      else if (topLevelAttrs(args).names.has('pkgs')) facts.pkgs = { kind: 'unknown' };
    }
    return facts;
  }

  walk(input: Node | null, ctx: Context, f: Frame, sink: Sink): void {
    const node = unparenthesize(input);
    if (!node || ctx.kind === 'none') return;
    if (f.depth > MAX_DEPTH) return this.unknown(node, ctx, f, sink);
    const g: Frame = { ...f, depth: f.depth + 1 };
    switch (node.type) {
      case 'function_expression':
        return this.fn(node, ctx, g, sink);
      case 'let_expression':
      case 'with_expression':
      case 'assert_expression':
        return this.walk(node.childForFieldName('body'), ctx, g, sink);
      case 'if_expression': {
        const cond = node.childForFieldName('condition');
        const c = this.bool(cond);
        const tests = c === undefined ? optionTests(cond, this.scopes, this.attrName) : undefined;
        if (c !== false) this.walk(node.childForFieldName('consequence'), ctx, c === undefined ? under(g, tests) : g, sink);
        if (c !== true) this.walk(node.childForFieldName('alternative'), ctx, c === undefined ? under(g, negatedTests(tests)) : g, sink);
        return;
      }
      case 'binary_expression': {
        const op = node.childForFieldName('operator')?.type;
        if ((op === '//' && ctx.kind !== 'list') || (op === '++' && ctx.kind === 'list')) {
          this.walk(node.childForFieldName('left'), ctx, g, sink);
          this.walk(node.childForFieldName('right'), ctx, g, sink);
          return;
        }
        return this.unknown(node, ctx, g, sink);
      }
      case 'apply_expression':
        return this.apply(node, ctx, g, sink);
      case 'list_expression': {
        if (ctx.kind !== 'list' && ctx.kind !== 'options') return this.unknown(node, ctx, g, sink);
        const inner = elementContext(ctx);
        const h: Frame = { ...g, top: false };
        const one = (el: Node, into: Sink) => { if (el.type !== 'comment') this.walk(el, inner, h, into); };
        if (this.isContainer(node)) this.units(inner, h, sink, one);
        else for (const el of node.namedChildren) if (el) one(el, sink);
        return;
      }
      case 'path_expression':
      case 'hpath_expression':
      case 'spath_expression':
      case 'string_expression':
      case 'indented_string_expression':
        if (ctx.kind === 'module') return this.moduleRef(node, ctx.set, g, sink);
        if (ctx.kind === 'options' || ctx.kind === 'declarations') return;
        return this.unknown(node, ctx, g, sink);
      case 'attrset_expression':
      case 'rec_attrset_expression':
        if (ctx.kind === 'list') return this.unknown(node, ctx, g, sink);
        return this.attrset(node, attrsetContext(ctx, node), g, sink);
      case 'variable_expression':
        return this.variable(node, ctx, g, sink);
      case 'integer_expression':
      case 'float_expression':
      case 'uri_expression':
        return;
      default:
        return this.unknown(node, ctx, g, sink);
    }
  }

  /** `true` / `false`, written literally or bound by a let to a literal; else undefined. */
  private bool(node: Node | null, depth = 0): boolean | undefined {
    const n = unparenthesize(node);
    if (n && this.hooks && depth === 0) {
      const known = this.hooks.bool(n);
      if (known !== undefined) return known;
    }
    if (n?.type !== 'variable_expression' || depth > 8) return undefined;
    const literal = literalBool(n);
    if (literal !== undefined) return literal;
    const ident = n.childForFieldName('name');
    const r = ident ? resolveName(ident, this.scopes) : undefined;
    const value = r?.kind === 'local' ? simpleValue(r.binding) : undefined;
    return value ? this.bool(value, depth + 1) : undefined;
  }

  /** Something this walk cannot follow: an unseen module, or an opaque region of definitions. */
  private unknown(node: Node, ctx: Context, f: Frame, sink: Sink): void {
    if (ctx.kind === 'module' && f.top) {
      // the file's own body is computed (a package recipe, `mkModule { … }`): opaque if used as a module
      sink.opaque.push(this.opaque(ctx.set, [], node, f));
      return;
    }
    if (ctx.kind === 'list' && (ctx.of.kind === 'options' || ctx.of.kind === 'moduleBody')) {
      // mkMerge over a computed list of definitions: opaque where they go, not a module we could not read
      const of = ctx.of;
      if (of.kind === 'moduleBody') sink.opaque.push(this.opaque(of.set, [], node, f));
      else if (!isFlakeSet(of.set) && !of.element) sink.opaque.push(this.opaque(of.set, of.path, node, f));
      return;
    }
    switch (ctx.kind) {
      case 'module':
      case 'list':
      case 'systemArgs': {
        const set = ctx.kind === 'list' ? setOfList(ctx) : ctx.set;
        if (this.hooks && ctx.kind !== 'systemArgs') {
          sink.imports.push(...this.hooks.modules(node, ctx.kind === 'list', set, f.conditional, f.scope));
          return;
        }
        sink.imports.push({ kind: 'unseen', text: shortText(node), set, conditional: f.conditional, scope: f.scope, span: span(node), ...(ctx.kind === 'list' ? { list: true } : {}) });
        return;
      }
      case 'moduleBody':
        sink.opaque.push(this.opaque(ctx.set, [], node, f));
        return;
      case 'options':
        if (!isFlakeSet(ctx.set) && !ctx.element) this.optionValue(node, ctx.set, ctx.path, f, sink);
        return;
      case 'declarations':
        sink.declarations.push({ set: ctx.set, path: ctx.path, opaque: true });
        return;
    }
  }

  /** An option value the walk cannot read: what evaluation shows it defines, else an opaque region. */
  private optionValue(node: Node, set: OptionSetName, p: string[], f: Frame, sink: Sink): void {
    const at = this.opaque(set, p, node, f);
    const found = this.hooks?.options(node, at);
    if (found) addSink(sink, found);
    else sink.opaque.push(at);
  }

  private opaque(set: OptionSetName, p: string[], node: Node, f: Frame): Opaque {
    return { file: this.file, set, path: p, span: span(node), scope: f.scope, ...(f.conditional ? { conditional: true } : {}), ...(f.when ? { when: f.when } : {}), ...(f.priority !== undefined ? { priority: f.priority } : {}) };
  }

  private fn(node: Node, ctx: Context, f: Frame, sink: Sink): void {
    const body = node.childForFieldName('body');
    if (ctx.kind === 'module') {
      // A module is a function of the module arguments; `final: prev: …` (an overlay) is not one.
      if (!node.childForFieldName('formals') && returnsFunction(body)) return;
      return this.walk(body, ctx, f, sink);
    }
    // `outputs = inputs: { … }` and `perSystem = { pkgs, ... }: { … }` in a flake; elsewhere a
    // function is an option's value (allowUnfreePredicate = pkg: …).
    if (ctx.kind === 'options' && isFlakeSet(ctx.set)) return this.walk(body, ctx, f, sink);
    if (ctx.kind === 'options' && !ctx.element) {
      // nixpkgs.config may be a function of { pkgs, ... } returning the config set
      const p = ctx.path;
      if (p.length === 2 && p[0] === 'nixpkgs' && p[1] === 'config' && node.childForFieldName('formals')) return this.walk(body, ctx, f, sink);
      // a function where an option group was expected computes the whole group: nothing under it is known
      sink.opaque.push(this.opaque(ctx.set, ctx.path, node, f));
    }
  }

  private variable(node: Node, ctx: Context, f: Frame, sink: Sink): void {
    if (['true', 'false', 'null'].includes(node.text)) return;
    const ident = node.childForFieldName('name');
    const r = ident ? resolveName(ident, this.scopes) : undefined;
    const b = r?.kind === 'local' ? r.binding : undefined;
    const value = b && simpleValue(b);
    if (b && value && !f.following.has(b.node.id)) {
      return this.walk(value, ctx, { ...f, following: new Set([...f.following, b.node.id]) }, sink);
    }
    return this.unknown(node, ctx, f, sink);
  }

  /** `applied`: the file is a function called with arguments (`import ./x.nix { … }`) whose result is the module. */
  private moduleRef(node: Node, set: OptionSetName, f: Frame, sink: Sink, applied = false): void {
    const target = staticPath(node, this.dir);
    if (target) {
      sink.imports.push({ kind: 'file', path: target, set, conditional: f.conditional, scope: f.scope, ...(applied ? { applied } : {}) });
      this.evaluates.add(target);
      return;
    }
    if (this.hooks) {
      sink.imports.push(...this.hooks.modules(node, false, set, f.conditional, f.scope));
      return;
    }
    sink.imports.push({ kind: 'unseen', text: shortText(node), set, conditional: f.conditional, scope: f.scope, span: span(node) });
  }

  private apply(node: Node, ctx: Context, f: Frame, sink: Sink): void {
    const name = calledName(node);
    if (ctx.kind === 'declarations') {
      if (name && DECLARE.has(name)) {
        const dflt = declaredDefault(node, name);
        sink.declarations.push({ set: ctx.set, path: ctx.path, span: span(node), ...(dflt ? { default: dflt } : {}) });
        return;
      }
      // a helper of the flake's own (mkBoolOpt false "…"), when evaluation shows it declares an option
      const declared = this.hooks?.declaration(node);
      if (declared) sink.declarations.push({ set: ctx.set, path: ctx.path, span: span(node), ...(declared.default ? { default: declared.default } : {}) });
      else this.unknown(node, ctx, f, sink);
      return;
    }
    if (systemBuilder(name)) return; // walked as a system of its own
    const args = applyArgs(node);
    const last = args[args.length - 1] ?? null;
    const conditionally = (cond: Node | undefined, then: (g: Frame) => void) => {
      const c = this.bool(cond ?? null);
      if (c === false) return;
      then(c === true ? f : under(f, optionTests(cond ?? null, this.scopes, this.attrName)));
    };
    switch (name) {
      case 'mkIf':
        return conditionally(args[0], g => this.walk(last, ctx, g, sink));
      case 'optionalAttrs':
        if (ctx.kind === 'list') break;
        return conditionally(args[0], g => this.walk(last, ctx, g, sink));
      case 'mkMerge':
        return this.walk(last, { kind: 'list', of: ctx }, { ...f, top: false }, sink);
      case 'optionals':
        if (ctx.kind !== 'list') break;
        return conditionally(args[0], g => this.walk(last, ctx, g, sink));
      case 'optional':
        if (ctx.kind !== 'list') break;
        return conditionally(args[0], g => this.walk(last, elementContext(ctx), g, sink));
      case 'import': {
        // At a file's own top, `import ./x.nix { … }` is the file's value, not a module it imports.
        const target = unparenthesize(args[0] ?? null);
        if (ctx.kind === 'module' && target && !f.top) return this.moduleRef(target, ctx.set, f, sink, args.length > 1);
        break;
      }
      case 'mkFlake':
        return this.walk(last, FLAKE_PARTS_ROOT, f, sink);
      case 'mkOverride': {
        const n = unparenthesize(args[0] ?? null);
        const priority = n?.type === 'integer_expression' ? Number(n.text) : undefined;
        return this.walk(last, ctx, { ...f, priority: f.priority ?? priority }, sink);
      }
    }
    const wrapped = name === undefined ? undefined : PRIORITY_OF.get(name);
    if (wrapped !== undefined) return this.walk(last, ctx, { ...f, priority: f.priority ?? wrapped }, sink);
    if (name && TRANSPARENT.has(name)) return this.walk(last, ctx, f, sink);
    return this.unknown(node, ctx, f, sink);
  }

  private attrset(set: Node, ctx: Context, f: Frame, sink: Sink): void {
    if (ctx.kind === 'options' && !isFlakeSet(ctx.set) && !ctx.element) {
      sink.optionSets.push({ file: this.file, set: ctx.set, path: ctx.path, span: span(set), conditional: f.conditional, scope: f.scope });
    }
    const bindings = bindingSetOf(set);
    const one = (b: Node, into: Sink) => {
      if (b.type === 'binding') this.binding(b, ctx, f, into);
      else if (b.type === 'inherit' || b.type === 'inherit_from') this.inherit(b, ctx, f, into);
    };
    if (this.isContainer(bindings)) this.units(ctx, f, sink, one);
    else for (const b of bindings?.namedChildren ?? []) if (b) one(b, sink);
  }

  private inherit(b: Node, ctx: Context, f: Frame, sink: Sink): void {
    for (const attr of attrsOf(b.childForFieldName('attrs'))) {
      const name = this.name(this.attrName(attr));
      if (name === undefined) continue;
      const inner = step(ctx, name);
      if (inner.kind === 'options' && !isFlakeSet(inner.set) && !inner.element) {
        const literal = this.hooks?.value(attr);
        sink.definitions.push({
          file: this.file, set: inner.set, path: inner.path, written: [name], value: literal ?? { kind: 'other', text: name },
          key: span(attr), valueSpan: span(attr), binding: span(b), conditional: f.conditional, ...(f.when ? { when: f.when } : {}), priority: f.priority ?? PRIORITY.normal, scope: f.scope,
        });
        // what the inherited name holds, where evaluation can tell
        if (!literal) this.optionValue(attr, inner.set, inner.path, f, sink);
      } else if (inner.kind === 'list' && b.type === 'inherit') {
        // `inherit modules;` (nixosSystem) or `inherit imports;`: the let binding it names
        const ident = attr.type === 'identifier' ? attr : null;
        const r = ident ? resolveName(ident, this.scopes) : undefined;
        const value = r?.kind === 'local' ? simpleValue(r.binding) : undefined;
        if (value) this.walk(value, inner, f, sink);
        else this.unknown(attr, inner, f, sink);
      } else {
        this.unknown(attr, inner, f, sink);
      }
    }
  }

  private binding(b: Node, outer: Context, f: Frame, sink: Sink): void {
    const attrpath = b.childForFieldName('attrpath');
    const value = b.childForFieldName('expression');
    const names: string[] = [];
    let ctx = outer;
    let scope = f.scope;
    for (const attr of attrsOf(attrpath)) {
      const name = this.name(this.attrName(attr));
      if (name === undefined) return this.unknown(attr, ctx, f, sink);
      names.push(name);
      const before = ctx;
      ctx = step(ctx, name);
      if (before.kind === 'options' && (ctx.kind === 'module' || ctx.kind === 'list')) scope = joinScope(scope, scopeAt(before.set, [...before.path, name]));
    }
    if (!attrpath || !value || names.length === 0) return;
    const g = { ...f, scope, top: false };
    if (ctx.kind === 'options' && !isFlakeSet(ctx.set) && !ctx.element && !ctx.path.includes('*')) {
      const inner = unwrap(value);
      const literal = describe(inner.node);
      const own = inner.conditions.length ? inner.conditions.map(c => optionTests(c, this.scopes, this.attrName)) : [];
      const tests = own.every(t => t) ? [...(f.conditional ? f.when ?? [] : []), ...own.flat() as OptionTest[]] : undefined;
      const when = (f.conditional || inner.conditional) && tests?.length && (!f.conditional || f.when) ? tests : undefined;
      const accepts = ctx.path[ctx.path.length - 1] === 'allowUnfreePredicate' ? this.hooks?.predicate(inner.node) : undefined;
      sink.definitions.push({
        // an exact copy: an array grown by push keeps room for 16 names, and there are 100,000 of these
        file: this.file, set: ctx.set, path: ctx.path, written: names.slice(), value: literal.kind === 'other' && this.hooks ? this.hooks.value(inner.node) ?? literal : literal,
        key: span(attrpath), valueSpan: span(inner.node), binding: span(b),
        conditional: f.conditional || inner.conditional, ...(when ? { when } : {}), ...(accepts ? { accepts } : {}), priority: f.priority ?? inner.priority ?? PRIORITY.normal, scope: f.scope,
      });
    }
    this.walk(value, ctx, g, sink);
  }
}

/** The default an option declaration writes literally: mkEnableOption's false, mkOption's `default = …`. */
function declaredDefault(call: Node, name: string): Value | undefined {
  if (name === 'mkEnableOption') return { kind: 'bool', value: false };
  if (name !== 'mkOption') return undefined;
  const arg = unparenthesize(applyArgs(call)[0] ?? null);
  const dflt = arg?.type === 'attrset_expression' ? topLevelAttrs(arg).names.get('default') : undefined;
  const v = dflt ? describe(dflt) : undefined;
  return v && v.kind !== 'other' && v.kind !== 'attrs' ? v : undefined;
}

/** A frame under a condition: `tests` when it is one the configuration can answer, else unknown. */
function under(f: Frame, tests: OptionTest[] | undefined): Frame {
  const known = (!f.conditional || f.when) && tests?.length ? [...(f.when ?? []), ...tests] : undefined;
  const g: Frame = { ...f, conditional: true };
  if (known) g.when = known;
  else delete g.when;
  return g;
}

function remember(memo: Map<number, Map<string, UnitSink>>, id: number, state: string, entry: UnitSink): void {
  let byState = memo.get(id);
  if (!byState) memo.set(id, (byState = new Map()));
  byState.set(state, entry);
}

/**
 * Can `s` move with its unit, and what of it stays: this file's definitions, option sets and opaque
 * regions only, each inside the unit (moves) or wholly before the units, `before` (a helper's body
 * in the header, which stays while the header's text does; the memo is dropped when it changes).
 */
function placement(s: Sink, file: string, unit: Node, before: number): Pinned | undefined {
  if (s.imports.length || s.declarations.length) return undefined;
  const pinned = { definitions: [] as number[], optionSets: [] as number[], opaque: [] as number[] };
  /** Does item `i` of `kind` move with the unit, or stay (noted in `pinned`)? False: neither. */
  const placed = (kind: keyof Pinned, i: number, here: boolean, spans: Span[]) => {
    if (!here) return false;
    if (spans.every(x => x.start >= unit.startIndex && x.end <= unit.endIndex)) return true;
    if (!spans.every(x => x.end <= before)) return false;
    pinned[kind].push(i);
    return true;
  };
  const ok = s.definitions.every((d, i) => placed('definitions', i, d.file === file && !d.via, [d.key, d.valueSpan, d.binding]))
    && s.optionSets.every((o, i) => placed('optionSets', i, o.file === file, [o.span]))
    && s.opaque.every((o, i) => placed('opaque', i, o.file === file, [o.span]));
  return ok ? pinned : undefined;
}

/** What a unit without definitions, option sets, opaque regions, imports or evaluated files gave. */
const NOTHING: UnitSink = { sink: emptySink(), evaluates: [], hookFree: true };

function setOfList(ctx: Extract<Context, { kind: 'list' }>): OptionSetName {
  const of = ctx.of;
  return of.kind === 'module' || of.kind === 'options' || of.kind === 'moduleBody' || of.kind === 'systemArgs' || of.kind === 'declarations' ? of.set : 'nixos';
}

/** Does this expression (through let and with) evaluate to a function? */
function returnsFunction(body: Node | null): boolean {
  let n = unparenthesize(body);
  for (let i = 0; n && i < 16 && (n.type === 'let_expression' || n.type === 'with_expression'); i++) n = unparenthesize(n.childForFieldName('body'));
  return n?.type === 'function_expression';
}
