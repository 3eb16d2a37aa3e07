import type { OptionSetName } from '../analysis/moduleContext';
import { catalog } from './catalog';
import { OptionIndex } from './optionIndex';
import type { LibIndex, PackageNames } from './loadedPackages';
import type { PackageDetails } from './packageDetails';
import { PackageIndex } from './packageIndex';
import type { BuiltinInfo, OptionInfo, ValueHint } from './types';

/** Everything the features know about options, packages and builtins. */
export interface Knowledge {
  options(set: OptionSetName): OptionIndex;
  packages: PackageIndex;
  builtins: ReadonlyMap<string, BuiltinInfo>;
  systems: readonly ValueHint[];
  /** Sets loaded in full from the user's nixpkgs: an option missing from them does not exist. */
  complete: ReadonlySet<OptionSetName>;
  /** nixpkgs revision from the workspace's flake.lock, for links to declarations. */
  nixpkgsRev?: string;
  /** The top-level names of the user's package set, when loaded. */
  packageNames?: PackageNames;
  /** The user's lib, when loaded. */
  lib?: LibIndex;
  /** Asks the user's nixpkgs about one package or a nested set, when it was evaluated. */
  packageDetails?: PackageDetails;
  /** Where the package facts come from, as hover says it ("your nixpkgs", "NixOS 25.11's list"). */
  packagesFrom?: string;
}

const builtinMap = new Map(catalog.builtins.map(b => [b.name, b]));
const packageIndex = new PackageIndex(catalog.packages);

/** The knowledge we ship, plus loaded option sets (loaded facts win, our notes stay). */
export function createKnowledge(loaded: Partial<Record<OptionSetName, readonly OptionInfo[]>> = {}, extra: Partial<Knowledge> = {}): Knowledge {
  const indexes: Record<OptionSetName, OptionIndex> = {
    nixos: new OptionIndex(catalog.nixos.map(o => ({ ...o, origin: 'nix-ai catalog' }))),
    'home-manager': new OptionIndex(catalog.homeManager.map(o => ({ ...o, origin: 'nix-ai catalog' }))),
    darwin: new OptionIndex(catalog.darwin.map(o => ({ ...o, origin: 'nix-ai catalog' }))),
    flake: new OptionIndex(catalog.flake),
    'flake-parts': new OptionIndex(catalog.flakeParts),
  };
  for (const [set, options] of Object.entries(loaded) as [OptionSetName, readonly OptionInfo[]][]) {
    for (const o of options) indexes[set].add(o);
  }
  return {
    options: set => indexes[set],
    packages: packageIndex,
    builtins: builtinMap,
    systems: catalog.systems,
    complete: new Set((Object.keys(loaded) as OptionSetName[]).filter(set => (loaded[set]?.length ?? 0) > 0)),
    ...extra,
  };
}
