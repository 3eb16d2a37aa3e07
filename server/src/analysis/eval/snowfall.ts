import * as path from 'path';
import { flatPath } from '../../util/files';
import { forceThunk as F, libValue, systemBuilder } from './builtins';
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
      const systemArgs = attrs([
        ['modules', all],
        ['pkgs', { t: 'pkgs', config: channelsConfig }],
        ['lib', libValue()],
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
