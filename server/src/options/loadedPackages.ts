import type { LibEntry } from './nixEval';

/**
 * The top-level names of the user's package set (about 100,000 in nixpkgs): kept sorted with
 * their lower-case forms, so a prefix is found without looking at every name.
 */
export class PackageNames {
  private readonly names: string[];
  private readonly lower: string[];

  constructor(names: readonly string[]) {
    const byLower = [...new Set(names)].map(n => [n.toLowerCase(), n] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
    this.lower = byLower.map(p => p[0]);
    this.names = byLower.map(p => p[1]);
  }

  get size(): number {
    return this.names.length;
  }

  has(name: string): boolean {
    const i = this.first(name.toLowerCase());
    for (let j = i; j < this.lower.length && this.lower[j] === name.toLowerCase(); j++) if (this.names[j] === name) return true;
    return false;
  }

  /** Up to `limit` names that start with `prefix` (case ignored), in order, and whether more do. */
  matching(prefix: string, limit: number): { names: string[]; more: boolean } {
    const p = prefix.toLowerCase();
    const out: string[] = [];
    for (let i = this.first(p); i < this.lower.length && this.lower[i].startsWith(p); i++) {
      if (out.length === limit) return { names: out, more: true };
      out.push(this.names[i]);
    }
    return { names: out, more: false };
  }

  /** The index of the first lower-case name not before `p`. */
  private first(p: string): number {
    let lo = 0;
    let hi = this.lower.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lower[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** What a lib function's doc comment says: its text, and the type line when it gives one. */
export interface LibDoc {
  text: string;
  signature?: string;
}

/** lib's attributes from the user's nixpkgs, and their doc comments, read once each from the file that defines them. */
export class LibIndex {
  private readonly byName: Map<string, LibEntry>;
  private readonly docs = new Map<string, LibDoc | undefined>();

  constructor(entries: readonly LibEntry[], private readonly read: (file: string) => string | undefined) {
    this.byName = new Map(entries.map(e => [e.name, e]));
  }

  get size(): number {
    return this.byName.size;
  }

  entries(): IterableIterator<LibEntry> {
    return this.byName.values();
  }

  get(name: string): LibEntry | undefined {
    return this.byName.get(name);
  }

  doc(name: string): LibDoc | undefined {
    if (this.docs.has(name)) return this.docs.get(name);
    const e = this.byName.get(name);
    const text = e?.file && e.line ? this.read(e.file) : undefined;
    const doc = text === undefined ? undefined : docCommentAbove(text, e!.line!);
    this.docs.set(name, doc);
    return doc;
  }
}

/**
 * The comment right above line `line` (1-based): a `/** … *\/` block, as nixpkgs writes above lib
 * functions, or a run of `#` lines. The signature is the `name :: …` line of its Type section.
 */
export function docCommentAbove(text: string, line: number): LibDoc | undefined {
  const lines = text.split('\n');
  let end = line - 2;
  while (end >= 0 && !lines[end].trim()) end--;
  if (end < 0) return undefined;
  let body: string[];
  if (lines[end].trim().endsWith('*/')) {
    let start = end;
    while (start >= 0 && !lines[start].includes('/*')) start--;
    if (start < 0) return undefined;
    body = lines.slice(start, end + 1);
    body[0] = body[0].replace(/^.*?\/\*\*?/, '');
    body[body.length - 1] = body[body.length - 1].replace(/\*\/\s*$/, '');
  } else if (lines[end].trim().startsWith('#')) {
    let start = end;
    while (start > 0 && lines[start - 1].trim().startsWith('#')) start--;
    body = lines.slice(start, end + 1).map(l => l.replace(/^\s*#\s?/, ''));
  } else {
    return undefined;
  }
  const text2 = dedent(body).trim();
  if (!text2) return undefined;
  const signature = /^\s*(\S+ :: .+)$/m.exec(text2)?.[1];
  return { text: text2, ...(signature ? { signature } : {}) };
}

function dedent(lines: string[]): string {
  const indents = lines.filter(l => l.trim()).map(l => /^\s*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map(l => l.slice(Math.min(cut, /^\s*/.exec(l)![0].length))).join('\n');
}
