import * as path from 'path';
import { flatPath } from '../../util/files';
import { libValue, systemBuilder } from './lib';
import { F } from './prims';
import type { Evaluator } from './evaluate';
import { attrs, isUnknown, list, prim, Thunk, unknown, type EvalContext, type Value } from './value';

/**
 * snowfall-lib's mkFlake (github:snowfallorg/lib), read by its conventions: every folder
 * `systems/<arch>-linux/<host>/` under the flake's root (`snowfall.root`, else `src`) is a NixOS
 * configuration made of that folder's default.nix, every default.nix under `modules/nixos/`,
 * `systems.modules.nixos` and `systems.hosts.<host>.modules`; nixpkgs is imported with
 * `channels-config` (allowUnfree among them).
 */

export function snowfallLib(): Value {
  return attrs([
    ['mkFlake', prim('mkFlake', 1, ([args], c) => mkFlake(c as Evaluator, args))],
    ['mkLib', prim('mkLib', 1, ([libArgs], c) => attrs([
      ['mkFlake', prim('mkFlake', 1, ([args], cc) => mkFlake(cc as Evaluator, Thunk.of(merge(cc, libArgs, args))))],
    ]))],
  ]);
}

function merge(c: EvalContext, a: Thunk, b: Thunk): Value {
  const x = F(c, a);
  const y = F(c, b);
  if (x.t !== 'attrs' || y.t !== 'attrs') return isUnknown(x) ? x : y;
  return { t: 'attrs', attrs: new Map([...x.attrs, ...y.attrs]) };
}

/** `a.b.c` of an attribute set, undefined where missing (and when not an attribute set). */
function at(ev: Evaluator, v: Value, ...names: string[]): Thunk | undefined {
  let cur: Value = v;
  let t: Thunk | undefined;
  for (const n of names) {
    if (cur.t !== 'attrs') return undefined;
    t = cur.attrs.get(n);
    if (!t) return undefined;
    cur = ev.forceValue(t);
  }
  return t;
}

function folderOf(ev: Evaluator, t: Thunk | undefined): string | undefined {
  const v = t ? ev.forceValue(t) : undefined;
  return v?.t === 'path' ? v.v : v?.t === 'string' && v.path ? v.v : undefined;
}

function mkFlake(ev: Evaluator, argsT: Thunk): Value {
  const args = ev.forceValue(argsT);
  if (args.t !== 'attrs') return isUnknown(args) ? args : unknown('unsupported', 'snowfall mkFlake without an attribute set');
  const root = folderOf(ev, at(ev, args, 'snowfall', 'root')) ?? folderOf(ev, at(ev, args, 'src'));
  if (!root) return unknown('unsupported', 'snowfall mkFlake without src');
  const call = ev.call;
  const systemsDir = path.join(root, 'systems');
  const shared = at(ev, args, 'systems', 'modules', 'nixos');
  const channelsConfig = at(ev, args, 'channels-config') ?? Thunk.of(attrs([]));
  const modules: string[] = [];
  collectDefaults(ev, path.join(root, 'modules', 'nixos'), modules, 0);
  const lib = snowfallLibFor(ev, root, args);
  const configurations = new Map<string, Thunk>();
  for (const [arch, kind] of ev.readDir(systemsDir) ?? []) {
    if (kind !== 'directory' || !/-linux$/.test(arch)) continue;
    for (const [host, hk] of ev.readDir(path.join(systemsDir, arch)) ?? []) {
      if (hk !== 'directory') continue;
      const hostModules = at(ev, args, 'systems', 'hosts', host, 'modules');
      const items: Thunk[] = [Thunk.of({ t: 'path', v: flatPath(path.join(systemsDir, arch, host)) }), ...modules.map(m => Thunk.of({ t: 'path', v: m }) as Thunk)];
      const all = new Thunk(() => {
        const extra: Thunk[] = [];
        for (const t of [shared, hostModules]) {
          const v = t ? ev.forceValue(t) : undefined;
          if (v?.t === 'list') extra.push(...v.items);
          else if (v) return isUnknown(v) ? v : unknown('unsupported', 'snowfall modules that are not a list');
        }
        return list([...items, ...extra]);
      });
      const nsT = at(ev, args, 'snowfall', 'namespace');
      const special = attrs([
        ['lib', lib],
        ['inputs', at(ev, args, 'inputs') ?? Thunk.of(attrs([]))],
        ['host', { t: 'string', v: host }],
        ['system', { t: 'string', v: arch }],
        ...(nsT ? [['namespace', nsT] as [string, Thunk]] : []),
      ]);
      const systemArgs = attrs([
        ['specialArgs', special],
        ['modules', all],
        ['pkgs', { t: 'pkgs', config: channelsConfig }],
        ['lib', lib],
      ]);
      const builder = systemBuilder('nixos', 'nixpkgs');
      const outer = ev.call;
      ev.call = call;
      try {
        configurations.set(host, Thunk.of(ev.apply(builder, Thunk.of(systemArgs))));
      } finally {
        ev.call = outer;
      }
    }
  }
  return attrs([['nixosConfigurations', { t: 'attrs', attrs: configurations }]]);
}

/**
 * The lib snowfall gives modules: nixpkgs' lib with the flake's own lib folder (every default.nix below it, each a
 * function of { lib, inputs, namespace, … }) merged under `lib.<namespace>`.
 */
function snowfallLibFor(ev: Evaluator, root: string, args: Extract<Value, { t: 'attrs' }>): Thunk {
  const nsT = at(ev, args, 'snowfall', 'namespace');
  const ns = nsT ? ev.forceValue(nsT) : undefined;
  const files: string[] = [];
  collectDefaults(ev, path.join(root, 'lib'), files, 1);
  let lib: Thunk;
  const own = new Thunk(() => {
    const fnArgs = Thunk.of(attrs([['lib', lib], ['inputs', at(ev, args, 'inputs') ?? Thunk.of(attrs([]))], ['namespace', ns ?? unknown('missing', 'namespace')]]));
    const merged = new Map<string, Thunk>();
    for (const f of files) {
      let v = ev.value(ev.importFile(f));
      if (v.t === 'lambda') v = ev.value(ev.apply(v, fnArgs));
      if (v.t === 'attrs') for (const [k, t] of v.attrs) merged.set(k, t);
    }
    return { t: 'attrs', attrs: merged };
  });
  lib = new Thunk(() => {
    const base = libValue();
    if (base.t !== 'attrs' || ns?.t !== 'string') return base;
    return { t: 'attrs', attrs: new Map([...base.attrs, [ns.v, own]]) };
  });
  return lib;
}

/** Every default.nix under a folder (snowfall imports each as a module). */
function collectDefaults(ev: Evaluator, dir: string, out: string[], depth: number): void {
  const entries = ev.readDir(dir);
  if (!entries || depth > 32) return;
  for (const name of [...entries.keys()].sort()) {
    const full = flatPath(path.join(dir, name));
    if (entries.get(name) === 'directory') collectDefaults(ev, full, out, depth + 1);
    else if (name === 'default.nix' && depth > 0) out.push(full);
  }
}
