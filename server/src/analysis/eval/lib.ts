import * as path from 'path';
import { flatPath } from '../../util/files';
import type { Evaluator } from './evaluate';
import { mkFlake } from './flake';
import { colmenaLib } from './colmena';
import { snowfallLib } from './snowfall';
import { folderFunctions, importTree, haumeaLoad } from './folders';
import {
  ev, F, bad, bool, call, later, equalValues, items, attrsOf, stringOf, strings, sortedKeys, filterList, listToAttrs, foldl, flatten, string1, onlyIf, overAttrs, byPath, strings2, parseDrvName, compareVersions,
} from './prims';
import { builtin, BUILTINS, importValue } from './builtins';
import {
  attrs, FALSE, isUnknown, list, prim, str, Thunk, TRUE, unknown, type EvalContext, type Value,
} from './value';

/**
 * nixpkgs' lib, as the evaluator knows it: functions written in terms of the builtins
 * (builtins.ts), option types, and what flake inputs provide (nixosSystem, flake-utils,
 * flake-parts, import-tree, haumea, snowfall-lib, colmena, CUDA's unfree predicate).
 */
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
export function systemBuilder(set: 'nixos' | 'home-manager' | 'darwin', input?: string): Value {
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
  if (kind === 'nix-darwin' && joined === 'lib.darwinSystem') return systemBuilder('darwin', inp.name);
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

