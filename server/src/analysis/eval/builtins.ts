import * as path from 'path';
import { flatPath } from '../../util/files';
import { parseToml } from './toml';
import { folderFunctions } from './folders';
import {
  ev, F, bad, bool, later, coerceToString, equalValues, typeOf, is, items, attrsOf, stringOf, strings, sortedKeys, filterList, listToAttrs, mapAttrs, foldl, concatLists, regex, strings2, parseDrvName, compareVersions,
} from './prims';
import {
  attrs, Env, FALSE, isUnknown, list, NULL, prim, str, Thunk, TRUE, unknown, type EvalContext, type Value,
} from './value';

/**
 * The builtins the evaluator knows (nixpkgs' lib is lib.ts): the ones configurations are assembled
 * with (lists, attribute sets, strings, folders). Each forces only what it needs; an argument it
 * cannot see makes its result unknown with that argument's reason.
 */

/** A flake's `self` and inputs are opaque to these: e.g. `lib.hasSuffix ".nix"` of a path is fine. */
export const BUILTINS: Record<string, () => Value> = {
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

function fromJson(x: unknown): Value {
  if (x === null) return NULL;
  if (typeof x === 'boolean') return bool(x);
  if (typeof x === 'number') return { t: 'number', v: x };
  if (typeof x === 'string') return str(x);
  if (Array.isArray(x)) return list(x.map(fromJson));
  return attrs(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)]));
}

/** `import x`: a file value (a module list names the file), nixpkgs imported, or unknown. */
export function importValue(c: EvalContext, p: Thunk): Value {
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

export function builtin(name: string): Value {
  return BUILTINS[name]();
}
