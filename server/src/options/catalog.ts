import builtinsJson from './catalog/builtins.json';
import darwinJson from './catalog/darwin.json';
import homeManagerJson from './catalog/home-manager.json';
import flakeJson from './catalog/flake.json';
import flakePartsJson from './catalog/flake-parts.json';
import libJson from './catalog/lib.json';
import nixosJson from './catalog/nixos.json';
import packagesJson from './catalog/packages.json';
import type { BuiltinInfo, FunctionInfo, OptionInfo, PackageInfo, ValueHint } from './types';

/** The data we ship: edit the JSON files in catalog/, the schema test checks every entry. */
export const catalog = {
  nixos: nixosJson.options as OptionInfo[],
  /** nix-darwin options for a Mac that drives GPU work (builders, caches, Homebrew, launchd). */
  darwin: darwinJson.options as OptionInfo[],
  /** home-manager options for GPU and AI work (ollama as a user service, nixGL, packages). */
  homeManager: homeManagerJson.options as OptionInfo[],
  flake: flakeJson.options as OptionInfo[],
  /** Options of flake-parts modules (systems, perSystem, flake). */
  flakeParts: flakePartsJson.options as OptionInfo[],
  systems: flakeJson.systems as ValueHint[],
  packages: packagesJson.packages as PackageInfo[],
  builtins: builtinsJson.builtins as BuiltinInfo[],
  /** Common nixpkgs lib functions (name under lib, arguments, what it does). */
  lib: libJson.functions as FunctionInfo[],
};

export const RELEASES = ['24.05', '24.11', '25.05', '25.11', '26.05', 'unstable'];

/** The catalog's lib functions by name (`mkIf`, `types.listOf`). */
export const LIB_FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map(catalog.lib.map(f => [f.name, f]));
