import type { OptionTest } from './conditions';
import type { OptionSetName } from './moduleContext';

/**
 * What one file says to the configurations it belongs to, as plain data with offsets: it outlives
 * the tree it came from and can be kept per file. Everything here is what the file shows; what it
 * hides (a value computed by a function, a module from a flake input) is recorded as such, so
 * that questions about a configuration can answer "unknown" instead of guessing.
 */

/** A definition's value, as far as it is written literally. */
export type Value =
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'null' }
  | { kind: 'list'; items: Value[] }
  | { kind: 'attrs' }
  | { kind: 'path'; value: string }
  | { kind: 'other'; text: string };

export interface Span {
  start: number;
  end: number;
}

/** Module system priorities: a lower number wins. */
export const PRIORITY = { force: 50, normal: 100, default: 1000, optionDefault: 1500 } as const;

/**
 * Which part of a configuration a definition belongs to. Undefined is the configuration itself;
 * `spec:<name>` a specialisation (the configuration plus its own definitions); `hm:<user>` and
 * `hm-shared` home-manager modules inside a NixOS configuration; `export:<name>` a module a flake
 * exports (nixosModules.x, flake.modules.nixos.x), which is a configuration's only when some
 * configuration imports it.
 */
export type Scope = string | undefined;

export interface Definition {
  /** The file (its path) the definition is written in. */
  file: string;
  set: OptionSetName;
  /** The option path: ['hardware', 'nvidia', 'open']. */
  path: string[];
  /** The names written in this binding's attribute path (the tail of `path`). */
  written: string[];
  value: Value;
  key: Span;
  valueSpan: Span;
  binding: Span;
  /** Under mkIf or if-then-else: it may not apply. */
  conditional: boolean;
  /** When every condition it is under tests the configuration's own options: those tests (all must hold). */
  when?: OptionTest[];
  /** mkForce 50, plain 100, mkDefault 1000, mkOverride n. */
  priority: number;
  scope?: string;
  /**
   * For a definition made by a module outside the workspace (a flake input's, read from the store
   * or summed up): where the workspace brings that module in, and what it is.
   */
  via?: Place & { what: string };
  /** An allowUnfreePredicate evaluation could call: whether it accepts the NVIDIA driver and CUDA. */
  accepts?: { driver?: boolean; cuda?: boolean };
}

/** An attribute set whose bindings define options under `path`: where a fix can add one. */
export interface OptionSet {
  file: string;
  set: OptionSetName;
  path: string[];
  span: Span;
  conditional: boolean;
  scope?: string;
}

/**
 * A place where the module defines something we cannot see into: `hardware.nvidia = cfg.gpu;`,
 * `config = mkIf x (import ./y.nix)`. Every option under `path` may be defined there.
 */
export interface Opaque {
  file: string;
  set: OptionSetName;
  path: string[];
  span: Span;
  scope?: string;
  /** Under mkIf or if-then-else, and the priority wrapper around it: what evaluation finds there gets the same. */
  conditional?: boolean;
  when?: OptionTest[];
  priority?: number;
  /** The flake input whose module this is in (a configuration may assume it sets nothing, saying so). */
  input?: string;
}

/** An option the module declares (`options.a.b = mkOption …`); `opaque`: anything under path may be. */
export interface Declaration {
  set: OptionSetName;
  path: string[];
  opaque?: boolean;
  /** Where it is declared (the mkOption call), for workspace symbols. */
  span?: Span;
  /** Its default, when written literally (mkEnableOption: false; mkOption { default = true; }). */
  default?: Value;
}

/** Why a module could not be read: what stands in the way, and the flake input it comes from, if one. */
export interface Reason {
  /** argument, input, budget, unsupported, missing, io, impure (see eval/value.ts) */
  kind: string;
  text: string;
  input?: string;
}

/**
 * A module a module list names: a file we can read, one we cannot (a flake input's, a computed
 * one), or one evaluation found written inline (in a helper, in a flake input's source, or summed
 * up in our catalog of input modules: `virtual`, no file of its own).
 */
export type ModuleRef =
  | { kind: 'file'; path: string; set: OptionSetName; conditional: boolean; scope?: string; applied?: boolean; at?: Place; input?: string }
  /** `list`: the whole list is this expression (`imports = f ./x;`), not one element of it. */
  | { kind: 'unseen'; text: string; set: OptionSetName; conditional: boolean; scope?: string; span?: Span; list?: boolean; why?: Reason; at?: Place }
  | { kind: 'module'; file: string; sink: Sink; set: OptionSetName; conditional: boolean; scope?: string; virtual?: boolean; at?: Place; input?: string };

/** `import ./x.nix { a = …; }`: the file, and the argument names passed (null when they cannot be told). */
export interface ImportCall {
  target: string;
  args: string[] | null;
}

/** A place in a file: where a module list names a module evaluation found. */
export interface Place {
  file: string;
  span: Span;
}

/** What a module (or a list of inline modules) contributes. */
export interface Sink {
  definitions: Definition[];
  optionSets: OptionSet[];
  opaque: Opaque[];
  declarations: Declaration[];
  imports: ModuleRef[];
}

/** How a nixpkgs instance is made, as far as the file shows. */
export type Instance =
  /** The `pkgs` the module system passes. */
  | { kind: 'module' }
  /** `import nixpkgs { … }`: `config` is the config attribute set, null when none is given. */
  | { kind: 'import'; config: 'none' | 'unknown' | { allowsUnfree: boolean } }
  /** `nixpkgs.legacyPackages.${system}`: the default config, which allows no unfree package. */
  | { kind: 'legacy' }
  | { kind: 'unknown' };

/** A `nixosSystem { modules = [ … ]; }` (or homeManagerConfiguration) call. */
export interface SystemFacts extends Sink {
  /** The attribute it is bound to (nixosConfigurations.<name>), else "line N". */
  name: string;
  set: OptionSetName;
  file: string;
  span: Span;
  /** The `pkgs` argument, when one is given. */
  pkgs?: Instance;
  /** Found by evaluating the flake (a helper's call gives one per host): where the builder was called. */
  call?: { file: string; start: number };
  /** The flake input whose lib built it (`nixpkgs-server.lib.nixosSystem`), when evaluation shows it. */
  input?: string;
  /** The release of the nixpkgs that input is locked to ("24.05", "unstable"), when the lock says. */
  release?: string;
}

export interface ModuleFacts extends Sink {
  file: string;
  /** The set the file is a module of, or undefined when it is not a module (a flake, a package). */
  set?: OptionSetName;
  /** Looks like a module on its own: module arguments, or module keys at the top. */
  moduleLike: boolean;
  systems: SystemFacts[];
  /** Files the file makes Nix evaluate: imported, called with callPackage, or listed as modules. */
  evaluates: string[];
  /**
   * The files it imports with arguments (`import ./x.nix { a = …; }`): the names it passes, null
   * when they cannot be told. A file it evaluates without an entry here is called with callPackage
   * (which passes every name the package set has) or listed as a module.
   */
  calls?: ImportCall[];
  /** A flake.nix's inputs: name -> url, as written. */
  inputs?: Record<string, string>;
  /** A flake.nix whose outputs were evaluated: whether every configuration it defines was found. */
  configurationsKnown?: boolean;
}

export function emptySink(): Sink {
  return { definitions: [], optionSets: [], opaque: [], declarations: [], imports: [] };
}

/** Does every place in the sink lie inside `span`? */
export function sinkWithin(s: Sink, span: Span): boolean {
  const inside = (x: Span) => x.start >= span.start && x.end <= span.end;
  return s.definitions.every(d => inside(d.key) && inside(d.valueSpan) && inside(d.binding))
    && s.optionSets.every(o => inside(o.span)) && s.opaque.every(o => inside(o.span))
    && s.imports.every(i => i.kind !== 'unseen' || !i.span || inside(i.span))
    && s.declarations.every(d => !d.span || inside(d.span));
}

/** Add everything `from` holds to `into`. */
export function addSink(into: Sink, from: Sink): void {
  into.definitions.push(...from.definitions);
  into.optionSets.push(...from.optionSets);
  into.opaque.push(...from.opaque);
  into.declarations.push(...from.declarations);
  into.imports.push(...from.imports);
}

export function isEmptySink(s: Sink): boolean {
  return !s.definitions.length && !s.optionSets.length && !s.opaque.length && !s.declarations.length && !s.imports.length;
}

/** Which definitions, option sets and opaque regions of a sink (by index) keep their offsets when it moves. */
export interface Pinned {
  definitions: readonly number[];
  optionSets: readonly number[];
  opaque: readonly number[];
}

/** A sink with every offset moved by `by`, but those of the `pinned` items. */
export function shiftSink(s: Sink, by: number, pinned?: Pinned): Sink {
  const at = (x: Span): Span => ({ start: x.start + by, end: x.end + by });
  const kept = (kind: keyof Pinned, i: number) => !!pinned?.[kind].includes(i);
  return {
    definitions: s.definitions.map((d, i) => (kept('definitions', i) ? { ...d } : { ...d, key: at(d.key), valueSpan: at(d.valueSpan), binding: at(d.binding) })),
    optionSets: s.optionSets.map((o, i) => (kept('optionSets', i) ? { ...o } : { ...o, span: at(o.span) })),
    opaque: s.opaque.map((o, i) => (kept('opaque', i) ? { ...o } : { ...o, span: at(o.span) })),
    declarations: s.declarations.map(d => (d.span ? { ...d, span: at(d.span) } : d)),
    imports: s.imports.map(i => (i.kind === 'unseen' && i.span ? { ...i, span: at(i.span) } : i)),
  };
}
