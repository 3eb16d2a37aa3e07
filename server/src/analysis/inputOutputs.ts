import * as fs from 'fs';
import * as path from 'path';
import { flakeValues } from './eval/flake';
import { isUnknown, type FlakeInputs, type Thunk, type Value } from './eval/value';
import { lockedInput, type LockedInput } from './lockedInputs';
import { ResolveSession, type ResolveWorld } from './resolve';
import { pathKind } from '../util/files';

/**
 * The outputs of a flake input, read from its locked source with our evaluator (no Nix): the
 * names under `gpu.nixosModules`, and where each is defined. The same locked sources the
 * configuration model reads modules from (lockedInputs.ts), reached through the same world.
 */

/** A place in a file: the file, and an offset in its text. */
export interface OutputPlace {
  file: string;
  offset: number;
}

export type OutputKind = 'module' | 'function' | 'set' | 'configuration' | 'path' | 'value' | 'unknown';

export interface OutputName {
  name: string;
  kind: OutputKind;
  place?: OutputPlace;
}

/** Evaluation steps one question may take: an input's outputs are read lazily, as far as asked. */
const STEPS = 200_000;

/** Output groups whose members are modules. */
const MODULE_GROUPS = /^(nixosModules|homeManagerModules|homeModules|darwinModules|flakeModules|modules)$/;

export class InputOutputs {
  constructor(private readonly world: ResolveWorld) {}

  /** The inputs of the flake `file` belongs to. */
  inputsOf(file: string): FlakeInputs | undefined {
    return this.world.flakeInputs(file);
  }

  /** How the input is locked, and its flake.nix (or its folder) when its source is on this machine. */
  source(file: string, input: string): { locked?: LockedInput; dir?: string; entry?: string } | undefined {
    const of = this.inputsOf(file);
    if (!of?.names.has(input)) return undefined;
    const locked = of.lock ? lockedInput(of.lock, input, of.key) : undefined;
    const dir = of.source(input) ?? (locked?.dir && fs.existsSync(locked.dir) ? locked.dir : undefined);
    const entry = dir ? ['flake.nix', 'default.nix'].map(n => path.join(dir, n)).find(f => fs.existsSync(f)) : undefined;
    return { ...(locked ? { locked } : {}), ...(dir ? { dir } : {}), ...(entry ? { entry } : {}) };
  }

  /** What `input.<path>` is in the input's outputs, with where it is written. */
  lookup(file: string, input: string, attrPath: readonly string[]): { value: Value; place?: OutputPlace; session: ResolveSession } | undefined {
    const of = this.inputsOf(file);
    const own = of && this.world.inputFlake(of, input);
    if (!own) return undefined;
    const session = new ResolveSession(this.world, STEPS);
    const ev = session.ev;
    const flakeFile = path.join(own.dir, 'flake.nix');
    let value = ev.value(flakeValues(ev, flakeFile, own).outputs.get());
    let place: OutputPlace | undefined = { file: flakeFile, offset: 0 };
    for (const name of attrPath) {
      const step = this.step(session, value, name);
      if (!step) return undefined;
      value = step.value;
      place = step.place ?? place;
    }
    return { value, place, session };
  }

  /** The names under `input.<path>`, each with its kind and where it is defined. */
  children(file: string, input: string, attrPath: readonly string[]): OutputName[] | undefined {
    const found = this.lookup(file, input, attrPath);
    if (!found || found.value.t !== 'attrs') return undefined;
    const modules = MODULE_GROUPS.test(attrPath[attrPath.length - 1] ?? '');
    const attrs = found.value.attrs;
    return [...attrs.keys()].sort().map(name => {
      // what is written is enough to say what each is: forcing every output (nixpkgs' legacyPackages …) is not
      const written = writtenAs(attrs.get(name)!, modules);
      if (written) return { name, ...written };
      const step = this.step(found.session, found.value, name);
      const kind: OutputKind = !step ? 'unknown' : modules && step.value.t !== 'unknown' ? 'module' : kindOf(step.value);
      return { name, kind, ...(step?.place ? { place: step.place } : {}) };
    });
  }

  private step(session: ResolveSession, from: Value, name: string): { value: Value; place?: OutputPlace } | undefined {
    const ev = session.ev;
    let base = ev.value(from);
    if (base.t === 'input') base = ev.inputValue(base) ?? base;
    if (base.t !== 'attrs') {
      const v = ev.value(ev.selectName(base, name));
      return isUnknown(v) && v.why.kind === 'missing' ? undefined : { value: v };
    }
    const t = base.attrs.get(name);
    if (!t) return undefined;
    const raw = t.get();
    let value = ev.value(raw);
    if (value.t === 'input') value = ev.inputValue(value) ?? value;
    return { value, place: placeOf(t, raw, value) };
  }
}

/** An output's kind and place from the expression it is written as, when that says enough. */
function writtenAs(t: Thunk, modules: boolean): { kind: OutputKind; place?: OutputPlace } | undefined {
  const node = t.node;
  if (!node || !t.file) return undefined;
  const place = { file: t.file, offset: node.startIndex };
  switch (node.type) {
    case 'function_expression': return { kind: modules ? 'module' : 'function', place };
    case 'attrset_expression':
    case 'rec_attrset_expression': return { kind: modules ? 'module' : 'set', place };
    case 'path_expression': {
      return { kind: modules ? 'module' : 'path', place: { file: moduleFile(path.resolve(path.dirname(t.file), node.text)), offset: 0 } };
    }
    case 'string_expression':
    case 'integer_expression':
    case 'float_expression': return { kind: 'value', place };
    default: return undefined;
  }
}

/** The file a path to a module names: itself, or a folder's default.nix (as `import` reads it). */
function moduleFile(p: string): string {
  return pathKind(p) === 'directory' ? path.join(p, 'default.nix') : p;
}

/** Where a value is defined: the file a module path names, or the function or set it is, or its binding. */
function placeOf(t: Thunk, raw: Value, value: Value): OutputPlace | undefined {
  if (raw.t === 'file') return { file: raw.path, offset: 0 };
  if (value.t === 'path') return { file: moduleFile(value.v), offset: 0 };
  if ((value.t === 'lambda' || (value.t === 'attrs' && value.node)) && value.file && value.file !== t.file) return { file: value.file, offset: value.node!.startIndex };
  if (t.node && t.file) return { file: t.file, offset: t.node.startIndex };
  if ((value.t === 'lambda' || value.t === 'attrs') && value.node && value.file) return { file: value.file, offset: value.node.startIndex };
  return undefined;
}

function kindOf(v: Value): OutputKind {
  switch (v.t) {
    case 'lambda':
    case 'prim': return 'function';
    case 'attrs': return 'set';
    case 'system': return 'configuration';
    case 'path': return 'path';
    case 'unknown':
    case 'input': return 'unknown';
    default: return 'value';
  }
}
