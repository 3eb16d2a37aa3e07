import type { Evaluator } from './evaluate';
import { FALSE, isUnknown, kindOf, prim, str, Thunk, TRUE, unknown, type EvalContext, type Value } from './value';

/** What the builtins and lib functions share: forcing, coercing and reading values, and the shapes of prims. */

export type Ev = EvalContext & Pick<Evaluator, 'value' | 'forceValue' | 'selectName' | 'call'>;

export const ev = (c: EvalContext) => c as Ev;

/** Force a thunk through imports. */
export function F(c: EvalContext, t: Thunk): Value {
  return ev(c).forceValue(t);
}

export function bad(v: Value, want: string): Value {
  return isUnknown(v) ? v : unknown('unsupported', `${want} expected, got ${kindOf(v)}`);
}

export function bool(b: boolean): Value {
  return b ? TRUE : FALSE;
}

/** `f x` for a function value and an argument (value or thunk). */
export function call(c: EvalContext, f: Value | Thunk, ...args: Array<Value | Thunk>): Value {
  let v = f instanceof Thunk ? f.get() : f;
  for (const a of args) v = c.apply(v, a instanceof Thunk ? a : Thunk.of(a));
  return v;
}

/** A lazily applied `f x`. */
export function later(c: EvalContext, f: Value | Thunk, ...args: Array<Value | Thunk>): Thunk {
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

export function typeOf(v: Value): string | undefined {
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

export function is(type: string) {
  return prim(`is${type}`, 1, ([x], c) => {
    const v = F(c, x);
    const t = typeOf(v);
    return t === undefined ? (isUnknown(v) ? v : unknown('unsupported', `the type of ${kindOf(v)}`)) : bool(t === type.toLowerCase() || (type === 'Function' && t === 'lambda') || (type === 'Attrs' && t === 'set') || (type === 'Int' && t === 'int'));
  });
}

/** A list value's items, or the Value that stands in the way. */
export function items(c: EvalContext, t: Thunk): Thunk[] | Value {
  const v = F(c, t);
  return v.t === 'list' ? v.items : bad(v, 'a list');
}

export function attrsOf(c: EvalContext, t: Thunk): Map<string, Thunk> | Value {
  const v = F(c, t);
  return v.t === 'attrs' ? v.attrs : bad(v, 'an attribute set');
}

export function stringOf(c: EvalContext, t: Thunk): string | Value {
  const v = coerceToString(c, F(c, t));
  return v.t === 'string' ? v.v : v;
}

/** A list of strings, or the Value that stands in the way. */
export function strings(c: EvalContext, t: Thunk): string[] | Value {
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
export function sortedKeys(m: Map<string, Thunk>): string[] {
  return [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function filterList(c: EvalContext, pred: Thunk, xs: Thunk): Value {
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

export function listToAttrs(c: EvalContext, xs: Thunk): Value {
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

export function mapAttrs(c: EvalContext, f: Thunk, set: Thunk): Value {
  const m = attrsOf(c, set);
  if (!(m instanceof Map)) return m;
  const out = new Map<string, Thunk>();
  for (const k of sortedKeys(m)) out.set(k, later(c, f, str(k), m.get(k)!));
  return { t: 'attrs', attrs: out };
}

export function foldl(c: EvalContext, op: Thunk, init: Thunk, xs: Thunk): Value {
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

export function concatLists(c: EvalContext, xs: Thunk): Value {
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

export function flatten(c: EvalContext, t: Thunk, depth = 0): Thunk[] | Value {
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
export function regex(re: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${re.replace(/\[\[:(alpha|digit|alnum|space|upper|lower):\]\]/g, (_, k: string) => ({ alpha: '[A-Za-z]', digit: '[0-9]', alnum: '[A-Za-z0-9]', space: '\\s', upper: '[A-Z]', lower: '[a-z]' })[k] ?? '')})$`, 's');
  } catch {
    return undefined;
  }
}

export function string1(name: string, f: (s: string) => Value) {
  return prim(name, 1, ([s], c) => {
    const x = stringOf(c, s);
    return typeof x === 'string' ? f(x) : x;
  });
}

/** `optional cond x` and its kin: the second argument's value when cond is true, `none` when false. */
export function onlyIf(name: string, then: (c: EvalContext, x: Thunk) => Value, none: () => Value) {
  return prim(name, 2, ([cond, x], c) => {
    const b = F(c, cond);
    return b.t === 'bool' ? (b.v ? then(c, x) : none()) : bad(b, 'a boolean');
  });
}

/**
 * `f name value` for each attribute of `s` in name order, handed to `each` with the attribute and
 * the set being built; `each` returns a Value to stop with it (one of the wrong kind).
 */
export function overAttrs(c: EvalContext, f: Thunk, s: Thunk, each: (result: Value, attr: [string, Thunk], out: Map<string, Thunk>) => Value | undefined): Value {
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
export function byPath(c: EvalContext, p: Thunk, s: Thunk, found: (v: Value) => Value, missing: (v: Value, name: string) => Value): Value {
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

export function strings2(name: string, f: (a: string, b: string) => Value) {
  return prim(name, 2, ([a, b], c) => {
    const x = stringOf(c, a);
    if (typeof x !== 'string') return x;
    const y = stringOf(c, b);
    if (typeof y !== 'string') return y;
    return f(x, y);
  });
}

/** builtins.parseDrvName: the name ends at the first dash followed by something other than a letter. */
export function parseDrvName(s0: string): { name: string; version: string } {
  const m = /-(?![A-Za-z])/.exec(s0);
  return m ? { name: s0.slice(0, m.index), version: s0.slice(m.index + 1) } : { name: s0, version: '' };
}

/** builtins.compareVersions: components split at dots and dashes, numbers numerically, "pre" before anything. */
export function compareVersions(a: string, b: string): number {
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
