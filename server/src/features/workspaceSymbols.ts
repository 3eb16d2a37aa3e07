import type { ModuleFacts, SystemFacts } from '../analysis/facts';
import type { NixDocument } from '../parse/documents';
import type { LineIndex, Range } from '../parse/lineIndex';
import { documentSymbols, type NixSymbol } from './symbols';

export type WorkspaceSymbolKind = 'configuration' | 'module' | 'option' | 'package' | 'devShell';

export interface WorkspaceSymbol {
  name: string;
  kind: WorkspaceSymbolKind;
  /** What it belongs to: nixosConfigurations, a module's file, a system. */
  container: string;
  file: string;
  range: Range;
}

export interface SymbolSources {
  /** The facts of every analysed file. */
  facts: Iterable<ModuleFacts>;
  /** The workspace's flake.nix files, parsed. */
  flakes: ReadonlyArray<{ file: string; doc: NixDocument }>;
  /** A file's line index, to turn offsets into positions. */
  lines: (file: string) => LineIndex | undefined;
  /** How to show a file: its path in the workspace. */
  label: (file: string) => string;
}

const CONFIGURATIONS: Record<string, string> = { nixos: 'nixosConfigurations', 'home-manager': 'homeConfigurations', darwin: 'darwinConfigurations', flake: 'flake' };
const EXPORTS: Record<string, WorkspaceSymbolKind> = {
  darwinConfigurations: 'configuration', packages: 'package', devShells: 'devShell', nixosModules: 'module', homeModules: 'module', homeManagerModules: 'module', darwinModules: 'module',
};

/**
 * What the workspace defines, for "Go to Symbol in Workspace": configurations, modules, the
 * options its modules declare, and the packages, dev shells and modules its flakes export.
 */
export function workspaceSymbols(query: string, sources: SymbolSources, limit = 500): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  const add = (s: WorkspaceSymbol | undefined) => {
    if (s && out.length < limit && matches(query, s.name)) out.push(s);
  };
  const at = (file: string, start: number, end: number): Range | undefined => {
    const lines = sources.lines(file);
    return lines && { start: lines.positionAt(start), end: lines.positionAt(end) };
  };
  for (const m of sources.facts) {
    for (const s of m.systems) add(configuration(s, at(s.file, s.span.start, s.span.end)));
    if (m.moduleLike && m.set) {
      const start = { line: 0, character: 0 };
      add({ name: sources.label(m.file), kind: 'module', container: `${m.set} module`, file: m.file, range: { start, end: start } });
    }
    for (const d of [m, ...m.systems].flatMap(s => s.declarations)) {
      const range = d.span && at(m.file, d.span.start, d.span.end);
      if (range) add({ name: d.path.join('.'), kind: 'option', container: sources.label(m.file), file: m.file, range });
    }
  }
  for (const { file, doc } of sources.flakes) {
    const outputs = documentSymbols(doc).find(s => s.name === 'outputs');
    for (const group of outputs?.children ?? []) {
      const kind = EXPORTS[group.name];
      if (!kind) continue;
      for (const child of group.children) {
        // packages.<system>.<name>, or nixosModules.<name>
        const perSystem = kind === 'package' || kind === 'devShell';
        const leaves: Array<[NixSymbol, string]> = perSystem ? child.children.map(c => [c, `${group.name}.${child.name}`]) : [[child, group.name]];
        for (const [leaf, container] of leaves) add({ name: leaf.name, kind, container, file, range: leaf.selectionRange });
      }
    }
  }
  return out;
}

function configuration(s: SystemFacts, range: Range | undefined): WorkspaceSymbol | undefined {
  if (!range || s.name.startsWith('line ')) return undefined;
  return { name: s.name, kind: 'configuration', container: CONFIGURATIONS[s.set] ?? s.set, file: s.file, range };
}

/** Every character of the query, in order, case ignored (as editors filter symbols). */
export function matches(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (const ch of n) if (i < q.length && ch === q[i]) i++;
  return i === q.length;
}
