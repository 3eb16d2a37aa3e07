import type { Node } from '../../parse/language';
import type { OptionSetName } from '../moduleContext';

/**
 * Values of the small evaluator that reads configurations the way people write them (helpers,
 * host lists, folder listings, flake inputs). It evaluates only what the workspace spells out;
 * everything else is `unknown`, with the reason, and that reason reaches the hover and the
 * recall measurement. Nothing here runs Nix.
 */

/** Why a value could not be seen. */
export interface Why {
  kind: 'argument' | 'input' | 'budget' | 'unsupported' | 'missing' | 'io' | 'impure';
  /** What could not be seen, for messages: "argument hostname", "input nixos-hardware" … */
  text: string;
  /** The flake input a value comes from, when it does. */
  input?: string;
}

/** A flake's inputs as the evaluator sees them: where their locked sources are, what they are. */
export interface FlakeInputs {
  /** The folder of the flake.nix. */
  dir: string;
  /** Input names the flake declares. */
  names: ReadonlySet<string>;
  /** The flake's lock and its node in it (an input's own flake is a node of the root's lock). */
  lock?: import('../flakeLock').FlakeLock;
  key?: string;
  /** What an input is, by its locked source: 'nixpkgs', 'import-tree', 'haumea', 'flake-parts' … */
  kind(name: string): string | undefined;
  /** The folder of the input's locked source when it is on this machine. */
  source(name: string): string | undefined;
  /** The NixOS release a nixpkgs input is locked to ("24.05", "unstable"), when the lock says. */
  release(name: string): string | undefined;
}

export type Value =
  | { t: 'unknown'; why: Why }
  | { t: 'bool'; v: boolean }
  | { t: 'number'; v: number }
  | { t: 'null' }
  /** `path`: the string names a file (a path interpolated into a string, `toString ./x`). */
  | { t: 'string'; v: string; path?: boolean }
  | { t: 'path'; v: string }
  | { t: 'list'; items: Thunk[] }
  /** `node`: the literal it was written as, in `file`, with `env` (an inline module). */
  | { t: 'attrs'; attrs: Map<string, Thunk>; node?: Node; file?: string; env?: Env }
  | { t: 'lambda'; node: Node; file: string; env: Env }
  | { t: 'prim'; name: string; arity: number; args: Thunk[]; run: (args: Thunk[], ev: EvalContext) => Value }
  /** A flake input, or something selected from one: `inputs.nixos-hardware.nixosModules.x`. */
  | { t: 'input'; flake: FlakeInputs; name: string; path: string[] }
  /** A nixosSystem (homeManagerConfiguration …) call, not evaluated further. */
  | { t: 'system'; set: OptionSetName; args: Thunk; file: string; call: Node; input?: string }
  /** A nixpkgs package set: `import nixpkgs { … }` (config given or not) or legacyPackages. */
  | { t: 'pkgs'; config?: Thunk; legacy?: boolean }
  /** `import ./x.nix`, before anything asked for its value: a module list names the file. */
  | { t: 'file'; path: string; value: Thunk }
  /**
   * Several definitions of one option of a flake-parts configuration, merged the way the module
   * system merges them as far as it can tell without types: attribute sets key by key, lists one
   * after the other; a module list reads each definition as a module of its own.
   */
  | { t: 'merged'; defs: Thunk[]; options?: Thunk[] };

/** What evaluation needs from its caller while it runs (the evaluator itself, seen from builtins). */
export interface EvalContext {
  force(t: Thunk): Value;
  apply(fn: Value, arg: Thunk): Value;
  /** Files and folders, through the world (recorded as what the result depends on). */
  readDir(dir: string): ReadonlyMap<string, string> | undefined;
  readText(file: string): string | undefined;
  importFile(file: string): Value;
  selectName(v: Value, name: string): Value;
  /** Count one step against the budget: false once it is spent. */
  step(): boolean;
}

/** A value not computed yet: an expression with its environment, or a computation. */
export class Thunk {
  private state: 'todo' | 'busy' | 'done' = 'todo';
  private result: Value | undefined;

  constructor(
    private readonly compute: (() => Value) | undefined,
    /** The expression, when the thunk is one (module lists are read through it). */
    readonly node?: Node,
    readonly env?: Env,
    readonly file?: string,
    ready?: Value,
  ) {
    if (ready) {
      this.state = 'done';
      this.result = ready;
    }
  }

  static of(v: Value): Thunk {
    return new Thunk(undefined, undefined, undefined, undefined, v);
  }

  get(): Value {
    if (this.state === 'done') return this.result!;
    if (this.state === 'busy') return unknown('unsupported', 'a value that needs itself (infinite recursion)');
    this.state = 'busy';
    try {
      this.result = this.compute!();
    } finally {
      if (!this.result) this.state = 'todo';
    }
    this.state = 'done';
    return this.result;
  }
}

/** Lexical scopes; a `with` frame is searched only after every lexical one, innermost first. */
export class Env {
  constructor(
    readonly vars: ReadonlyMap<string, Thunk>,
    readonly parent?: Env,
    /** A `with` frame: its attribute set. */
    readonly withSet?: Thunk,
  ) {}

  lookup(name: string): Thunk | undefined {
    for (let e: Env | undefined = this; e; e = e.parent) {
      if (!e.withSet) {
        const t = e.vars.get(name);
        if (t) return t;
      }
    }
    return undefined;
  }

  /** The `with` frames, innermost first. */
  *withs(): Generator<Thunk> {
    for (let e: Env | undefined = this; e; e = e.parent) if (e.withSet) yield e.withSet;
  }

  extend(vars: ReadonlyMap<string, Thunk>): Env {
    return new Env(vars, this);
  }
}

export function unknown(kind: Why['kind'], text: string, input?: string): Value {
  return { t: 'unknown', why: input ? { kind, text, input } : { kind, text } };
}

export function isUnknown(v: Value): v is Extract<Value, { t: 'unknown' }> {
  return v.t === 'unknown';
}

export const TRUE: Value = { t: 'bool', v: true };
export const FALSE: Value = { t: 'bool', v: false };
export const NULL: Value = { t: 'null' };

export function str(v: string, path = false): Value {
  return path ? { t: 'string', v, path } : { t: 'string', v };
}

export function attrs(entries: Iterable<[string, Value | Thunk]>): Value {
  const m = new Map<string, Thunk>();
  for (const [k, v] of entries) m.set(k, v instanceof Thunk ? v : Thunk.of(v));
  return { t: 'attrs', attrs: m };
}

export function list(items: Iterable<Value | Thunk>): Value {
  return { t: 'list', items: [...items].map(v => (v instanceof Thunk ? v : Thunk.of(v))) };
}

/** A function of the evaluator's own (a builtin or a lib function). */
export function prim(name: string, arity: number, run: (args: Thunk[], ev: EvalContext) => Value): Value {
  return { t: 'prim', name, arity, args: [], run };
}

/** A short description of a value's kind, for reasons. */
export function kindOf(v: Value): string {
  switch (v.t) {
    case 'attrs': return 'an attribute set';
    case 'lambda':
    case 'prim': return 'a function';
    case 'list': return 'a list';
    case 'string': return 'a string';
    default: return `a ${v.t}`;
  }
}
