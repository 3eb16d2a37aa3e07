/**
 * Modules we cannot read but know: the NixOS modules of a few widely used flakes, and the nixpkgs
 * modules that generated hardware configurations import. For each, the option prefixes it defines
 * and declares. A configuration that imports one stays answerable for every option outside those
 * prefixes; any other module we cannot read makes every answer about the configuration "unknown".
 */
export interface KnownModule {
  /** What it is, for messages. */
  name: string;
  /** Option prefixes it may define. */
  defines: readonly string[];
  /** Option prefixes it declares. */
  declares: readonly string[];
}

const BASE = ['assertions', 'warnings', 'environment', 'systemd', 'system', 'users'];

/** Flakes by repository name, with the attribute names of their NixOS module. */
const FLAKE_MODULES: Record<string, { attrs: readonly string[]; defines: readonly string[]; declares: readonly string[] }> = {
  'home-manager': { attrs: ['home-manager', 'default'], defines: ['home-manager', 'nix', ...BASE], declares: ['home-manager'] },
  'sops-nix': { attrs: ['sops', 'default'], defines: ['sops', ...BASE], declares: ['sops'] },
  agenix: { attrs: ['age', 'default'], defines: ['age', ...BASE], declares: ['age'] },
  disko: { attrs: ['disko', 'default'], defines: ['disko', 'fileSystems', 'boot', 'swapDevices', ...BASE], declares: ['disko'] },
  impermanence: { attrs: ['impermanence', 'default'], defines: ['fileSystems', 'boot', ...BASE], declares: ['environment.persistence'] },
  'nix-index-database': { attrs: ['nix-index', 'default'], defines: ['programs', ...BASE], declares: ['programs.nix-index-database'] },
  lanzaboote: { attrs: ['lanzaboote', 'default'], defines: ['boot', ...BASE], declares: ['boot.lanzaboote'] },
};

/** nixpkgs modules by their path under nixos/modules. */
const NIXPKGS_MODULES: Record<string, readonly string[]> = {
  'installer/scan/not-detected.nix': ['hardware.enableRedistributableFirmware'],
  'profiles/qemu-guest.nix': ['boot', 'services.qemuGuest'],
  'profiles/headless.nix': ['boot', 'systemd'],
  'profiles/minimal.nix': ['documentation', 'environment', 'fonts', 'xdg', 'programs.command-not-found', 'services.udisks2', 'boot.enableContainers'],
};

/** The repository a flake input's url names: "github:nix-community/home-manager/release-25.05" -> "home-manager". */
function repoOf(url: string): string | undefined {
  const m = /^(?:github|gitlab|sourcehut):[^/]+\/([^/?#]+)/.exec(url) ?? /^(?:git\+)?https?:\/\/[^/]+\/[^/]+\/([^/?#]+?)(?:\.git)?(?:[/?#]|$)/.exec(url);
  return m?.[1];
}

/** What a module expression we could not read is, if we know it. */
export function knownModule(text: string, inputs: Readonly<Record<string, string>> = {}): KnownModule | undefined {
  const t = text.replace(/[\s()]/g, '');
  const internal = /(?:modulesPath\+"\/|\$\{modulesPath\}\/|<nixpkgs\/nixos\/modules\/)([\w./-]+?)(?:">?|>)$/.exec(t) ?? /^"\$\{modulesPath\}\/([\w./-]+)"$/.exec(t);
  if (internal && Object.hasOwn(NIXPKGS_MODULES, internal[1])) {
    return { name: `nixpkgs' ${internal[1]}`, defines: NIXPKGS_MODULES[internal[1]], declares: [] };
  }
  const m = /^(?:inputs\.)?([\w-]+)\.nixosModules\.([\w-]+)$/.exec(t);
  if (!m) return undefined;
  const [, input, attr] = m;
  const repo = Object.hasOwn(inputs, input) ? repoOf(inputs[input]) : input;
  const known = repo && Object.hasOwn(FLAKE_MODULES, repo) ? FLAKE_MODULES[repo] : undefined;
  if (!known || !known.attrs.includes(attr)) return undefined;
  return { name: `${repo}'s NixOS module`, defines: known.defines, declares: known.declares };
}
