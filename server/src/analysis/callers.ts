import * as path from 'path';
import type { ModuleFacts, ModuleRef } from './facts';
import { addTo } from '../util/lists';

/**
 * How one caller calls a file: the argument names it passes, 'all' (callPackage, which passes every
 * name of the package set, or a module list, which passes the module arguments), or null when they
 * cannot be told.
 */
export type Caller = string[] | 'all' | null;

export interface CallerIndex {
  /** Every caller of a file in the workspace (a folder's callers count for its default.nix). */
  of(file: string): readonly Caller[];
}

/** Who calls each file, from every file's facts, by the path as written. */
export function callerIndex(facts: ReadonlyMap<string, ModuleFacts>): CallerIndex {
  const index = new Map<string, Caller[]>();
  for (const m of facts.values()) {
    const imported = new Map<string, Array<string[] | null>>();
    for (const c of m.calls ?? []) addTo(imported, c.target, c.args);
    const evaluated = new Set(m.evaluates);
    for (const t of evaluated) {
      const calls = imported.get(t);
      if (calls) calls.forEach(args => addTo(index, t, args));
      else addTo(index, t, 'all');
    }
    const refs = (list: readonly ModuleRef[], depth: number): void => {
      for (const r of list) {
        if (r.kind === 'file' && !r.applied && !evaluated.has(r.path)) addTo(index, r.path, 'all');
        else if (r.kind === 'module' && depth < 32) refs(r.sink.imports, depth + 1);
      }
    };
    for (const s of [m, ...m.systems]) refs(s.imports, 0);
  }
  return {
    of: file => {
      const own = index.get(file) ?? [];
      return path.basename(file) === 'default.nix' ? [...own, ...(index.get(path.dirname(file)) ?? [])] : own;
    },
  };
}
