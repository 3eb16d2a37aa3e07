import { libValue } from './lib';
import type { Evaluator } from './evaluate';
import { attrs, isUnknown, str, Thunk, unknown, type Value } from './value';
import { addTo } from '../../util/lists';

/**
 * How the module system merges definitions, as far as it can be followed without building the
 * system (flake-parts' `config`, `evalModules`): mkIf, mkDefault / mkForce / mkOverride and
 * mkMerge are read; the definitions with the best priority win; attribute sets merge key by key
 * and lists one after another; an option declared with a default takes it when nothing defines it;
 * an `attrsOf (submodule …)` option evaluates each element with the submodule's own options and
 * definitions. Whatever cannot be told (a condition, a definition) makes the key it is in unknown.
 */

const DEFAULT_PRIORITY = 100;

interface Def {
  value: Value;
  priority: number;
}

/** The definitions with mkIf, mkMerge and the priority wrappers taken off; unknown ones apart. */
function unwrap(ev: Evaluator, defs: Thunk[], out: Def[], blocked: Value[], priority = DEFAULT_PRIORITY, depth = 0): void {
  for (const d of defs) {
    const v = ev.forceValue(d);
    if (isUnknown(v)) {
      blocked.push(v);
      continue;
    }
    const type = v.t === 'attrs' ? v.attrs.get('_type') : undefined;
    const kind = type ? ev.forceValue(type) : undefined;
    if (v.t !== 'attrs' || kind?.t !== 'string' || depth > 32) {
      out.push({ value: v, priority });
      continue;
    }
    const content = v.attrs.get('content');
    if (kind.v === 'override' && content) {
      const p = v.attrs.get('priority');
      const n = p ? ev.forceValue(p) : undefined;
      unwrap(ev, [content], out, blocked, n?.t === 'number' ? n.v : priority, depth + 1);
    } else if (kind.v === 'if' && content) {
      const c = v.attrs.get('condition');
      const cond = c ? ev.forceValue(c) : unknown('missing', 'a condition');
      if (cond.t === 'bool') {
        if (cond.v) unwrap(ev, [content], out, blocked, priority, depth + 1);
      } else {
        blocked.push(isUnknown(cond) ? cond : unknown('unsupported', 'a condition that is not a boolean'));
      }
    } else if (kind.v === 'merge') {
      const contents = v.attrs.get('contents');
      const list = contents ? ev.forceValue(contents) : undefined;
      if (list?.t === 'list') unwrap(ev, list.items, out, blocked, priority, depth + 1);
      else blocked.push(unknown('unsupported', 'mkMerge of something that is not a list'));
    } else {
      out.push({ value: v, priority });
    }
  }
}

/** An option declaration (mkOption's value) among a level's declarations, if there is one. */
function optionAt(ev: Evaluator, options: Thunk[]): Extract<Value, { t: 'attrs' }> | undefined {
  for (const o of options) {
    const v = ev.forceValue(o);
    if (v.t !== 'attrs') continue;
    const type = v.attrs.get('_type');
    const kind = type ? ev.forceValue(type) : undefined;
    if (kind?.t === 'string' && kind.v === 'option') return v;
  }
  return undefined;
}

/** The merged value of definitions `defs` under declarations `options`. */
export function mergeDefinitions(ev: Evaluator, defs: Thunk[], options: Thunk[] = []): Value {
  const unwrapped: Def[] = [];
  const blocked: Value[] = [];
  unwrap(ev, defs, unwrapped, blocked);
  const option = optionAt(ev, options);
  if (option) return mergeOption(ev, option, unwrapped, blocked);
  return mergeValues(ev, unwrapped, blocked, options);
}

function mergeOption(ev: Evaluator, option: Extract<Value, { t: 'attrs' }>, defs: Def[], blocked: Value[]): Value {
  // an option's `apply` turns what is defined into its value
  const apply = option.attrs.get('apply');
  const merged = mergeOptionValue(ev, option, defs, blocked);
  return apply && !isUnknown(merged) ? ev.apply(apply.get(), Thunk.of(merged)) : merged;
}

function mergeOptionValue(ev: Evaluator, option: Extract<Value, { t: 'attrs' }>, defs: Def[], blocked: Value[]): Value {
  if (blocked.length) return blocked[0];
  if (!defs.length) {
    const dflt = option.attrs.get('default');
    return dflt ? ev.value(mergeDefinitions(ev, [dflt])) : unknown('missing', 'an option without a definition or default');
  }
  const best = Math.min(...defs.map(d => d.priority));
  const winners = defs.filter(d => d.priority === best);
  const typeT = option.attrs.get('type');
  const type = typeT ? ev.forceValue(typeT) : undefined;
  const name = type?.t === 'attrs' ? type.attrs.get('name') : undefined;
  const typeName = name ? ev.forceValue(name) : undefined;
  const elem = type?.t === 'attrs' ? type.attrs.get('elemType') : undefined;
  if (typeName?.t === 'string' && (typeName.v === 'attrsOf' || typeName.v === 'lazyAttrsOf') && elem) {
    const elemType = ev.forceValue(elem);
    const sub = elemType.t === 'attrs' ? elemType.attrs.get('name') : undefined;
    const subName = sub ? ev.forceValue(sub) : undefined;
    if (subName?.t === 'string' && subName.v === 'submodule' && elemType.t === 'attrs') {
      return submoduleElements(ev, winners, elemType.attrs.get('modules'));
    }
  }
  return mergeValues(ev, winners, [], []);
}

/** Definitions without declarations: sets key by key (declarations below followed), lists joined. */
function mergeValues(ev: Evaluator, defs: Def[], blocked: Value[], options: Thunk[]): Value {
  if (!defs.length && !options.length) return blocked[0] ?? unknown('missing', 'no definitions');
  if (defs.length === 1 && !blocked.length && !options.length) return defs[0].value;
  const values = defs.map(d => d.value);
  if (values.every(v => v.t === 'attrs')) {
    const keys = new Map<string, { defs: Thunk[]; options: Thunk[] }>();
    const at = (k: string) => {
      let e = keys.get(k);
      if (!e) keys.set(k, (e = { defs: [], options: [] }));
      return e;
    };
    for (const v of values as Array<Extract<Value, { t: 'attrs' }>>) for (const [k, t] of v.attrs) at(k).defs.push(t);
    for (const o of options) {
      const v = ev.forceValue(o);
      if (v.t === 'attrs') for (const [k, t] of v.attrs) if (k !== '_type') at(k).options.push(t);
    }
    const extra = blocked.map(b => Thunk.of(b));
    return {
      t: 'attrs',
      attrs: new Map([...keys].map(([k, e]) => [k, !e.options.length && e.defs.length === 1 && !extra.length ? e.defs[0] : Thunk.of({ t: 'merged', defs: [...e.defs, ...extra], options: e.options })])),
    };
  }
  if (blocked.length) return blocked[0];
  if (values.every(v => v.t === 'list')) return { t: 'list', items: (values as Array<Extract<Value, { t: 'list' }>>).flatMap(v => v.items) };
  return values.length === 1 ? values[0] : unknown('unsupported', 'definitions that do not merge');
}

/**
 * An `attrsOf (submodule m)` option: each element is m's options and definitions (m called with
 * the element's name and its own config) merged with what the configuration defines for it.
 */
function submoduleElements(ev: Evaluator, defs: Def[], modules: Thunk | undefined): Value {
  const names = new Map<string, Thunk[]>();
  for (const d of defs) {
    if (d.value.t !== 'attrs') return unknown('unsupported', 'an attrsOf option defined as something else');
    for (const [k, t] of d.value.attrs) addTo(names, k, t);
  }
  const out = new Map<string, Thunk>();
  for (const [name, own] of names) {
    const element: { self?: Thunk } = {};
    element.self = new Thunk(() => {
      const parts = { defs: [...own], options: [] as Thunk[] };
      const args = Thunk.of(attrs([['name', str(name)], ['config', element.self!]]));
      collectModule(ev, modules, args, parts, 0);
      return { t: 'merged', defs: parts.defs, options: parts.options };
    });
    out.set(name, element.self);
  }
  return { t: 'attrs', attrs: out };
}

/** A module's (or list of modules') declarations and definitions, into `parts`. */
export function collectModule(ev: Evaluator, module: Thunk | undefined, args: Thunk, parts: { defs: Thunk[]; options: Thunk[] }, depth: number): void {
  if (!module || depth > 32) return;
  let v = ev.forceValue(module);
  if (v.t === 'list') {
    for (const m of v.items) collectModule(ev, m, args, parts, depth + 1);
    return;
  }
  if (v.t === 'path' || (v.t === 'string' && v.path)) v = ev.value(ev.importFile(v.v));
  if (v.t === 'lambda' || v.t === 'prim') v = ev.value(ev.apply(v, withLib(ev, args)));
  if (v.t !== 'attrs') {
    if (isUnknown(v)) parts.defs.push(Thunk.of(v));
    return;
  }
  const imports = v.attrs.get('imports');
  if (imports) collectModule(ev, imports, args, parts, depth + 1);
  const options = v.attrs.get('options');
  if (options) parts.options.push(options);
  if (v.attrs.has('config') || options) {
    const c = v.attrs.get('config');
    if (c) parts.defs.push(c);
  } else {
    parts.defs.push(Thunk.of({ t: 'attrs', attrs: new Map([...v.attrs].filter(([k]) => !NOT_DEFINITIONS.has(k))) }));
  }
}

/** Keys of a module that are not definitions. */
export const NOT_DEFINITIONS = new Set(['imports', 'options', '_file', 'key', 'disabledModules', '_class', 'meta', 'freeformType']);

/** Module arguments always have lib (ours, when the caller gave none). */
function withLib(ev: Evaluator, args: Thunk): Thunk {
  return new Thunk(() => {
    const a = ev.forceValue(args);
    if (a.t !== 'attrs' || a.attrs.has('lib')) return a;
    return { t: 'attrs', attrs: new Map([...a.attrs, ['lib', Thunk.of(libValue())]]) };
  });
}
