import { lockDate, parseLock } from '../analysis/flakeLock';

/**
 * What `nix flake update` changed, per input, from the flake.lock before and after: the revision
 * (or narHash when there is none) and the date of each.
 */
export interface InputChange {
  input: string;
  kind: 'updated' | 'added' | 'removed';
  from?: { rev: string; date?: string };
  to?: { rev: string; date?: string };
}

function revisions(text: string | undefined): Map<string, { rev: string; date?: string }> {
  const out = new Map<string, { rev: string; date?: string }>();
  const lock = parseLock(text);
  if (!lock) return out;
  for (const [input, target] of Object.entries(lock.nodes[lock.root]?.inputs ?? {})) {
    if (typeof target !== 'string') continue; // follows another input
    const locked = lock.nodes[target]?.locked;
    if (!locked) continue;
    const rev = locked.rev ? locked.rev.slice(0, 12) : (locked.narHash ?? '?');
    out.set(input, { rev, ...(locked.lastModified ? { date: lockDate(locked.lastModified) } : {}) });
  }
  return out;
}

export function lockChanges(before: string | undefined, after: string | undefined): InputChange[] {
  const a = revisions(before);
  const b = revisions(after);
  const changes: InputChange[] = [];
  for (const [input, to] of b) {
    const from = a.get(input);
    if (!from) changes.push({ input, kind: 'added', to });
    else if (from.rev !== to.rev) changes.push({ input, kind: 'updated', from, to });
  }
  for (const [input, from] of a) if (!b.has(input)) changes.push({ input, kind: 'removed', from });
  return changes.sort((x, y) => x.input.localeCompare(y.input));
}

export function describeChanges(changes: readonly InputChange[]): string[] {
  if (!changes.length) return ['all inputs are already up to date'];
  const at = (r?: { rev: string; date?: string }) => (r ? `${r.rev}${r.date ? ` (${r.date})` : ''}` : '');
  return changes.map(c => c.kind === 'updated'
    ? `${c.input}: ${at(c.from)} → ${at(c.to)}`
    : c.kind === 'added' ? `${c.input}: added at ${at(c.to)}` : `${c.input}: removed (was ${at(c.from)})`);
}
