import type { OptionInfo } from './types';

/** A segment that stands for any attribute name (`<name>`, `*`, `<system>` …). */
export function isWildcard(segment: string): boolean {
  return segment === '*' || (segment.startsWith('<') && segment.endsWith('>'));
}

export interface IndexNode {
  children: Map<string, IndexNode>;
  /** Child for any name (`<name>`), with the placeholder as written. */
  wildcard?: { label: string; node: IndexNode };
  option?: OptionInfo;
  /** How many options there are at and below this node. */
  count: number;
}

function newNode(): IndexNode {
  return { children: new Map(), count: 0 };
}

/**
 * Options by path, as a tree of attribute names. Lookups follow a literal name first and fall
 * back to a `<name>` child, so `services.nginx.virtualHosts.example.root` finds the option
 * declared as `services.nginx.virtualHosts.<name>.root`.
 */
export class OptionIndex {
  private readonly root = newNode();

  constructor(options: Iterable<OptionInfo> = []) {
    for (const o of options) this.add(o);
  }

  get size(): number {
    return this.root.count;
  }

  /** Add or merge an option; a later add wins for facts, but keeps our release notes and hints. */
  add(option: OptionInfo): void {
    const path = splitOptionName(option.name);
    const visited: IndexNode[] = [this.root];
    let node = this.root;
    for (const seg of path) {
      let next: IndexNode | undefined;
      if (isWildcard(seg)) {
        node.wildcard ??= { label: seg, node: newNode() };
        next = node.wildcard.node;
      } else {
        next = node.children.get(seg);
        if (!next) node.children.set(seg, (next = newNode()));
      }
      node = next;
      visited.push(node);
    }
    const old = node.option;
    node.option = old ? mergeOption(old, option) : option;
    if (!old) for (const n of visited) n.count++;
  }

  /** The node for a path of concrete names (or placeholders), if the index knows it. */
  node(path: readonly string[]): IndexNode | undefined {
    let node: IndexNode | undefined = this.root;
    for (const seg of path) {
      if (!node) return undefined;
      node = (isWildcard(seg) ? undefined : node.children.get(seg)) ?? node.wildcard?.node;
    }
    return node;
  }

  get(path: readonly string[]): OptionInfo | undefined {
    return this.node(path)?.option;
  }

  /** The nearest declared option at or above `path` (for values below a free-form option). */
  enclosing(path: readonly string[]): { option: OptionInfo; depth: number } | undefined {
    let node: IndexNode | undefined = this.root;
    let found: { option: OptionInfo; depth: number } | undefined;
    for (let i = 0; i < path.length && node; i++) {
      node = node.children.get(path[i]) ?? node.wildcard?.node;
      if (node?.option) found = { option: node.option, depth: i + 1 };
    }
    return found;
  }

  /** Every option, depth first. */
  *all(): Generator<OptionInfo> {
    const stack: IndexNode[] = [this.root];
    for (let node = stack.pop(); node; node = stack.pop()) {
      if (node.option) yield node.option;
      stack.push(...node.children.values());
      if (node.wildcard) stack.push(node.wildcard.node);
    }
  }
}

function mergeOption(ours: OptionInfo, loaded: OptionInfo): OptionInfo {
  return {
    ...ours,
    ...loaded,
    status: loaded.status ?? ours.status,
    since: ours.since,
    removedIn: ours.removedIn ?? loaded.removedIn,
    replacedBy: loaded.replacedBy ?? ours.replacedBy,
    releaseNote: ours.releaseNote,
    values: loaded.values ?? ours.values,
  };
}

/** Edit distance, ignoring case. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

/** Up to three names close to the unknown one: siblings spelled alike. */
export function nearestOptions(index: OptionIndex, parent: readonly string[], name: string): string[] {
  const node = index.node(parent);
  if (!node) return [];
  return [...node.children.keys()]
    .map(k => ({ k, d: distance(name, k) }))
    .filter(x => x.d <= Math.max(2, Math.floor(name.length / 3)) || x.k.toLowerCase().startsWith(name.toLowerCase()))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(x => [...parent, x.k].join('.'));
}

/** Split `a.b."c.d".<name>` into its names; quotes keep dots inside one name. */
export function splitOptionName(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of name) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '.' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}
