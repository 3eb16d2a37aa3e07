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
