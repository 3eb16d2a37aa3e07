import * as path from 'path';
import { libValue, systemBuilder } from './lib';
import { F } from './prims';
import { collectModule } from './merge';
import type { Evaluator } from './evaluate';
import { attrs, isUnknown, prim, str, Thunk, unknown, type FlakeInputs, type Value, type Why } from './value';

/**
 * A flake's outputs as the evaluator sees them: `outputs` called with its inputs (each a symbolic
 * input value, `self` the outputs themselves), flake-parts' mkFlake read as the module tree it is.
 * What the configuration model needs from it are the configurations it defines.
 */

/** The outputs that hold configurations, and the module system of each. */
export const CONFIGURATION_OUTPUTS = [['nixosConfigurations', 'nixos'], ['homeConfigurations', 'home-manager'], ['darwinConfigurations', 'darwin']] as const;

export interface FlakeConfiguration {
  /** nixosConfigurations.<name> */
  name: string;
  output: string;
  value: Value;
}

export interface FlakeReading {
  configurations: FlakeConfiguration[];
  /** Outputs or configurations that could not be evaluated, with why. */
  unknown: Array<{ what: string; why: Why }>;
}

interface FlakeValues {
  /** The inputs as `outputs` receives them (with `self`). */
  inputs: Thunk;
  outputs: Thunk;
}

const flakes = new WeakMap<Evaluator, Map<string, FlakeValues>>();

/** The inputs (with `self`) and outputs of the flake.nix at `file`, lazily, once per evaluator. */
export function flakeValues(ev: Evaluator, file: string, inputs: FlakeInputs): FlakeValues {
  let byFile = flakes.get(ev);
  if (!byFile) flakes.set(ev, (byFile = new Map()));
  const known = byFile.get(file);
  if (known) return known;
  const set = new Map<string, Thunk>();
  const inputsThunk = Thunk.of({ t: 'attrs', attrs: set });
  const outputs: Thunk = new Thunk(() => {
    const doc = ev.world.doc(file);
    ev.files.add(file);
    const root = doc?.tree.rootNode.childForFieldName('expression');
    if (!doc || !root) return unknown('io', 'flake.nix (not read)');
    const top = ev.value(ev.eval(root, ev.global, file));
    if (top.t !== 'attrs') return isUnknown(top) ? top : unknown('unsupported', 'a flake.nix that is not an attribute set');
    const fn = top.attrs.get('outputs');
    if (!fn) return unknown('missing', 'flake.nix has no outputs');
    return ev.apply(fn.get(), inputsThunk);
  });
  const self = new Thunk(() => {
    const o = ev.value(outputs.get());
    if (o.t !== 'attrs') return o;
    // what Nix adds to a flake's `self`: its outputs again, its inputs, where its source is
    return { t: 'attrs', attrs: new Map([...o.attrs, ['outPath', Thunk.of({ t: 'path', v: inputs.dir })], ['inputs', inputsThunk], ['outputs', outputs]]) };
  });
  for (const name of inputs.names) set.set(name, Thunk.of({ t: 'input', flake: inputs, name, path: [] }));
  set.set('self', self);
  const values = { inputs: inputsThunk, outputs };
  byFile.set(file, values);
  return values;
}

/** The outputs of the flake.nix at `file`. */
export function flakeOutputs(ev: Evaluator, file: string, inputs: FlakeInputs): Value {
  return flakeValues(ev, file, inputs).outputs.get();
}

/** The configurations a flake defines (nixosConfigurations, homeConfigurations), each as evaluated. */
export function flakeConfigurations(ev: Evaluator, file: string, inputs: FlakeInputs): FlakeReading {
  const reading: FlakeReading = { configurations: [], unknown: [] };
  const outputs = ev.value(flakeOutputs(ev, file, inputs));
  if (outputs.t !== 'attrs') {
    reading.unknown.push({ what: 'outputs', why: isUnknown(outputs) ? outputs.why : { kind: 'unsupported', text: 'outputs that are not an attribute set' } });
    return reading;
  }
  for (const [output] of CONFIGURATION_OUTPUTS) {
    const t = outputs.attrs.get(output);
    if (!t) continue;
    const set = ev.forceValue(t);
    if (set.t !== 'attrs') {
      reading.unknown.push({ what: output, why: isUnknown(set) ? set.why : { kind: 'unsupported', text: `${output} that is not an attribute set` } });
      continue;
    }
    for (const name of [...set.attrs.keys()].sort()) {
      const value = ev.forceValue(set.attrs.get(name)!);
      if (value.t === 'system') reading.configurations.push({ name, output, value });
      else reading.unknown.push({ what: `${output}.${name}`, why: isUnknown(value) ? value.why : { kind: 'unsupported', text: 'not a configuration we know how to read' } });
    }
  }
  return reading;
}


/**
 * flake-parts' mkFlake: the flake-parts modules (the argument and everything it imports, from files,
 * inline or import-tree) with their definitions merged into `config` the way the module system
 * merges them as far as it can tell without option types (see `merged` in value.ts). The flake's
 * outputs are `config.flake`: configurations defined anywhere, through options other modules
 * declare (`configurations.hosts.<name>.module`), and `flake.modules.<class>.<name>` modules that
 * refer to each other through `config`.
 */
export function mkFlake(ev: Evaluator, mkFlakeArgs: Thunk, module: Thunk): Value {
  const opts = ev.forceValue(mkFlakeArgs);
  const inputsT = opts.t === 'attrs' ? opts.attrs.get('inputs') : undefined;
  const selfT = inputsT ? new Thunk(() => ev.selectName(inputsT.get(), 'self')) : undefined;
  const special = opts.t === 'attrs' ? opts.attrs.get('specialArgs') : undefined;
  const defs: Thunk[] = [];
  const options: Thunk[] = [];
  const config = new Thunk(() => ({ t: 'merged', defs, options }));
  const args = new Thunk(() => {
    const m = new Map<string, Thunk>([
      ['lib', Thunk.of(libValue())],
      ['config', config],
      ['withSystem', Thunk.of(withSystem())],
      ['getSystem', Thunk.of(prim('getSystem', 1, () => unknown('unsupported', 'getSystem')))],
      ['moduleWithSystem', Thunk.of(prim('moduleWithSystem', 1, () => unknown('unsupported', 'moduleWithSystem')))],
    ]);
    if (inputsT) m.set('inputs', inputsT);
    if (selfT) m.set('self', selfT);
    const extra = special ? ev.forceValue(special) : undefined;
    if (extra?.t === 'attrs') for (const [k, t] of extra.attrs) m.set(k, t);
    return { t: 'attrs', attrs: m };
  });
  const queue: Thunk[] = [module];
  const seen = new Set<string>();
  const parts = { defs, options };
  for (let i = 0; i < queue.length && i < 5_000; i++) {
    const raw = queue[i].get();
    if (raw.t === 'file') {
      if (seen.has(raw.path)) continue;
      seen.add(raw.path);
    }
    let v = ev.value(raw);
    if (v.t === 'input') {
      // a flake-parts module of an input we know (nixos-unified's): what it adds to the flake;
      // another input's, read from its locked source when it is here
      const known = knownFlakeModule(ev, v, inputsT, selfT);
      if (known) {
        defs.push(Thunk.of(known));
        continue;
      }
      const fromSource = ev.inputValue(v);
      if (!fromSource) continue;
      v = ev.value(fromSource);
    }
    if (v.t === 'path' || (v.t === 'string' && v.path)) {
      if (seen.has(v.v)) continue;
      seen.add(v.v);
      v = ev.value(ev.importFile(v.v));
    }
    if (v.t === 'lambda' || v.t === 'prim') v = ev.value(ev.apply(v, args));
    if (v.t !== 'attrs') continue;
    // its imports go on the queue (modules of inputs among them); the rest is read as the module system reads it
    const imports = v.attrs.get('imports');
    if (imports) {
      const list = ev.forceValue(imports);
      if (list.t === 'list') queue.push(...list.items);
    }
    collectModule(ev, Thunk.of({ t: 'attrs', attrs: new Map([...v.attrs].filter(([k]) => k !== 'imports')) }), args, parts, 0);
  }
  return ev.selectName(config.get(), 'flake');
}

/**
 * flake-parts modules of inputs we know by their repository: nixos-unified's flakeModule gives the
 * flake `nixos-unified.lib.mkLinuxSystem { … } module`, a NixOS configuration of that module.
 */
function knownFlakeModule(ev: Evaluator, v: Extract<Value, { t: 'input' }>, inputsT: Thunk | undefined, selfT: Thunk | undefined): Value | undefined {
  if (v.flake.kind(v.name) !== 'nixos-unified') return undefined;
  const nixpkgs = [...v.flake.names].find(n => v.flake.kind(n) === 'nixpkgs');
  const mkSystem = prim('mkLinuxSystem', 2, ([, module], c) => {
    const special = attrs([
      ['flake', attrs([...(inputsT ? [['inputs', inputsT] as [string, Thunk]] : []), ...(selfT ? [['self', selfT] as [string, Thunk]] : [])])],
      ...(inputsT ? [['inputs', inputsT] as [string, Thunk]] : []),
    ]);
    const args = attrs([['modules', { t: 'list', items: [module] }], ['specialArgs', special]]);
    return c.apply(systemBuilder('nixos', nixpkgs), Thunk.of(args));
  });
  return attrs([['flake', attrs([['nixos-unified', attrs([['lib', attrs([['mkLinuxSystem', mkSystem]])]])]])]]);
}

function withSystem(): Value {
  return prim('withSystem', 2, ([system, f], c) => {
    const args = attrs([
      ['system', system],
      ['pkgs', unknown('argument', 'pkgs of withSystem')],
      ['config', unknown('argument', 'config of withSystem')],
      ["inputs'", unknown('argument', "inputs' of withSystem")],
      ["self'", unknown('argument', "self' of withSystem")],
    ]);
    return c.apply(F(c, f), Thunk.of(args));
  });
}

export function relativeName(file: string, dir: string): string {
  return path.relative(dir, file) || path.basename(file);
}

export { str };
