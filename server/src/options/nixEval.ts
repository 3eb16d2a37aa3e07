import type { OptionInfo } from './types';

/**
 * How we ask Nix for an option set: the evaluated system's `options`, flattened by nixpkgs' own
 * lib.optionAttrSetToDocList (the list the NixOS manual is built from), reduced to JSON-safe
 * fields. One option that fails to evaluate is skipped, not fatal.
 */
export const OPTIONS_EXPR = `system:
let
  lib = system.lib or system.pkgs.lib;
  keep = o: (o.visible or true) != false && !(o.internal or false);
  text = v:
    if builtins.isAttrs v then (v.text or null)
    else if builtins.isString v then v
    else null;
  shown = v:
    if builtins.isAttrs v && v ? _type then (v.text or null)
    else if builtins.isString v || builtins.isBool v || builtins.isInt v || builtins.isFloat v || v == null then builtins.toJSON v
    else null;
  where = d:
    if builtins.isString d || builtins.isPath d then toString d
    else if builtins.isAttrs d then (d.url or d.name or "")
    else "";
  entry = o: {
    name = o.name;
    type = o.type or "unspecified";
    description = text (o.description or null);
    default = if o ? default then shown o.default else null;
    example = if o ? example then shown o.example else null;
    declarations = map where (o.declarations or [ ]);
    readOnly = o.readOnly or false;
  };
  safe = o: let r = builtins.tryEval (builtins.deepSeq (entry o) (entry o)); in if r.success then [ r.value ] else [ ];
in
builtins.concatMap safe (builtins.filter keep (lib.optionAttrSetToDocList system.options))`;

/**
 * What one evaluation brings back: the options (OPTIONS_EXPR), the names of the package set's
 * top level (names only: no package is evaluated) and lib's names with where each is defined.
 * lib.x is usually `inherit (strings) x`: the position asked of the sub-library (lib.strings)
 * is the definition, with its doc comment above it.
 */
export const EVAL_EXPR = `system:
let
  try = v: let r = builtins.tryEval v; in if r.success then r.value else null;
  pkgs = try (system.pkgs or null);
  lib = system.lib or system.pkgs.lib;
  names = try (builtins.attrNames lib);
  subs = builtins.filter (n: try (builtins.isAttrs lib.\${n} && !(lib.\${n} ? _type)) == true) (if names == null then [ ] else names);
  posOf = n:
    let found = builtins.filter (p: p != null) (map (s: if try (lib.\${s} ? \${n}) == true then builtins.unsafeGetAttrPos n lib.\${s} else null) subs);
    in if found != [ ] then builtins.head found else builtins.unsafeGetAttrPos n lib;
  kindOf = v: if builtins.isFunction v then "function" else if builtins.isAttrs v then "set" else "value";
  libEntry = n:
    let p = try (posOf n);
    in { name = n; kind = try (kindOf lib.\${n}); file = if p == null then null else p.file; line = if p == null then null else p.line; };
  packageNames = if pkgs == null then null else try (builtins.attrNames pkgs);
in
{
  options = (${OPTIONS_EXPR}) system;
  packages = if packageNames == null then [ ] else packageNames;
  lib = if names == null then [ ] else map libEntry names;
}`;

/** The flake outputs whose entries carry an option set (their `.options`). */
export type ConfigurationOutput = 'nixosConfigurations' | 'homeConfigurations' | 'darwinConfigurations';

/** `nix-instantiate` next to a configured `nix`, or from PATH. */
export function instantiateBinary(nix: string): string {
  return nix.includes('/') ? nix.replace(/[^/]+$/, 'nix-instantiate') : 'nix-instantiate';
}

const OFFLINE_SAFE = ['--extra-experimental-features', 'nix-command flakes'];

/** argv for a flake output: `nix eval --json DIR#<attr>."<name>" --apply EXPR`. Never writes flake.lock. */
export function flakeArgv(nix: string, flakeDir: string, output: ConfigurationOutput, name: string): string[] {
  return [nix, ...OFFLINE_SAFE, 'eval', '--json', '--no-write-lock-file', `${flakeDir}#${output}."${name}"`, '--apply', EVAL_EXPR];
}

/** argv for the names of a flake's systems, when flake.nix does not spell them out. */
export function flakeNamesArgv(nix: string, flakeDir: string, output: ConfigurationOutput): string[] {
  return [nix, ...OFFLINE_SAFE, 'eval', '--json', '--no-write-lock-file', `${flakeDir}#${output}`, '--apply', 'builtins.attrNames'];
}

/** argv for NixOS from a nixpkgs checkout or `<nixpkgs>`; the path goes in as an argument, never as code. */
export function nixpkgsArgv(nix: string, nixpkgs: string | undefined): string[] {
  const source = nixpkgs === undefined ? '<nixpkgs/nixos>' : '(/. + nixpkgs + "/nixos")';
  const expr = `{ nixpkgs ? "" }: (${EVAL_EXPR}) (import ${source} { configuration = { }; })`;
  return [instantiateBinary(nix), '--eval', '--strict', '--json', '-E', expr, ...(nixpkgs === undefined ? [] : ['--argstr', 'nixpkgs', nixpkgs])];
}

/** argv that prints where `<nixpkgs>` points, for the cache key. */
export function findNixpkgsArgv(nix: string): string[] {
  return [instantiateBinary(nix), '--find-file', 'nixpkgs'];
}

interface RawOption {
  name: string;
  type: string;
  description: string | null;
  default: string | null;
  example: string | null;
  declarations: string[];
  readOnly: boolean;
}

/** A lib attribute: what it is and where it is defined (for its doc comment). */
export interface LibEntry {
  name: string;
  kind: 'function' | 'set' | 'value' | null;
  file: string | null;
  line: number | null;
}

export interface Evaluated {
  options: OptionInfo[];
  /** The package set's top-level names. */
  packages: string[];
  lib: LibEntry[];
}

/** Our options, package names and lib entries from what EVAL_EXPR printed. */
export function parseEvalOutput(json: string, origin: string): Evaluated {
  const data = JSON.parse(json) as { options?: RawOption[]; packages?: unknown; lib?: unknown };
  const raw = data?.options;
  if (!Array.isArray(raw)) throw new Error('nix printed something other than the options, packages and lib we asked for');
  const options = raw.filter(o => o && typeof o.name === 'string').map(o => ({
    name: o.name,
    type: o.type || 'unspecified',
    description: o.description?.trim() || 'No description.',
    ...(o.default != null ? { default: o.default } : {}),
    ...(o.example != null ? { example: o.example } : {}),
    ...(o.declarations?.[0] ? { declaredIn: o.declarations[0] } : {}),
    ...(o.readOnly ? { readOnly: true } : {}),
    origin,
  }));
  const packages = Array.isArray(data.packages) ? data.packages.filter((n): n is string => typeof n === 'string') : [];
  const lib = Array.isArray(data.lib) ? (data.lib as LibEntry[]).filter(e => e && typeof e.name === 'string') : [];
  return { options, packages, lib };
}

/** What a loaded package set was evaluated from, to ask it about one package later. */
export type EvalTarget =
  | { kind: 'flake'; dir: string; output: ConfigurationOutput; name: string }
  | { kind: 'nixpkgs'; path?: string };

/** One package's facts, none of which may stop the rest (a broken meta gives nulls). */
const DETAILS_EXPR = `p:
let
  try = v: let r = builtins.tryEval (builtins.deepSeq v v); in if r.success then r.value else null;
  meta = try (p.meta or { });
  license = l: if builtins.isList l then map license l else if builtins.isAttrs l then (l.spdxId or l.shortName or l.fullName or null) else l;
  first = h: if builtins.isList h then (if h == [ ] then null else builtins.head h) else h;
in
{
  version = try (p.version or null);
  description = try (meta.description or null);
  homepage = try (first (meta.homepage or null));
  license = try (license (meta.license or null));
  isSet = try (builtins.isAttrs p && (p.type or null) != "derivation");
}`;

const NAMES_EXPR = 's: let r = builtins.tryEval (builtins.attrNames s); in if r.success then r.value else [ ]';

/**
 * argv that evaluates one package (`details`) or lists a nested set (`names`) of the package set
 * `target` was loaded from. The path goes in as data (a quoted installable, or JSON), never as code.
 */
export function packageArgv(nix: string, target: EvalTarget, attrPath: readonly string[], what: 'details' | 'names'): string[] | undefined {
  if (!attrPath.every(safeName)) return undefined;
  const apply = what === 'details' ? DETAILS_EXPR : NAMES_EXPR;
  if (target.kind === 'flake') {
    const installable = `${target.dir}#${target.output}."${target.name}".pkgs${attrPath.map(a => `."${a}"`).join('')}`;
    return [nix, ...OFFLINE_SAFE, 'eval', '--json', '--no-write-lock-file', installable, '--apply', apply];
  }
  const source = target.path === undefined ? '<nixpkgs/nixos>' : '(/. + nixpkgs + "/nixos")';
  const expr = `{ nixpkgs ? "", attr }: (${apply}) (builtins.foldl' (s: n: s.\${n}) (import ${source} { configuration = { }; }).pkgs (builtins.fromJSON attr))`;
  return [instantiateBinary(nix), '--eval', '--strict', '--json', '-E', expr, '--argstr', 'attr', JSON.stringify(attrPath), ...(target.path === undefined ? [] : ['--argstr', 'nixpkgs', target.path])];
}

function safeName(name: string): boolean {
  return /^[A-Za-z0-9_+][A-Za-z0-9_'+.-]*$/.test(name);
}
