/** A suggested value for an option (Nix text) with a short note. */
export interface ValueHint {
  value: string;
  description?: string;
}

export type OptionStatus = 'renamed' | 'removed' | 'deprecated';

/**
 * One option, from our catalog or from the user's nixpkgs. `name` is dotted; `<name>` (or `*`)
 * stands for any attribute name, as in `services.nginx.virtualHosts.<name>.root`.
 */
export interface OptionInfo {
  name: string;
  type: string;
  /** Nix text of the default, when there is one. */
  default?: string;
  example?: string;
  description: string;
  status?: OptionStatus;
  /** First NixOS release that has it ("24.11", "unstable"), when known. */
  since?: string;
  /** Release that renamed, removed or deprecated it. */
  removedIn?: string;
  replacedBy?: string;
  releaseNote?: string;
  readOnly?: boolean;
  /** Where nixpkgs declares it: a path inside nixpkgs, a store path or a URL. */
  declaredIn?: string;
  values?: ValueHint[];
  /** Where the fact came from: our catalog, or a loaded option set. */
  origin?: string;
}

/** A package or package set under `pkgs`. */
export interface PackageInfo {
  path: string;
  kind: 'set' | 'package' | 'function';
  description: string;
  releaseNote?: string;
  /** This set has the same members as another (`""` = the top-level pkgs). */
  membersLike?: string;
  /** The NixOS release whose nixpkgs no longer has it: using it fails evaluation there. */
  removedIn?: string;
  /** What to use instead, in words or as a path under pkgs. */
  replacedBy?: string;
}

/** A function with its arguments as written in a call (`condition value`) and what it does. */
export interface FunctionInfo {
  name: string;
  args: string;
  description: string;
}

export interface BuiltinInfo {
  name: string;
  args: string;
  description: string;
  /** Usable without the `builtins.` prefix. */
  global?: boolean;
  impure?: boolean;
  /** First Nix version that has it, when newer than 2.8. */
  since?: string;
  experimental?: string;
}
