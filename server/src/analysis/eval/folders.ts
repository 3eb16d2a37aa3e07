import * as path from 'path';
import { flatPath } from '../../util/files';
import { coerceToString, F, later } from './prims';
import { attrs, isUnknown, kindOf, list, prim, str, Thunk, unknown, type EvalContext, type Value } from './value';

/**
 * Module lists read from folders: builtins.readDir, lib.filesystem.listFilesRecursive,
 * lib.fileset, import-tree and haumea, each with its own rules, over the folders as they are on
 * disk (every folder read is recorded, so a new file makes the answer be worked out again).
 */

/** At most this many files from one listing: a folder of 50,000 files is not a module list. */
const MAX_FILES = 5_000;

function folder(c: EvalContext, t: Thunk): string | Value {
  const v = F(c, t);
  if (v.t === 'path') return v.v;
  if (v.t === 'string' && v.path) return v.v;
  if (v.t === 'attrs' && v.attrs.has('outPath')) {
    const s = coerceToString(c, v);
    return s.t === 'string' ? s.v : s;
  }
  if (v.t === 'input') {
    const s = coerceToString(c, v);
    return s.t === 'string' ? s.v : s;
  }
  return isUnknown(v) ? v : unknown('unsupported', `a folder expected, got ${kindOf(v)}`);
}

/** Every file under `dir`, in the order Nix lists them (names sorted), folders descended. */
function filesUnder(c: EvalContext, dir: string, out: string[], depth = 0): Value | undefined {
  const entries = c.readDir(dir);
  if (!entries) return unknown('io', `the folder ${path.basename(dir)} (not found or not read)`);
  if (depth > 64) return unknown('budget', 'folders nested too deep');
  for (const name of [...entries.keys()].sort()) {
    const full = flatPath(path.join(dir, name));
    const kind = entries.get(name);
    if (kind === 'directory') {
      const r = filesUnder(c, full, out, depth + 1);
      if (r) return r;
    } else {
      out.push(full);
    }
    if (out.length > MAX_FILES) return unknown('budget', `more than ${MAX_FILES} files under ${path.basename(dir)}`);
  }
  return undefined;
}

function readDir(c: EvalContext, t: Thunk): Value {
  const dir = folder(c, t);
  if (typeof dir !== 'string') return dir;
  const entries = c.readDir(dir);
  if (!entries) return unknown('io', `the folder ${path.basename(dir)} (not found or not read)`);
  return attrs([...entries].map(([k, v]) => [k, str(v)] as [string, Value]));
}

function listFilesRecursive(c: EvalContext, t: Thunk): Value {
  const dir = folder(c, t);
  if (typeof dir !== 'string') return dir;
  const out: string[] = [];
  const failed = filesUnder(c, dir, out);
  return failed ?? list(out.map(f => ({ t: 'path', v: f }) as Value));
}

/** A file set: a value of our own holding its files (lib.fileset's values are opaque too). */
function fileSetValue(files: string[]): Value {
  return attrs([['_fileset', list(files.map(f => ({ t: 'path', v: f }) as Value))]]);
}

/** The files of a file set: one made by fileFilter or unions, a folder (every file below) or a file. */
function filesOf(c: EvalContext, t: Thunk): string[] | Value {
  const v = F(c, t);
  const inner = v.t === 'attrs' ? v.attrs.get('_fileset') : undefined;
  if (inner) {
    const l = F(c, inner);
    return l.t === 'list' ? l.items.map(x => (F(c, x) as { v: string }).v) : l;
  }
  const dir = folder(c, t);
  if (typeof dir !== 'string') return dir;
  if (!c.readDir(dir)) return [dir];
  const out: string[] = [];
  const failed = filesUnder(c, dir, out);
  return failed ?? out;
}

export const folderFunctions = {
  readDir: prim('readDir', 1, ([p], c) => readDir(c, p)),
  listFilesRecursive: prim('listFilesRecursive', 1, ([p], c) => listFilesRecursive(c, p)),
  filesetToList: prim('toList', 1, ([s], c) => {
    const files = filesOf(c, s);
    return Array.isArray(files) ? list(files.map(f => ({ t: 'path', v: f }) as Value)) : files;
  }),
  fileFilter: prim('fileFilter', 2, ([pred, p], c) => {
    const files = filesOf(c, p);
    if (!Array.isArray(files)) return files;
    const kept: string[] = [];
    for (const f of files) {
      const name = path.basename(f);
      const info = attrs([
        ['name', str(name)],
        ['type', str('regular')],
        ['hasExt', prim('hasExt', 1, ([e], cc) => {
          const ext = coerceToString(cc, F(cc, e));
          return ext.t === 'string' ? { t: 'bool', v: name.endsWith(`.${ext.v}`) } : ext;
        })],
      ]);
      const keep = F(c, later(c, pred, info));
      if (keep.t !== 'bool') return isUnknown(keep) ? keep : unknown('unsupported', 'a file filter that is not a boolean');
      if (keep.v) kept.push(f);
    }
    return fileSetValue(kept);
  }),
  unions: prim('unions', 1, ([xs], c) => {
    const v = F(c, xs);
    if (v.t !== 'list') return isUnknown(v) ? v : unknown('unsupported', 'unions of something that is not a list');
    const all: string[] = [];
    for (const x of v.items) {
      const files = filesOf(c, x);
      if (!Array.isArray(files)) return files;
      for (const f of files) if (!all.includes(f)) all.push(f);
    }
    return fileSetValue(all.sort());
  }),
};

/**
 * import-tree (github:vic/import-tree): called with a folder (or a list of them), a module that
 * imports every `.nix` file below, leaving out any whose path under the folder has a segment
 * starting with `_`.
 */
export function importTree(c: EvalContext, arg: Thunk): Value {
  const v = F(c, arg);
  const roots: Thunk[] = v.t === 'list' ? v.items : [arg];
  const files: Value[] = [];
  for (const r of roots) {
    const dir = folder(c, r);
    if (typeof dir !== 'string') return dir;
    const entries = c.readDir(dir);
    if (!entries) {
      if (dir.endsWith('.nix')) files.push({ t: 'path', v: dir });
      else return unknown('io', `the folder ${path.basename(dir)} (not found or not read)`);
      continue;
    }
    const out: string[] = [];
    const failed = filesUnder(c, dir, out);
    if (failed) return failed;
    for (const f of out) {
      const rel = f.slice(dir.length);
      if (f.endsWith('.nix') && !rel.includes('/_')) files.push({ t: 'path', v: f });
    }
  }
  return attrs([['imports', list(files)]]);
}

/**
 * haumea's load ({ src, loader, inputs }): the tree of `.nix` files under src as nested attribute
 * sets named without the extension, leaving out names starting with `_` (private to the tree).
 * With loaders.path each leaf is the file's path; with verbatim its import; with the default loader
 * the import called with `inputs`.
 */
export function haumeaLoad(c: EvalContext, arg: Thunk): Value {
  const a = F(c, arg);
  if (a.t !== 'attrs') return isUnknown(a) ? a : unknown('unsupported', 'haumea.load without an attribute set');
  const src = a.attrs.get('src');
  if (!src) return unknown('unsupported', 'haumea.load without src');
  const loaderValue = a.attrs.get('loader') ? F(c, a.attrs.get('loader')!) : str('haumea-loader:default');
  const loader = loaderValue.t === 'string' && loaderValue.v.startsWith('haumea-loader:') ? loaderValue.v.slice(14) : undefined;
  if (!loader || !['path', 'verbatim', 'default'].includes(loader)) return unknown('unsupported', 'a haumea loader other than path, verbatim or default');
  const inputs = a.attrs.get('inputs') ?? Thunk.of(attrs([]));
  const dir = folder(c, src);
  if (typeof dir !== 'string') return dir;
  const tree = (d: string, depth: number): Value => {
    const entries = c.readDir(d);
    if (!entries) return unknown('io', `the folder ${path.basename(d)} (not found or not read)`);
    if (depth > 32) return unknown('budget', 'folders nested too deep');
    const out: Array<[string, Value | Thunk]> = [];
    for (const name of [...entries.keys()].sort()) {
      if (name.startsWith('_')) continue;
      const full = flatPath(path.join(d, name));
      if (entries.get(name) === 'directory') {
        out.push([name, new Thunk(() => tree(full, depth + 1))]);
      } else if (name.endsWith('.nix')) {
        const leaf = name.slice(0, -4);
        if (loader === 'path') out.push([leaf, { t: 'path', v: full }]);
        else if (loader === 'verbatim') out.push([leaf, new Thunk(() => c.importFile(full))]);
        else {
          out.push([leaf, new Thunk(() => {
            const imported = c.importFile(full);
            const inner = imported.t === 'file' ? F(c, imported.value) : imported;
            return inner.t === 'lambda' ? c.apply(inner, inputs) : imported;
          })]);
        }
      }
    }
    return attrs(out);
  };
  return tree(dir, 0);
}
