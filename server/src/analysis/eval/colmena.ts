import { systemBuilder } from './lib';
import type { Evaluator } from './evaluate';
import { attrs, isUnknown, list, prim, Thunk, unknown, type Value } from './value';

/**
 * colmena's makeHive (github:zhaofengli/colmena): every attribute of the hive but `meta` and
 * `defaults` is a node, a NixOS configuration made of `defaults` and the node's module, with
 * `meta.specialArgs` (and the node's `meta.nodeSpecialArgs`) as module arguments. The nixpkgs of
 * `meta.nixpkgs` only gives nixpkgs.config a starting point, so modules still decide it.
 */
export function colmenaLib(): Value {
  return attrs([['makeHive', prim('makeHive', 1, ([hive], c) => makeHive(c as Evaluator, hive))]]);
}

function makeHive(ev: Evaluator, hiveT: Thunk): Value {
  const hive = ev.forceValue(hiveT);
  if (hive.t !== 'attrs') return isUnknown(hive) ? hive : unknown('unsupported', 'a colmena hive that is not an attribute set');
  const meta = hive.attrs.get('meta');
  const metaV = meta ? ev.forceValue(meta) : undefined;
  const get = (v: Value | undefined, name: string) => (v?.t === 'attrs' ? v.attrs.get(name) : undefined);
  const special = get(metaV, 'specialArgs');
  const perNode = get(metaV, 'nodeSpecialArgs');
  const defaults = hive.attrs.get('defaults');
  const call = ev.call;
  const nodes = new Map<string, Thunk>();
  for (const [name, node] of hive.attrs) {
    if (name === 'meta' || name === 'defaults') continue;
    nodes.set(name, new Thunk(() => {
      const own = perNode ? get(ev.forceValue(perNode), name) : undefined;
      const args = attrs([
        ['modules', list(defaults ? [defaults, node] : [node])],
        ['specialArgs', new Thunk(() => {
          const a = special ? ev.forceValue(special) : attrs([]);
          const b = own ? ev.forceValue(own) : attrs([]);
          return a.t === 'attrs' && b.t === 'attrs' ? { t: 'attrs', attrs: new Map([...a.attrs, ...b.attrs]) } : a;
        })],
      ]);
      const outer = ev.call;
      ev.call = call;
      try {
        return ev.apply(systemBuilder('nixos'), Thunk.of(args));
      } finally {
        ev.call = outer;
      }
    }));
  }
  return attrs([['nodes', { t: 'attrs', attrs: nodes }]]);
}
