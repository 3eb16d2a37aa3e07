import { withoutColours } from './nixErrors';

/**
 * `nix store diff-closures OLD NEW`, read: each line is a package whose versions or size changed,
 * `name: 1.0 → 1.1, +12.3 KiB`, with ∅ for a side that lacks it (added or removed) and several
 * versions separated by commas.
 */
export interface ClosureChange {
  name: string;
  kind: 'added' | 'removed' | 'changed' | 'size';
  from: string[];
  to: string[];
  /** The size change as Nix prints it ("+12.3 KiB"), when it prints one. */
  size?: string;
}

const SIZE = /(?:^|,\s*)([+-]\d+(?:\.\d+)?\s*[KMGT]?i?B)$/;

function versions(text: string): string[] {
  const t = text.trim();
  return t === '∅' || t === '' ? [] : t.split(/,\s*/).filter(v => v !== '∅');
}

export function parseClosureDiff(output: string): ClosureChange[] {
  const changes: ClosureChange[] = [];
  for (const raw of withoutColours(output).split('\n')) {
    const m = /^(\S[^:]*):\s+(.*)$/.exec(raw.trim());
    if (!m) continue;
    let rest = m[2];
    const size = SIZE.exec(rest);
    if (size) rest = rest.slice(0, size.index).trim();
    const arrow = rest.split(/\s*→\s*/);
    if (arrow.length !== 2) {
      if (size) changes.push({ name: m[1], kind: 'size', from: [], to: [], size: size[1] });
      continue;
    }
    const [from, to] = arrow.map(versions);
    const kind = arrow[0].trim() === '∅' ? 'added' : arrow[1].trim() === '∅' ? 'removed' : 'changed';
    changes.push({ name: m[1], kind, from, to, ...(size ? { size: size[1] } : {}) });
  }
  return changes;
}
