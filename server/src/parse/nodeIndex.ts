import type { Node, Tree } from './language';

/**
 * Named nodes of a tree grouped by type, built in one walk and kept as long as the tree lives, so
 * that the rules of one diagnostics pass share a single walk.
 */
const cache = new WeakMap<Tree, Map<string, Node[]>>();

function indexOf(tree: Tree): Map<string, Node[]> {
  let index = cache.get(tree);
  if (index) return index;
  index = new Map();
  // Walk with the cursor and make Node objects only for named nodes: they are what costs.
  const cursor = tree.rootNode.walk();
  try {
    for (let descending = true; ;) {
      if (descending) {
        if (cursor.nodeIsNamed) {
          const type = cursor.nodeType;
          const list = index.get(type);
          if (list) list.push(cursor.currentNode);
          else index.set(type, [cursor.currentNode]);
        }
        if (cursor.gotoFirstChild()) continue;
      }
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descending = false;
    }
  } finally {
    cursor.delete();
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
