import * as path from 'path';
import { flatPath } from '../../util/files';
import type { Evaluator } from './evaluate';
import { mkFlake } from './flake';
import { colmenaLib } from './colmena';
import { snowfallLib } from './snowfall';
import { parseToml } from './toml';
import { folderFunctions, importTree, haumeaLoad } from './folders';
import {
  attrs, Env, FALSE, isUnknown, kindOf, list, NULL, prim, str, Thunk, TRUE, unknown, type EvalContext, type Value,
} from './value';

/**
 * The builtins and lib functions the evaluator knows: the ones configurations are assembled with
 * (lists, attribute sets, strings, folders). Each forces only what it needs; an argument it cannot
 * see makes its result unknown with that argument's reason.
 */

type Ev = EvalContext & Pick<Evaluator, 'value' | 'forceValue' | 'selectName' | 'call'>;

const ev = (c: EvalContext) => c as Ev;

/** Force a thunk through imports. */
function F(c: EvalContext, t: Thunk): Value {
  return ev(c).forceValue(t);
}

function bad(v: Value, want: string): Value {
  return isUnknown(v) ? v : unknown('unsupported', `${want} expected, got ${kindOf(v)}`);
}

function bool(b: boolean): Value {
  return b ? TRUE : FALSE;
}

/** `f x` for a function value and an argument (value or thunk). */
function call(c: EvalContext, f: Value | Thunk, ...args: Array<Value | Thunk>): Value {
  let v = f instanceof Thunk ? f.get() : f;
  for (const a of args) v = c.apply(v, a instanceof Thunk ? a : Thunk.of(a));
  return v;
}

/** A lazily applied `f x`. */
function later(c: EvalContext, f: Value | Thunk, ...args: Array<Value | Thunk>): Thunk {
  return new Thunk(() => call(c, f, ...args));
}

/** Strings a value coerces to in interpolation and `toString`-like places. */
export function coerceToString(c: EvalContext, input: Value): Value {
  const v = ev(c).value(input);
  switch (v.t) {
    case 'string':
      return v;
    case 'path':
      return str(v.v, true);
    case 'number':
      return str(String(v.v));
    case 'bool':
      return str(v.v ? '1' : '');
    case 'null':
      return str('');
    case 'attrs': {
      const out = v.attrs.get('outPath');
      if (out) return coerceToString(c, out.get());
      const toStr = v.attrs.get('__toString');
      if (toStr) return coerceToString(c, call(c, toStr, Thunk.of(v)));
      return unknown('unsupported', 'an attribute set as a string');
    }
    case 'input': {
      const source = v.path.length === 0 ? v.flake.source(v.name) : undefined;
      return source ? str(source, true) : unknown('input', `the source of input ${v.name}`, v.name);
    }
    case 'list': {
      const parts: string[] = [];
      for (const t of v.items) {
        const s = coerceToString(c, t.get());
        if (s.t !== 'string') return s;
        parts.push(s.v);
      }
      return str(parts.join(' '));
    }
    default:
      return isUnknown(v) ? v : unknown('unsupported', `${kindOf(v)} as a string`);
  }
}

/** Structural equality as far as both sides are known; undefined when it cannot be told. */
export function equalValues(c: EvalContext, a0: Value, b0: Value, depth = 0): boolean | undefined {
  const a = ev(c).value(a0);
  const b = ev(c).value(b0);
  if (isUnknown(a) || isUnknown(b) || depth > 32) return undefined;
  if (a.t !== b.t) {
    if ((a.t === 'string' && b.t === 'path') || (a.t === 'path' && b.t === 'string')) return false;
    return a.t === 'lambda' || b.t === 'lambda' || a.t === 'input' || b.t === 'input' ? undefined : false;
  }
  switch (a.t) {
    case 'bool':
    case 'number':
    case 'string':
    case 'path':
      return a.v === (b as typeof a).v;
    case 'null':
      return true;
    case 'list': {
      const bl = b as typeof a;
      if (a.items.length !== bl.items.length) return false;
      for (let i = 0; i < a.items.length; i++) {
        const e = equalValues(c, a.items[i].get(), bl.items[i].get(), depth + 1);
        if (e !== true) return e;
      }
      return true;
    }
    case 'attrs': {
      const ba = b as typeof a;
      if (a.attrs.size !== ba.attrs.size) return false;
      for (const [k, t] of a.attrs) {
        const o = ba.attrs.get(k);
        if (!o) return false;
        const e = equalValues(c, t.get(), o.get(), depth + 1);
        if (e !== true) return e;
      }
      return true;
    }
    case 'input': {
      const bi = b as typeof a;
      return a.flake === bi.flake && a.name === bi.name && a.path.join('.') === bi.path.join('.') ? true : undefined;
    }
    case 'lambda': {
      const bl = b as typeof a;
      return a.node.id === bl.node.id && a.file === bl.file && a.env === bl.env ? true : undefined;
    }
    default:
      return undefined;
  }
}

function typeOf(v: Value): string | undefined {
  switch (v.t) {
    case 'bool': return 'bool';
    case 'number': return Number.isInteger(v.v) ? 'int' : 'float';
    case 'null': return 'null';
    case 'string': return 'string';
    case 'path': return 'path';
    case 'list': return 'list';
    case 'attrs':
    case 'pkgs':
    case 'system': return 'set';
    case 'lambda':
    case 'prim': return 'lambda';
    default: return undefined;
  }
}

function is(type: string) {
  return prim(`is${type}`, 1, ([x], c) => {
    const v = F(c, x);
    const t = typeOf(v);
    return t === undefined ? (isUnknown(v) ? v : unknown('unsupported', `the type of ${kindOf(v)}`)) : bool(t === type.toLowerCase() || (type === 'Function' && t === 'lambda') || (type === 'Attrs' && t === 'set') || (type === 'Int' && t === 'int'));
  });
}

/** A list value's items, or the Value that stands in the way. */
function items(c: EvalContext, t: Thunk): Thunk[] | Value {
  const v = F(c, t);
  return v.t === 'list' ? v.items : bad(v, 'a list');
}

function attrsOf(c: EvalContext, t: Thunk): Map<string, Thunk> | Value {
  const v = F(c, t);
  return v.t === 'attrs' ? v.attrs : bad(v, 'an attribute set');
}

function stringOf(c: EvalContext, t: Thunk): string | Value {
  const v = coerceToString(c, F(c, t));
  return v.t === 'string' ? v.v : v;
}

/** A list of strings, or the Value that stands in the way. */
function strings(c: EvalContext, t: Thunk): string[] | Value {
  const list0 = items(c, t);
  if (!Array.isArray(list0)) return list0;
  const out: string[] = [];
  for (const x of list0) {
    const s0 = stringOf(c, x);
    if (typeof s0 !== 'string') return s0;
    out.push(s0);
  }
  return out;
}

/** Sorted like Nix sorts attribute names (by code unit). */
function sortedKeys(m: Map<string, Thunk>): string[] {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function filterList(c: EvalContext, pred: Thunk, xs: Thunk): Value {
  const list0 = items(c, xs);
  if (!Array.isArray(list0)) return list0;
  const kept: Thunk[] = [];
  for (const x of list0) {
    const keep = F(c, later(c, pred, x));
    if (keep.t !== 'bool') return bad(keep, 'a boolean');
    if (keep.v) kept.push(x);
  }
  return { t: 'list', items: kept };
}

function listToAttrs(c: EvalContext, xs: Thunk): Value {
  const list0 = items(c, xs);
  if (!Array.isArray(list0)) return list0;
  const out = new Map<string, Thunk>();
  for (const x of list0) {
    const pair = F(c, x);
    if (pair.t !== 'attrs') return bad(pair, 'a name/value pair');
    const name = pair.attrs.get('name');
    const value = pair.attrs.get('value');
    if (!name || !value) return unknown('unsupported', 'a pair without name or value');
    const n = stringOf(c, name);
    if (typeof n !== 'string') return n;
    if (!out.has(n)) out.set(n, value);
  }
  return { t: 'attrs', attrs: out };
}

function mapAttrs(c: EvalContext, f: Thunk, set: Thunk): Value {
  const m = attrsOf(c, set);
  if (!(m instanceof Map)) return m;
  const out = new Map<string, Thunk>();
  for (const k of sortedKeys(m)) out.set(k, later(c, f, str(k), m.get(k)!));
  return { t: 'attrs', attrs: out };
}

function foldl(c: EvalContext, op: Thunk, init: Thunk, xs: Thunk): Value {
  const list0 = items(c, xs);
  if (!Array.isArray(list0)) return list0;
  let acc: Thunk = init;
  for (const x of list0) {
    const before = acc;
    acc = Thunk.of(call(c, op, before, x));
    if (!c.step()) return unknown('budget', 'the evaluation budget was spent');
  }
  return acc.get();
}

function concatLists(c: EvalContext, xs: Thunk): Value {
  const outer = items(c, xs);
  if (!Array.isArray(outer)) return outer;
  const out: Thunk[] = [];
  for (const x of outer) {
    const inner = items(c, x);
    if (!Array.isArray(inner)) return inner;
    out.push(...inner);
  }
  return { t: 'list', items: out };
}

function flatten(c: EvalContext, t: Thunk, depth = 0): Thunk[] | Value {
  const v = F(c, t);
  if (v.t !== 'list') return [t];
  if (depth > 32) return unknown('budget', 'a list nested too deep');
  const out: Thunk[] = [];
  for (const x of v.items) {
    const xv = F(c, x);
    if (isUnknown(xv)) return xv;
    const inner = flatten(c, x, depth + 1);
    if (!Array.isArray(inner)) return inner;
    out.push(...inner);
  }
  return out;
}

/** A Nix regular expression (POSIX extended) as a JavaScript one that must match the whole string. */
function regex(re: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${re.replace(/\[\[:(alpha|digit|alnum|space|upper|lower):\]\]/g, (_, k: string) => ({ alpha: '[A-Za-z]', digit: '[0-9]', alnum: '[A-Za-z0-9]', space: '\\s', upper: '[A-Z]', lower: '[a-z]' })[k] ?? '')})$`, 's');
  } catch {
    return undefined;
  }
}

function string1(name: string, f: (s: string) => Value) {
  return prim(name, 1, ([s], c) => {
    const x = stringOf(c, s);
    return typeof x === 'string' ? f(x) : x;
  });
}

/** `optional cond x` and its kin: the second argument's value when cond is true, `none` when false. */
function onlyIf(name: string, then: (c: EvalContext, x: Thunk) => Value, none: () => Value) {
  return prim(name, 2, ([cond, x], c) => {
    const b = F(c, cond);
    return b.t === 'bool' ? (b.v ? then(c, x) : none()) : bad(b, 'a boolean');
  });
}

/**
 * `f name value` for each attribute of `s` in name order, handed to `each` with the attribute and
 * the set being built; `each` returns a Value to stop with it (one of the wrong kind).
 */
function overAttrs(c: EvalContext, f: Thunk, s: Thunk, each: (result: Value, attr: [string, Thunk], out: Map<string, Thunk>) => Value | undefined): Value {
  const m = attrsOf(c, s);
  if (!(m instanceof Map)) return m;
  const out = new Map<string, Thunk>();
  for (const k of sortedKeys(m)) {
    const stop = each(F(c, later(c, f, str(k), m.get(k)!)), [k, m.get(k)!], out);
    if (stop) return stop;
  }
  return { t: 'attrs', attrs: out };
}

/**
 * Follow a list of attribute names from `s`: `found` gets the value at the end; where a name is
 * missing (or a step is no set), `missing` gets the value reached and the name.
 */
function byPath(c: EvalContext, p: Thunk, s: Thunk, found: (v: Value) => Value, missing: (v: Value, name: string) => Value): Value {
  const names = items(c, p);
  if (!Array.isArray(names)) return names;
  let v = F(c, s);
  for (const n of names) {
    const name = stringOf(c, n);
    if (typeof name !== 'string') return name;
    if (isUnknown(v)) return v;
    const t = v.t === 'attrs' ? v.attrs.get(name) : undefined;
    if (!t) return missing(v, name);
    v = F(c, t);
  }
  return found(v);
}

function strings2(name: string, f: (a: string, b: string) => Value) {
  return prim(name, 2, ([a, b], c) => {
    const x = stringOf(c, a);
    if (typeof x !== 'string') return x;
    const y = stringOf(c, b);
    if (typeof y !== 'string') return y;
    return f(x, y);
  });
}

/** A flake's `self` and inputs are opaque to these: e.g. `lib.hasSuffix ".nix"` of a path is fine. */
const BUILTINS: Record<string, () => Value> = {
  true: () => TRUE,
  false: () => FALSE,
  null: () => NULL,
  import: () => prim('import', 1, ([p], c) => importValue(c, p)),
  scopedImport: () => prim('scopedImport', 2, () => unknown('unsupported', 'scopedImport')),
  toString: () => prim('toString', 1, ([x], c) => coerceToString(c, F(c, x))),
  throw: () => prim('throw', 1, () => unknown('unsupported', 'a throw')),
  abort: () => prim('abort', 1, () => unknown('unsupported', 'an abort')),
  map: () => prim('map', 2, ([f, xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? { t: 'list', items: list0.map(x => later(c, f, x)) } : list0;
  }),
  filter: () => prim('filter', 2, ([f, xs], c) => filterList(c, f, xs)),
  attrNames: () => prim('attrNames', 1, ([s], c) => {
    const m = attrsOf(c, s);
    return m instanceof Map ? list(sortedKeys(m).map(k => str(k))) : m;
  }),
  attrValues: () => prim('attrValues', 1, ([s], c) => {
    const m = attrsOf(c, s);
    return m instanceof Map ? list(sortedKeys(m).map(k => m.get(k)!)) : m;
  }),
  hasAttr: () => prim('hasAttr', 2, ([n, s], c) => {
    const name = stringOf(c, n);
    if (typeof name !== 'string') return name;
    const m = attrsOf(c, s);
    return m instanceof Map ? bool(m.has(name)) : m;
  }),
  getAttr: () => prim('getAttr', 2, ([n, s], c) => {
    const name = stringOf(c, n);
    return typeof name === 'string' ? ev(c).selectName(F(c, s), name) : name;
  }),
  mapAttrs: () => prim('mapAttrs', 2, ([f, s], c) => mapAttrs(c, f, s)),
  listToAttrs: () => prim('listToAttrs', 1, ([xs], c) => listToAttrs(c, xs)),
  removeAttrs: () => prim('removeAttrs', 2, ([s, names], c) => {
    const m = attrsOf(c, s);
    if (!(m instanceof Map)) return m;
    const ns = strings(c, names);
    if (!Array.isArray(ns)) return ns;
    return { t: 'attrs', attrs: new Map([...m].filter(([k]) => !ns.includes(k))) };
  }),
  intersectAttrs: () => prim('intersectAttrs', 2, ([a, b], c) => {
    const x = attrsOf(c, a);
    const y = attrsOf(c, b);
    if (!(x instanceof Map)) return x;
    if (!(y instanceof Map)) return y;
    return { t: 'attrs', attrs: new Map([...y].filter(([k]) => x.has(k))) };
  }),
  catAttrs: () => prim('catAttrs', 2, ([n, xs], c) => {
    const name = stringOf(c, n);
    if (typeof name !== 'string') return name;
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    const out: Thunk[] = [];
    for (const x of list0) {
      const m = attrsOf(c, x);
      if (!(m instanceof Map)) return m;
      const t = m.get(name);
      if (t) out.push(t);
    }
    return { t: 'list', items: out };
  }),
  concatLists: () => prim('concatLists', 1, ([xs], c) => concatLists(c, xs)),
  concatMap: () => prim('concatMap', 2, ([f, xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? concatLists(c, Thunk.of({ t: 'list', items: list0.map(x => later(c, f, x)) })) : list0;
  }),
  concatStringsSep: () => prim('concatStringsSep', 2, ([sep, xs], c) => {
    const s = stringOf(c, sep);
    if (typeof s !== 'string') return s;
    const parts = strings(c, xs);
    return Array.isArray(parts) ? str(parts.join(s)) : parts;
  }),
  elem: () => prim('elem', 2, ([x, xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    let unsure: Value | undefined;
    for (const y of list0) {
      const e = equalValues(c, F(c, x), F(c, y));
      if (e === true) return TRUE;
      if (e === undefined) unsure = unknown('unsupported', 'elem of values that cannot be compared');
    }
    return unsure ?? FALSE;
  }),
  elemAt: () => prim('elemAt', 2, ([xs, n], c) => {
    const list0 = items(c, xs);
    const i = F(c, n);
    if (!Array.isArray(list0)) return list0;
    if (i.t !== 'number') return bad(i, 'a number');
    return list0[i.v]?.get() ?? unknown('unsupported', 'elemAt out of range');
  }),
  head: () => prim('head', 1, ([xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? list0[0]?.get() ?? unknown('unsupported', 'head of an empty list') : list0;
  }),
  tail: () => prim('tail', 1, ([xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? { t: 'list', items: list0.slice(1) } : list0;
  }),
  length: () => prim('length', 1, ([xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? { t: 'number', v: list0.length } : list0;
  }),
  genList: () => prim('genList', 2, ([f, n], c) => {
    const count = F(c, n);
    if (count.t !== 'number') return bad(count, 'a number');
    if (count.v > 10_000) return unknown('budget', 'a list too long');
    return { t: 'list', items: Array.from({ length: count.v }, (_, i) => later(c, f, { t: 'number', v: i })) };
  }),
  "foldl'": () => prim("foldl'", 3, ([op, init, xs], c) => foldl(c, op, init, xs)),
  any: () => prim('any', 2, ([f, xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    for (const x of list0) {
      const r = F(c, later(c, f, x));
      if (r.t !== 'bool') return bad(r, 'a boolean');
      if (r.v) return TRUE;
    }
    return FALSE;
  }),
  all: () => prim('all', 2, ([f, xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    for (const x of list0) {
      const r = F(c, later(c, f, x));
      if (r.t !== 'bool') return bad(r, 'a boolean');
      if (!r.v) return FALSE;
    }
    return TRUE;
  }),
  sort: () => prim('sort', 2, ([less, xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    let failed: Value | undefined;
    const sorted = [...list0].sort((a, b) => {
      const r = F(c, later(c, less, a, b));
      if (r.t !== 'bool') {
        failed ??= bad(r, 'a boolean');
        return 0;
      }
      return r.v ? -1 : 1;
    });
    return failed ?? { t: 'list', items: sorted };
  }),
  typeOf: () => prim('typeOf', 1, ([x], c) => {
    const v = F(c, x);
    const t = typeOf(v);
    return t ? str(t) : isUnknown(v) ? v : unknown('unsupported', 'the type of this value');
  }),
  isAttrs: () => is('Attrs'),
  isList: () => is('List'),
  isString: () => is('String'),
  isPath: () => is('Path'),
  isFunction: () => is('Function'),
  isBool: () => is('Bool'),
  isInt: () => is('Int'),
  isNull: () => prim('isNull', 1, ([x], c) => {
    const v = F(c, x);
    return isUnknown(v) ? v : bool(v.t === 'null');
  }),
  functionArgs: () => prim('functionArgs', 1, ([f], c) => {
    const v = F(c, f);
    if (v.t === 'prim') return attrs([]);
    if (v.t !== 'lambda') return bad(v, 'a function');
    const formals = v.node.childForFieldName('formals');
    return attrs((formals?.childrenForFieldName('formal') ?? []).flatMap(x => {
      const name = x?.childForFieldName('name')?.text;
      return name ? [[name, bool(!!x.childForFieldName('default'))] as [string, Value]] : [];
    }));
  }),
  pathExists: () => prim('pathExists', 1, ([p], c) => {
    const s = stringOf(c, p);
    if (typeof s !== 'string') return s;
    const dir = path.dirname(s);
    const entries = c.readDir(dir);
    if (!entries) return c.readDir(s) ? TRUE : FALSE;
    return bool(entries.has(path.basename(s)) || !!c.readDir(s));
  }),
  readFileType: () => prim('readFileType', 1, ([p], c) => {
    const s = stringOf(c, p);
    if (typeof s !== 'string') return s;
    const t = c.readDir(path.dirname(s))?.get(path.basename(s));
    return t ? str(t) : unknown('io', `${path.basename(s)} (not found)`);
  }),
  readFile: () => prim('readFile', 1, ([p], c) => {
    const s = stringOf(c, p);
    if (typeof s !== 'string') return s;
    const text = c.readText(s);
    return text === undefined ? unknown('io', `${path.basename(s)} (not read)`) : str(text);
  }),
  fromJSON: () => prim('fromJSON', 1, ([s], c) => {
    const text = stringOf(c, s);
    if (typeof text !== 'string') return text;
    try {
      return fromJson(JSON.parse(text));
    } catch {
      return unknown('unsupported', 'JSON that does not parse');
    }
  }),
  fromTOML: () => prim('fromTOML', 1, ([s], c) => {
    const text = stringOf(c, s);
    if (typeof text !== 'string') return text;
    try {
      return fromJson(parseToml(text));
    } catch {
      return unknown('unsupported', 'TOML we do not read');
    }
  }),
  match: () => strings2('match', (re, s) => {
    const r = regex(re);
    if (!r) return unknown('unsupported', `the regular expression ${re}`);
    const m = r.exec(s);
    return m ? list(m.slice(1).map(g => (g === undefined ? NULL : str(g)))) : NULL;
  }),
  replaceStrings: () => prim('replaceStrings', 3, ([from, to, s], c) => {
    const a = items(c, from);
    const b = items(c, to);
    const text = stringOf(c, s);
    if (!Array.isArray(a)) return a;
    if (!Array.isArray(b)) return b;
    if (typeof text !== 'string') return text;
    const fs: string[] = [];
    const ts: string[] = [];
    for (let i = 0; i < a.length; i++) {
      const x = stringOf(c, a[i]);
      const y = b[i] ? stringOf(c, b[i]) : '';
      if (typeof x !== 'string') return x;
      if (typeof y !== 'string') return y;
      fs.push(x);
      ts.push(y);
    }
    let out = '';
    for (let i = 0; i < text.length;) {
      const k = fs.findIndex(f => text.startsWith(f, i));
      if (k < 0) {
        out += text[i++];
      } else {
        out += ts[k];
        if (fs[k] === '') out += text[i++] ?? '';
        else i += fs[k].length;
      }
    }
    return str(out);
  }),
  substring: () => prim('substring', 3, ([start, len, s], c) => {
    const a = F(c, start);
    const n = F(c, len);
    const text = stringOf(c, s);
    if (a.t !== 'number') return bad(a, 'a number');
    if (n.t !== 'number') return bad(n, 'a number');
    if (typeof text !== 'string') return text;
    return str(n.v < 0 ? text.slice(a.v) : text.slice(a.v, a.v + n.v));
  }),
  stringLength: () => prim('stringLength', 1, ([s], c) => {
    const text = stringOf(c, s);
    return typeof text === 'string' ? { t: 'number', v: Buffer.byteLength(text) } : text;
  }),
  baseNameOf: () => prim('baseNameOf', 1, ([p], c) => {
    const s = stringOf(c, p);
    return typeof s === 'string' ? str(path.basename(s)) : s;
  }),
  dirOf: () => prim('dirOf', 1, ([p], c) => {
    const v = F(c, p);
    if (v.t === 'path') return { t: 'path', v: flatPath(path.dirname(v.v)) };
    const s = stringOf(c, p);
    return typeof s === 'string' ? str(path.dirname(s)) : s;
  }),
  trace: () => prim('trace', 2, ([, x]) => x.get()),
  // warnings and traces change nothing: the value is the last argument, whatever the condition
  warn: () => prim('warn', 2, ([, x]) => x.get()),
  warnIf: () => prim('warnIf', 3, ([, , x]) => x.get()),
  warnIfNot: () => prim('warnIfNot', 3, ([, , x]) => x.get()),
  traceIf: () => prim('traceIf', 3, ([, , x]) => x.get()),
  traceVal: () => prim('traceVal', 1, ([x]) => x.get()),
  traceSeq: () => prim('traceSeq', 2, ([, x]) => x.get()),
  throwIf: () => prim('throwIf', 3, ([cond, , x], c) => {
    const b = F(c, cond);
    return b.t === 'bool' ? (b.v ? unknown('unsupported', 'a throwIf that throws') : x.get()) : bad(b, 'a boolean');
  }),
  throwIfNot: () => prim('throwIfNot', 3, ([cond, , x], c) => {
    const b = F(c, cond);
    return b.t === 'bool' ? (!b.v ? unknown('unsupported', 'a throwIfNot that throws') : x.get()) : bad(b, 'a boolean');
  }),
  seq: () => prim('seq', 2, ([, x]) => x.get()),
  deepSeq: () => prim('deepSeq', 2, ([, x]) => x.get()),
  tryEval: () => prim('tryEval', 1, () => unknown('unsupported', 'tryEval')),
  lessThan: () => prim('lessThan', 2, ([a, b], c) => {
    const x = F(c, a);
    const y = F(c, b);
    return x.t === 'number' && y.t === 'number' ? bool(x.v < y.v) : isUnknown(x) ? x : bad(y, 'a number');
  }),
  add: () => prim('add', 2, ([a, b], c) => {
    const x = F(c, a);
    const y = F(c, b);
    return x.t === 'number' && y.t === 'number' ? { t: 'number', v: x.v + y.v } : isUnknown(x) ? x : bad(y, 'a number');
  }),
  currentSystem: () => unknown('impure', 'builtins.currentSystem'),
  getEnv: () => prim('getEnv', 1, () => unknown('impure', 'builtins.getEnv')),
  readDir: () => folderFunctions.readDir,
  path: () => prim('path', 1, ([a], c) => {
    const m = attrsOf(c, a);
    return m instanceof Map ? m.get('path')?.get() ?? unknown('unsupported', 'builtins.path without path') : m;
  }),
  filterSource: () => prim('filterSource', 2, ([, p]) => p.get()),
  toPath: () => prim('toPath', 1, ([p], c) => {
    const s = stringOf(c, p);
    return typeof s === 'string' ? { t: 'path', v: s } : s;
  }),
  fetchTarball: () => prim('fetchTarball', 1, () => unknown('impure', 'a fetchTarball')),
  fetchGit: () => prim('fetchGit', 1, () => unknown('impure', 'a fetchGit')),
  fetchurl: () => prim('fetchurl', 1, () => unknown('impure', 'a fetchurl')),
  derivation: () => prim('derivation', 1, () => unknown('unsupported', 'a derivation')),
  unsafeGetAttrPos: () => prim('unsafeGetAttrPos', 2, () => NULL),
  compareVersions: () => strings2('compareVersions', (a, b) => ({ t: 'number', v: compareVersions(a, b) })),
  parseDrvName: () => prim('parseDrvName', 1, ([s0], c) => {
    const n = stringOf(c, s0);
    if (typeof n !== 'string') return n;
    const r = parseDrvName(n);
    return attrs([['name', str(r.name)], ['version', str(r.version)]]);
  }),
  hashString: () => prim('hashString', 2, () => unknown('unsupported', 'hashString')),
  split: () => prim('split', 2, () => unknown('unsupported', 'builtins.split')),
  groupBy: () => prim('groupBy', 2, () => unknown('unsupported', 'groupBy')),
  zipAttrsWith: () => prim('zipAttrsWith', 2, () => unknown('unsupported', 'zipAttrsWith')),
  partition: () => prim('partition', 2, ([f, xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    const right: Thunk[] = [];
    const wrong: Thunk[] = [];
    for (const x of list0) {
      const r = F(c, later(c, f, x));
      if (r.t !== 'bool') return bad(r, 'a boolean');
      (r.v ? right : wrong).push(x);
    }
    return attrs([['right', { t: 'list', items: right }], ['wrong', { t: 'list', items: wrong }]]);
  }),
};

/** Names visible without `builtins.` (the rest only through it). */
const TOP_LEVEL = ['true', 'false', 'null', 'import', 'scopedImport', 'toString', 'throw', 'abort', 'map', 'removeAttrs', 'baseNameOf', 'dirOf', 'isNull', 'derivation', 'fetchTarball', 'fetchGit', 'fetchurl'];

/** builtins.parseDrvName: the name ends at the first dash followed by something other than a letter. */
function parseDrvName(s0: string): { name: string; version: string } {
  const m = /-(?![A-Za-z])/.exec(s0);
  return m ? { name: s0.slice(0, m.index), version: s0.slice(m.index + 1) } : { name: s0, version: '' };
}

/** builtins.compareVersions: components split at dots and dashes, numbers numerically, "pre" before anything. */
function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.-]/).flatMap(p => p.match(/\d+|\D+/g) ?? []);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? '';
    const q = y[i] ?? '';
    if (p === q) continue;
    const np = /^\d+$/.test(p);
    const nq = /^\d+$/.test(q);
    if (np && nq) return Number(p) < Number(q) ? -1 : 1;
    if (p === '' || q === 'pre') return q === 'pre' ? 1 : -1;
    if (q === '' || p === 'pre') return p === 'pre' ? -1 : 1;
    if (np) return 1;
    if (nq) return -1;
    return p < q ? -1 : 1;
  }
  return 0;
}

function fromJson(x: unknown): Value {
  if (x === null) return NULL;
  if (typeof x === 'boolean') return bool(x);
  if (typeof x === 'number') return { t: 'number', v: x };
  if (typeof x === 'string') return str(x);
  if (Array.isArray(x)) return list(x.map(fromJson));
  return attrs(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)]));
}

/** `import x`: a file value (a module list names the file), nixpkgs imported, or unknown. */
function importValue(c: EvalContext, p: Thunk): Value {
  const v = F(c, p);
  if (v.t === 'path') return c.importFile(v.v);
  if (v.t === 'string' && v.path) return c.importFile(v.v);
  if (v.t === 'input' && v.path.length === 0 && v.flake.kind(v.name) === 'nixpkgs') {
    return prim('nixpkgs', 1, ([args], cc) => {
      const a = F(cc, args);
      return { t: 'pkgs', config: a.t === 'attrs' ? a.attrs.get('config') ?? Thunk.of(attrs([])) : undefined };
    });
  }
  if (v.t === 'input') {
    const source = v.flake.source(v.name);
    if (source && v.path.length === 0) return c.importFile(source);
    return unknown('input', `import of input ${v.name}`, v.name);
  }
  if (v.t === 'attrs' && v.attrs.has('outPath')) {
    const s = coerceToString(c, v);
    if (s.t === 'string') return c.importFile(s.v);
  }
  return bad(v, 'a path');
}

let base: Env | undefined;

/** The environment every file starts from: builtins, and the names Nix puts in scope without them. */
export function baseEnv(): Env {
  if (base) return base;
  const all = new Map<string, Thunk>();
  for (const [name, make] of Object.entries(BUILTINS)) all.set(name, new Thunk(make));
  const builtins = Thunk.of({ t: 'attrs', attrs: all });
  const vars = new Map<string, Thunk>([['builtins', builtins]]);
  for (const name of TOP_LEVEL) vars.set(name, all.get(name)!);
  return (base = new Env(vars));
}

function builtin(name: string): Value {
  return BUILTINS[name]();
}

/** lib functions written in terms of the builtins above. */
const LIB: Record<string, () => Value> = {
  genAttrs: () => prim('genAttrs', 2, ([names, f], c) => {
    const list0 = items(c, names);
    if (!Array.isArray(list0)) return list0;
    const out = new Map<string, Thunk>();
    for (const n of list0) {
      const name = stringOf(c, n);
      if (typeof name !== 'string') return name;
      out.set(name, later(c, f, str(name)));
    }
    return { t: 'attrs', attrs: out };
  }),
  "mapAttrs'": () => prim("mapAttrs'", 2, ([f, s], c) => {
    const m = attrsOf(c, s);
    if (!(m instanceof Map)) return m;
    return listToAttrs(c, Thunk.of(list(sortedKeys(m).map(k => later(c, f, str(k), m.get(k)!)))));
  }),
  mapAttrsToList: () => prim('mapAttrsToList', 2, ([f, s], c) => {
    const m = attrsOf(c, s);
    return m instanceof Map ? list(sortedKeys(m).map(k => later(c, f, str(k), m.get(k)!))) : m;
  }),
  attrsToList: () => prim('attrsToList', 1, ([s], c) => {
    const m = attrsOf(c, s);
    return m instanceof Map ? list(sortedKeys(m).map(k => attrs([['name', str(k)], ['value', m.get(k)!]]))) : m;
  }),
  concatMapAttrs: () => prim('concatMapAttrs', 2, ([f, s], c) => overAttrs(c, f, s, (part, _, out) => {
    if (part.t !== 'attrs') return bad(part, 'an attribute set');
    for (const [kk, t] of part.attrs) out.set(kk, t);
    return undefined;
  })),
  nameValuePair: () => prim('nameValuePair', 2, ([n, v]) => attrs([['name', n], ['value', v]])),
  filterAttrs: () => prim('filterAttrs', 2, ([f, s], c) => overAttrs(c, f, s, (keep, [k, v], out) => {
    if (keep.t !== 'bool') return bad(keep, 'a boolean');
    if (keep.v) out.set(k, v);
    return undefined;
  })),
  hasSuffix: () => strings2('hasSuffix', (suffix, s) => bool(s.endsWith(suffix))),
  hasPrefix: () => strings2('hasPrefix', (prefix, s) => bool(s.startsWith(prefix))),
  hasInfix: () => strings2('hasInfix', (infix, s) => bool(s.includes(infix))),
  removeSuffix: () => strings2('removeSuffix', (suffix, s) => str(suffix && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s)),
  removePrefix: () => strings2('removePrefix', (prefix, s) => str(s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  splitString: () => strings2('splitString', (sep, s) => list(s.split(sep).map(x => str(x)))),
  toLower: () => string1('toLower', x => str(x.toLowerCase())),
  toUpper: () => string1('toUpper', x => str(x.toUpperCase())),
  optional: () => onlyIf('optional', (_, x) => list([x]), () => list([])),
  optionals: () => onlyIf('optionals', (c, xs) => F(c, xs), () => list([])),
  optionalAttrs: () => onlyIf('optionalAttrs', (c, s) => F(c, s), () => attrs([])),
  optionalString: () => onlyIf('optionalString', (c, s) => F(c, s), () => str('')),
  flatten: () => prim('flatten', 1, ([xs], c) => {
    const out = flatten(c, xs);
    return Array.isArray(out) ? { t: 'list', items: out } : out;
  }),
  unique: () => prim('unique', 1, ([xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    const out: Thunk[] = [];
    for (const x of list0) {
      let dup = false;
      for (const y of out) {
        const e = equalValues(c, F(c, x), F(c, y));
        if (e === undefined) return unknown('unsupported', 'unique of values that cannot be compared');
        if (e) dup = true;
      }
      if (!dup) out.push(x);
    }
    return { t: 'list', items: out };
  }),
  foldl: () => prim('foldl', 3, ([op, init, xs], c) => foldl(c, op, init, xs)),
  foldr: () => prim('foldr', 3, ([op, init, xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    let acc: Thunk = init;
    for (let i = list0.length - 1; i >= 0; i--) acc = Thunk.of(call(c, op, list0[i], acc));
    return acc.get();
  }),
  recursiveUpdate: () => prim('recursiveUpdate', 2, ([a, b], c) => recursiveUpdate(c, a, b, 0)),
  attrByPath: () => prim('attrByPath', 3, ([p, dflt, s], c) => byPath(c, p, s, v => v, () => F(c, dflt))),
  getAttrFromPath: () => prim('getAttrFromPath', 2, ([p, s], c) => byPath(c, p, s, v => v, (v, name) => ev(c).selectName(v, name))),
  forEach: () => prim('forEach', 2, ([xs, f], c) => call(c, builtin('map'), f, xs)),
  imap0: () => prim('imap0', 2, ([f, xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? { t: 'list', items: list0.map((x, i) => later(c, f, { t: 'number', v: i }, x)) } : list0;
  }),
  imap1: () => prim('imap1', 2, ([f, xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? { t: 'list', items: list0.map((x, i) => later(c, f, { t: 'number', v: i + 1 }, x)) } : list0;
  }),
  id: () => prim('id', 1, ([x]) => x.get()),
  const: () => prim('const', 2, ([x]) => x.get()),
  flip: () => prim('flip', 3, ([f, a, b], c) => call(c, f, b, a)),
  pipe: () => prim('pipe', 2, ([x, fs], c) => {
    const list0 = items(c, fs);
    if (!Array.isArray(list0)) return list0;
    let v: Thunk = x;
    for (const f of list0) {
      const before = v;
      v = Thunk.of(call(c, f, before));
    }
    return v.get();
  }),
  fix: () => prim('fix', 1, ([f], c) => {
    let self: Thunk;
    // eslint-disable-next-line prefer-const
    self = new Thunk(() => call(c, f, self));
    return self.get();
  }),
  last: () => prim('last', 1, ([xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? list0[list0.length - 1]?.get() ?? unknown('unsupported', 'last of an empty list') : list0;
  }),
  init: () => prim('init', 1, ([xs], c) => {
    const list0 = items(c, xs);
    return Array.isArray(list0) ? { t: 'list', items: list0.slice(0, -1) } : list0;
  }),
  take: () => prim('take', 2, ([n, xs], c) => {
    const k = F(c, n);
    const list0 = items(c, xs);
    if (k.t !== 'number') return bad(k, 'a number');
    return Array.isArray(list0) ? { t: 'list', items: list0.slice(0, k.v) } : list0;
  }),
  drop: () => prim('drop', 2, ([n, xs], c) => {
    const k = F(c, n);
    const list0 = items(c, xs);
    if (k.t !== 'number') return bad(k, 'a number');
    return Array.isArray(list0) ? { t: 'list', items: list0.slice(k.v) } : list0;
  }),
  remove: () => prim('remove', 2, ([x, xs], c) => filterList(c, Thunk.of(prim('notEqual', 1, ([y], cc) => {
    const e = equalValues(cc, F(cc, x), F(cc, y));
    return e === undefined ? unknown('unsupported', 'remove of values that cannot be compared') : bool(!e);
  })), xs)),
  subtractLists: () => prim('subtractLists', 2, ([a, b], c) => filterList(c, Thunk.of(prim('notIn', 1, ([y], cc) => {
    const r = call(cc, builtin('elem'), y, a);
    return r.t === 'bool' ? bool(!r.v) : r;
  })), b)),
  range: () => prim('range', 2, ([a, b], c) => {
    const x = F(c, a);
    const y = F(c, b);
    if (x.t !== 'number' || y.t !== 'number') return isUnknown(x) ? x : bad(y, 'a number');
    if (y.v - x.v > 10_000) return unknown('budget', 'a range too long');
    return list(Array.from({ length: Math.max(0, y.v - x.v + 1) }, (_, i) => ({ t: 'number', v: x.v + i }) as Value));
  }),
  concatMapStringsSep: () => prim('concatMapStringsSep', 3, ([sep, f, xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    return call(c, builtin('concatStringsSep'), sep, list(list0.map(x => later(c, f, x))));
  }),
  makeOverridable: () => prim('makeOverridable', 1, ([f]) => f.get()),
  concat: () => prim('concat', 2, ([a, b], c) => {
    const x = items(c, a);
    const y = items(c, b);
    if (!Array.isArray(x)) return x;
    return Array.isArray(y) ? { t: 'list', items: [...x, ...y] } : y;
  }),
  // the nixpkgs these configurations are built with is recent: lib.oldestSupportedReleaseIsAtLeast is asked of it
  // (every nixpkgs the catalog knows, 24.05 on, supports nothing older than 23.11)
  oldestSupportedReleaseIsAtLeast: () => prim('oldestSupportedReleaseIsAtLeast', 1, ([r], c) => {
    const v = F(c, r);
    return v.t === 'number' && v.v <= 2311 ? TRUE : isUnknown(v) ? v : unknown('unsupported', 'the release of the nixpkgs lib');
  }),
  // modules that rename, alias or remove options: they declare the old name and define the new one
  mkRenamedOptionModule: () => prim('mkRenamedOptionModule', 2, ([from, to], c) => renameModule(c, from, to)),
  mkAliasOptionModule: () => prim('mkAliasOptionModule', 2, ([from, to], c) => renameModule(c, from, to)),
  mkRenamedOptionModuleWith: () => prim('mkRenamedOptionModuleWith', 1, ([a], c) => {
    const m = attrsOf(c, a);
    return m instanceof Map ? renameModule(c, m.get('from') ?? Thunk.of(list([])), m.get('to')) : m;
  }),
  mkChangedOptionModule: () => prim('mkChangedOptionModule', 3, ([from, to], c) => renameModule(c, from, to)),
  mkMergedOptionModule: () => prim('mkMergedOptionModule', 3, ([, to], c) => renameModule(c, Thunk.of(list([])), to)),
  mkRemovedOptionModule: () => prim('mkRemovedOptionModule', 2, ([from], c) => renameModule(c, from, undefined)),
  // lib.modules.importApply ./module.nix args: the file's function called with args, a module
  importApply: () => prim('importApply', 2, ([p, a], c) => c.apply(importValue(c, p), a)),
  getName: () => prim('getName', 1, ([p], c) => {
    const v = F(c, p);
    if (v.t === 'attrs') {
      const pname = v.attrs.get('pname');
      if (pname) return F(c, pname);
      const name = v.attrs.get('name');
      if (!name) return unknown('unsupported', 'getName of a package without a name');
      const n = stringOf(c, name);
      return typeof n === 'string' ? str(parseDrvName(n).name) : n;
    }
    const s0 = stringOf(c, p);
    return typeof s0 === 'string' ? str(parseDrvName(s0).name) : s0;
  }),
  mergeAttrsList: () => prim('mergeAttrsList', 1, ([xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    const out = new Map<string, Thunk>();
    for (const x of list0) {
      const m = attrsOf(c, x);
      if (!(m instanceof Map)) return m;
      for (const [k, t] of m) out.set(k, t);
    }
    return { t: 'attrs', attrs: out };
  }),
  foldlAttrs: () => prim('foldlAttrs', 3, ([f, init, s], c) => {
    const m = attrsOf(c, s);
    if (!(m instanceof Map)) return m;
    let acc: Thunk = init;
    for (const k of sortedKeys(m)) acc = Thunk.of(call(c, f, acc, str(k), m.get(k)!));
    return acc.get();
  }),
  hasAttrByPath: () => prim('hasAttrByPath', 2, ([p, s], c) => byPath(c, p, s, () => TRUE, () => FALSE)),
  setAttrByPath: () => prim('setAttrByPath', 2, ([p, v], c) => {
    const names = items(c, p);
    if (!Array.isArray(names)) return names;
    let out: Value = v.get();
    for (let i = names.length - 1; i >= 0; i--) {
      const name = stringOf(c, names[i]);
      if (typeof name !== 'string') return name;
      out = attrs([[name, out]]);
    }
    return out;
  }),
  findFirst: () => prim('findFirst', 3, ([pred, dflt, xs], c) => {
    const list0 = items(c, xs);
    if (!Array.isArray(list0)) return list0;
    for (const x of list0) {
      const r = F(c, later(c, pred, x));
      if (r.t !== 'bool') return bad(r, 'a boolean');
      if (r.v) return x.get();
    }
    return dflt.get();
  }),
  concatStrings: () => prim('concatStrings', 1, ([xs], c) => call(c, builtin('concatStringsSep'), str(''), xs)),
  singleton: () => prim('singleton', 1, ([x]) => ({ t: 'list', items: [x] })),
  toList: () => prim('toList', 1, ([x], c) => {
    const v = F(c, x);
    return v.t === 'list' || isUnknown(v) ? v : { t: 'list', items: [x] };
  }),
  boolToString: () => prim('boolToString', 1, ([b], c) => {
    const v = F(c, b);
    return v.t === 'bool' ? str(v.v ? 'true' : 'false') : bad(v, 'a boolean');
  }),
  versionAtLeast: () => strings2('versionAtLeast', (a, b) => bool(compareVersions(a, b) >= 0)),
  versionOlder: () => strings2('versionOlder', (a, b) => bool(compareVersions(a, b) < 0)),
  nixosSystem: () => systemBuilder('nixos'),
  extend: () => prim('extend', 1, ([f], c) => {
    // lib.extend (final: prev: { … }): our lib with the additions, as a fixed point
    const prev = libValue();
    let self: Thunk;
    // eslint-disable-next-line prefer-const
    self = new Thunk(() => {
      const added = F(c, later(c, f, self, prev));
      if (added.t !== 'attrs' || prev.t !== 'attrs') return bad(added, 'an attribute set');
      return { t: 'attrs', attrs: new Map([...prev.attrs, ...added.attrs]) };
    });
    return self.get();
  }),
  // the values the module system reads these as (as lib writes them): `_type` tells it how
  mkIf: () => prim('mkIf', 2, ([condition, content]) => attrs([['_type', str('if')], ['condition', condition], ['content', content]])),
  mkMerge: () => prim('mkMerge', 1, ([contents]) => attrs([['_type', str('merge')], ['contents', contents]])),
  mkOverride: () => prim('mkOverride', 2, ([priority, content]) => override(priority, content)),
  mkDefault: () => prim('mkDefault', 1, ([content]) => override(Thunk.of({ t: 'number', v: 1000 }), content)),
  mkForce: () => prim('mkForce', 1, ([content]) => override(Thunk.of({ t: 'number', v: 50 }), content)),
  mkOptionDefault: () => prim('mkOptionDefault', 1, ([content]) => override(Thunk.of({ t: 'number', v: 1500 }), content)),
  // an option declaration is an attribute set the module system recognises by `_type`
  mkOption: () => prim('mkOption', 1, ([a], c) => {
    const given = F(c, a);
    return given.t === 'attrs' ? { t: 'attrs', attrs: new Map([...given.attrs, ['_type', Thunk.of(str('option'))]]) } : bad(given, 'an attribute set');
  }),
  mkEnableOption: () => prim('mkEnableOption', 1, () => attrs([['_type', str('option')], ['default', FALSE]])),
  mkPackageOption: () => prim('mkPackageOption', 3, () => attrs([['_type', str('option')]])),
  listFilesRecursive: () => folderFunctions.listFilesRecursive,
  append: () => prim('append', 2, ([p, s], c) => {
    const base0 = F(c, p);
    const rest = stringOf(c, s);
    if (base0.t !== 'path') return bad(base0, 'a path');
    return typeof rest === 'string' ? { t: 'path', v: flatPath(path.join(base0.v, rest)) } : rest;
  }),
};

/** Option types: values a declaration carries (`with types; …` must find them), read no further. */
function optionTypes(): Value {
  const type = (name: string) => attrs([['_type', str('option-type')], ['name', str(name)]]);
  const simple = ['bool', 'str', 'int', 'float', 'number', 'path', 'package', 'lines', 'port', 'anything', 'raw', 'unspecified', 'attrs',
    'deferredModule', 'nonEmptyStr', 'singleLineStr', 'commas', 'envVar', 'shellPackage', 'pathInStore', 'externalPath', 'pkgs', 'luaInline'];
  const made = ['enum', 'either', 'oneOf', 'functionTo', 'strMatching', 'uniq', 'unique', 'separatedString', 'attrsWith', 'addCheck', 'coercedTo'];
  // the ones whose element type decides how definitions merge keep it
  const of = (n: string) => [n, prim(n, 1, ([e]) => attrs([['_type', str('option-type')], ['name', str(n)], ['elemType', e]]))] as [string, Value];
  return attrs([
    ...simple.map(n => [n, type(n)] as [string, Value]),
    ...made.map(n => [n, prim(n, n === 'coercedTo' ? 3 : n === 'either' || n === 'addCheck' ? 2 : 1, () => type(n))] as [string, Value]),
    ...['listOf', 'attrsOf', 'lazyAttrsOf', 'nullOr', 'nonEmptyListOf'].map(of),
    ['submodule', prim('submodule', 1, ([m]) => attrs([['_type', str('option-type')], ['name', str('submodule')], ['modules', m]]))],
    ['submoduleWith', prim('submoduleWith', 1, ([a], c) => {
      const m = attrsOf(c, a);
      return m instanceof Map ? attrs([['_type', str('option-type')], ['name', str('submodule')], ...(m.get('modules') ? [['modules', m.get('modules')!] as [string, Thunk]] : [])]) : m;
    })],
    ['ints', attrs(['unsigned', 'positive', 'u8', 'u16', 'u32', 's8', 's16', 's32', 'between'].map(n => [n, type(`ints.${n}`)] as [string, Value]))],
  ]);
}

/** The systems flake-utils calls "default" (the four flakes build for). */
const DEFAULT_SYSTEMS = ['x86_64-linux', 'aarch64-linux', 'x86_64-darwin', 'aarch64-darwin'];

/** flake-utils' lib: eachSystem / eachDefaultSystem turn `system: { a = …; }` into `{ a.<system> = …; }`. */
function flakeUtils(): Extract<Value, { t: 'attrs' }> {
  const each = (c: EvalContext, systems: string[], f: Thunk): Value => {
    const per = systems.map(sys => ({ sys, out: new Thunk(() => call(c, f, str(sys))) }));
    const first = F(c, per[0].out);
    if (first.t !== 'attrs') return bad(first, 'an attribute set');
    return attrs([...first.attrs.keys()].map(k => [k, attrs(per.map(({ sys, out }) => [sys, new Thunk(() => ev(c).selectName(out.get(), k))] as [string, Thunk]))] as [string, Value]));
  };
  return attrs([
    ['defaultSystems', list(DEFAULT_SYSTEMS.map(s0 => str(s0)))],
    ['eachDefaultSystem', prim('eachDefaultSystem', 1, ([f], c) => each(c, DEFAULT_SYSTEMS, f))],
    ['eachSystem', prim('eachSystem', 2, ([systems, f], c) => {
      const names = strings(c, systems);
      return !Array.isArray(names) ? names : names.length ? each(c, names, f) : attrs([]);
    })],
    ['system', attrs(DEFAULT_SYSTEMS.map(s0 => [s0, str(s0)] as [string, Value]))],
  ]) as Extract<Value, { t: 'attrs' }>;
}

/** A module declaring the option `from` and defining `to` (with a value we do not follow). */
function renameModule(c: EvalContext, from: Thunk, to: Thunk | undefined): Value {
  const f = strings(c, from);
  const t = to ? strings(c, to) : [];
  if (!Array.isArray(f)) return f;
  if (!Array.isArray(t)) return t;
  const nest = (path: string[], leaf: Value): Value => path.reduceRight<Value>((v, k) => attrs([[k, v]]), leaf);
  return attrs([
    ['options', f.length ? nest(f, unknown('unsupported', 'a renamed option')) : attrs([])],
    ['config', t.length ? nest(t, unknown('unsupported', `the value of ${f.join('.')}, renamed`)) : attrs([])],
  ]);
}

function override(priority: Thunk, content: Thunk): Value {
  return attrs([['_type', str('override')], ['priority', priority], ['content', content]]);
}

/** Functions whose value only the module system gives: left to the module walker. */
function moduleOnly(name: string, arity: number): Value {
  return prim(name, arity, () => unknown('unsupported', `lib.${name} outside a module`));
}

function recursiveUpdate(c: EvalContext, a: Thunk, b: Thunk, depth: number): Value {
  const x = attrsOf(c, a);
  const y = attrsOf(c, b);
  if (!(x instanceof Map)) return x;
  if (!(y instanceof Map)) return y;
  const out = new Map(x);
  for (const [k, t] of y) {
    const old = out.get(k);
    if (old && depth < 32) {
      const ov = F(c, old);
      const nv = F(c, t);
      if (ov.t === 'attrs' && nv.t === 'attrs') {
        out.set(k, Thunk.of(recursiveUpdate(c, old, t, depth + 1)));
        continue;
      }
    }
    out.set(k, t);
  }
  return { t: 'attrs', attrs: out };
}

/** `nixosSystem { … }`: the call is kept as it is (where, with which arguments), not evaluated. */
export function systemBuilder(set: 'nixos' | 'home-manager', input?: string): Value {
  return prim('nixosSystem', 1, ([args], c) => {
    const at = ev(c).call;
    if (!at) return unknown('unsupported', 'a configuration built without a call');
    return { t: 'system', set, args, file: at.file, call: at.node, ...(input ? { input } : {}) };
  });
}

/** The lib attribute set; `input`: the nixpkgs input it comes from (its nixosSystem records it). */
export function libValue(input?: string): Value {
  const m = new Map<string, Thunk>();
  const shared = new Map<string, Thunk>();
  for (const [name, make] of Object.entries(BUILTINS)) shared.set(name, new Thunk(make));
  for (const [name, make] of Object.entries(LIB)) shared.set(name, new Thunk(make));
  if (input) shared.set('nixosSystem', Thunk.of(systemBuilder('nixos', input)));
  for (const [k, t] of shared) m.set(k, t);
  const sub = Thunk.of({ t: 'attrs', attrs: shared });
  for (const ns of ['attrsets', 'lists', 'strings', 'trivial', 'filesystem', 'path', 'sources', 'versions', 'modules']) m.set(ns, sub);
  m.set('types', Thunk.of(optionTypes()));
  m.set('fileset', Thunk.of(attrs([
    ['toList', folderFunctions.filesetToList],
    ['fileFilter', folderFunctions.fileFilter],
    ['unions', folderFunctions.unions],
    ['maybeMissing', prim('maybeMissing', 1, ([p]) => p.get())],
  ])));
  return { t: 'attrs', attrs: m };
}

/** Which attribute of a flake input is a function we know: lib.nixosSystem, import-tree, haumea … */
export function selectFromInput(c: EvalContext, inp: Extract<Value, { t: 'input' }>, name: string | undefined, arg?: Thunk): Value {
  const kind = inp.flake.kind(inp.name);
  const p = name === undefined ? inp.path : [...inp.path, name];
  if (arg) {
    // an input called as a function: import-tree is one
    if (kind === 'import-tree' && inp.path.length === 0) return importTree(c, arg);
    return unknown('input', `calling input ${inp.name}${inp.path.length ? `.${inp.path.join('.')}` : ''}`, inp.name);
  }
  const joined = p.join('.');
  if (joined === 'outPath') {
    const source = inp.flake.source(inp.name);
    return source ? { t: 'path', v: source } : unknown('input', `the source of input ${inp.name}`, inp.name);
  }
  if (kind === 'nixpkgs') {
    if (joined === 'lib') return libValue(inp.name);
    if (p.length === 3 && p[0] === 'legacyPackages') return { t: 'pkgs', legacy: true };
    if (joined === 'nixosModules.notDetected') return { t: 'input', flake: inp.flake, name: inp.name, path: p };
  }
  if (kind === 'home-manager' && joined === 'lib.homeManagerConfiguration') return systemBuilder('home-manager', inp.name);
  if (kind === 'haumea' && joined === 'lib.load') return prim('haumea.load', 1, ([a], cc) => haumeaLoad(cc, a));
  if (kind === 'haumea' && p[0] === 'lib' && p[1] === 'loaders' && p.length === 3) return str(`haumea-loader:${p[2]}`);
  if (kind === 'import-tree' && p.length === 1) return unknown('input', `import-tree.${p[0]}`, inp.name);
  if (kind === 'snowfall-lib' && p.length === 1) return c.selectName(snowfallLib(), p[0]);
  if (kind === 'colmena' && joined === 'lib.makeHive') return c.selectName(colmenaLib(), 'makeHive');
  if (kind === 'flake-utils' && p[0] === 'lib' && p.length === 2) {
    const fu = flakeUtils().attrs.get(p[1]);
    if (fu) return fu.get();
  }
  if (kind === 'flake-parts' && joined === 'lib.mkFlake') return prim('mkFlake', 2, ([options, module], cc) => mkFlake(cc as Evaluator, options, module));
  return { t: 'input', flake: inp.flake, name: inp.name, path: p };
}

/** The licences nixpkgs' CUDA predicate lets in (pkgs._cuda.lib.allowUnfreeCudaPredicate). */
const CUDA_LICENSES = new Set(['CUDA EULA', 'cuDNN EULA', 'cuSPARSELt EULA', 'cuTENSOR EULA', 'NVidia OptiX EULA', 'TensorRT EULA']);

/** `pkgs._cuda`: of nixpkgs' CUDA internals, the predicate that allows CUDA's own unfree licences only. */
export function cudaInternals(): Value {
  const predicate = prim('allowUnfreeCudaPredicate', 1, ([p], c) => {
    const pkg = F(c, p);
    if (pkg.t !== 'attrs') return bad(pkg, 'a package');
    const meta = pkg.attrs.get('meta');
    const m = meta ? F(c, meta) : undefined;
    const l = m?.t === 'attrs' ? m.attrs.get('license') : undefined;
    if (!l) return unknown('unsupported', 'a package without meta.license');
    const lv = F(c, l);
    const licences = lv.t === 'list' ? lv.items.map(t => F(c, t)) : [lv];
    for (const lic of licences) {
      if (lic.t !== 'attrs') return bad(lic, 'a licence');
      const free = lic.attrs.get('free');
      const short = lic.attrs.get('shortName');
      const f = free ? F(c, free) : FALSE;
      const n = short ? F(c, short) : undefined;
      if (f.t === 'bool' && f.v) continue;
      if (n?.t !== 'string') return n && isUnknown(n) ? n : unknown('unsupported', 'a licence without shortName');
      if (!CUDA_LICENSES.has(n.v)) return FALSE;
    }
    return TRUE;
  });
  return attrs([['lib', Thunk.of(attrs([['allowUnfreeCudaPredicate', Thunk.of(predicate)]]))]]);
}

export { later, call, F as forceThunk };
