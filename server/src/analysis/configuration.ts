import * as path from 'path';
import type { Definition, ModuleFacts, OptionSet } from './definitions';
import type { OptionSetName } from './moduleContext';

/**
 * A NixOS (or home-manager) configuration as far as the workspace shows it: the modules one
 * `nixosSystem` call (or one top-level module file) pulls in through `modules` and `imports`, and
 * every option definition they make.
 */
export class Configuration {
  private readonly byPath = new Map<string, Definition[]>();

  constructor(
    readonly name: string,
    readonly set: OptionSetName,
    readonly definitions: readonly Definition[],
    readonly files: ReadonlySet<string>,
    readonly optionSets: readonly OptionSet[],
  ) {
    for (const d of definitions) {
      const key = d.path.join('.');
      const list = this.byPath.get(key);
      if (list) list.push(d);
      else this.byPath.set(key, [d]);
    }
  }

  /** Definitions of exactly this option. */
  get(option: string): readonly Definition[] {
    return this.byPath.get(option) ?? [];
  }

  /** Is the option set anywhere, directly or inside a value we cannot see into (`hardware.nvidia = cfg;`)? */
  isSet(option: string): boolean {
    if (this.get(option).length) return true;
    const parts = option.split('.');
    for (let i = parts.length - 1; i > 0; i--) {
      if (this.get(parts.slice(0, i).join('.')).some(d => d.value.kind === 'other')) return true;
    }
    return false;
  }
}

/** What the workspace's files say together: configurations, and which files Nix evaluates purely. */
export interface WorkspaceAnalysis {
  configurationsOf(file: string): Configuration[];
  isPure(file: string): boolean;
  /** Unfree packages are allowed for this file: by itself, its configurations, or a flake that reaches it. */
  unfreeAllowed(file: string): boolean;
}

/** `./hosts/gpu` means `./hosts/gpu/default.nix` when that is a file we know. */
function resolver(facts: ReadonlyMap<string, ModuleFacts>): (p: string) => string {
  return p => (facts.has(p) || p.endsWith('.nix') ? p : facts.has(path.join(p, 'default.nix')) ? path.join(p, 'default.nix') : p);
}

export function analyzeWorkspace(facts: ReadonlyMap<string, ModuleFacts>): WorkspaceAnalysis {
  const resolve = resolver(facts);
  const closure = (starts: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue = starts.map(resolve);
    while (queue.length) {
      const f = queue.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const i of facts.get(f)?.imports ?? []) queue.push(resolve(i));
    }
    return seen;
  };
  const build = (name: string, set: OptionSetName, files: Set<string>, extra: readonly Definition[] = [], extraSets: readonly OptionSet[] = []) => {
    const modules = [...files].map(f => facts.get(f)).filter((m): m is ModuleFacts => !!m && m.set === set);
    return new Configuration(name, set, [...extra, ...modules.flatMap(m => m.definitions)], files, [...extraSets, ...modules.flatMap(m => m.optionSets)]);
  };

  const configurations: Configuration[] = [];
  const imported = new Set<string>();
  for (const m of facts.values()) {
    for (const i of m.imports) imported.add(resolve(i));
    for (const s of m.systems) {
      const files = closure(s.modules);
      files.forEach(f => imported.add(f));
      if (s.definitions.length) files.add(m.file);
      configurations.push(build(s.name, s.set, files, s.definitions, s.optionSets));
    }
  }
  for (const m of facts.values()) {
    if (m.set && m.set !== 'flake' && m.moduleLike && !imported.has(m.file)) {
      configurations.push(build(path.basename(m.file), m.set, closure([m.file])));
    }
  }

  /** Everything a flake can make Nix read, by path literals, from flake.nix on. */
  const reachedFrom = (flake: string): Set<string> => {
    const seen = new Set<string>();
    const queue = [flake];
    while (queue.length) {
      const f = resolve(queue.pop()!);
      if (seen.has(f)) continue;
      seen.add(f);
      queue.push(...(facts.get(f)?.references ?? []));
    }
    return seen;
  };
  const flakes = [...facts.keys()].filter(f => path.basename(f) === 'flake.nix').map(f => ({ file: f, reaches: reachedFrom(f) }));
  const pure = new Set(flakes.flatMap(f => [...f.reaches]));
  const allows = (f: string) => facts.get(f)?.allowsUnfree === true;

  // Asked for by every rule context and again by unfreeAllowed: worked out once per file.
  const byFile = new Map<string, Configuration[]>();
  return {
    configurationsOf(file) {
      let found = byFile.get(file);
      if (!found) {
        found = configurations.filter(c => c.files.has(file));
        const own = facts.get(file);
        if (!found.length && own?.set && own.set !== 'flake') found = [build(path.basename(file), own.set, closure([file]))];
        byFile.set(file, found);
      }
      return found;
    },
    isPure: file => pure.has(file),
    unfreeAllowed(file) {
      if (allows(file)) return true;
      if (this.configurationsOf(file).some(c => [...c.files].some(allows))) return true;
      return flakes.some(f => f.reaches.has(file) && [...f.reaches].some(allows));
    },
  };
}
