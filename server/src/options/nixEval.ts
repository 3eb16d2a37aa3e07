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

/** `nix-instantiate` next to a configured `nix`, or from PATH. */
export function instantiateBinary(nix: string): string {
  return nix.includes('/') ? nix.replace(/[^/]+$/, 'nix-instantiate') : 'nix-instantiate';
}

const OFFLINE_SAFE = ['--extra-experimental-features', 'nix-command flakes'];

/** argv for a flake output: `nix eval --json DIR#<attr>."<name>" --apply EXPR`. Never writes flake.lock. */
export function flakeArgv(nix: string, flakeDir: string, output: 'nixosConfigurations' | 'homeConfigurations', name: string): string[] {
  return [nix, ...OFFLINE_SAFE, 'eval', '--json', '--no-write-lock-file', `${flakeDir}#${output}."${name}"`, '--apply', OPTIONS_EXPR];
}

/** argv for the names of a flake's systems, when flake.nix does not spell them out. */
export function flakeNamesArgv(nix: string, flakeDir: string, output: 'nixosConfigurations' | 'homeConfigurations'): string[] {
  return [nix, ...OFFLINE_SAFE, 'eval', '--json', '--no-write-lock-file', `${flakeDir}#${output}`, '--apply', 'builtins.attrNames'];
}

/** argv for NixOS from a nixpkgs checkout or `<nixpkgs>`; the path goes in as an argument, never as code. */
export function nixpkgsArgv(nix: string, nixpkgs: string | undefined): string[] {
  const source = nixpkgs === undefined ? '<nixpkgs/nixos>' : '(/. + nixpkgs + "/nixos")';
  const expr = `{ nixpkgs ? "" }: (${OPTIONS_EXPR}) (import ${source} { configuration = { }; })`;
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

/** Our options from what OPTIONS_EXPR printed. */
export function parseEvalOutput(json: string, origin: string): OptionInfo[] {
  const raw = JSON.parse(json) as RawOption[];
  if (!Array.isArray(raw)) throw new Error('nix printed something other than a list of options');
  return raw.filter(o => o && typeof o.name === 'string').map(o => ({
    name: o.name,
    type: o.type || 'unspecified',
    description: o.description?.trim() || 'No description.',
    ...(o.default != null ? { default: o.default } : {}),
    ...(o.example != null ? { example: o.example } : {}),
    ...(o.declarations?.[0] ? { declaredIn: o.declarations[0] } : {}),
    ...(o.readOnly ? { readOnly: true } : {}),
    origin,
  }));
}
