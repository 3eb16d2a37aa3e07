import type { Node, Tree } from './language';
import { descendants } from './syntaxTree';

/**
 * Named nodes of a tree grouped by type, built in one walk and kept as long as the tree lives, so
 * that the rules of one diagnostics pass share a single walk.
 */
const cache = new WeakMap<Tree, Map<string, Node[]>>();

function indexOf(tree: Tree): Map<string, Node[]> {
  let index = cache.get(tree);
  if (index) return index;
  index = new Map();
  for (const n of descendants(tree.rootNode)) {
    if (!n.isNamed) continue;
    const list = index.get(n.type);
    if (list) list.push(n);
    else index.set(n.type, [n]);
  }
  cache.set(tree, index);
  return index;
}

/** Named nodes of the given types, in document order. */
export function nodesIn(tree: Tree, ...types: string[]): Node[] {
  const index = indexOf(tree);
  if (types.length === 1) return index.get(types[0]) ?? [];
  return types.flatMap(t => index.get(t) ?? []).sort((a, b) => a.startIndex - b.startIndex);
}
