import type { Cursor, Node } from './language';
import { MAX_CLIMB, parentOf } from './nodeIndex';

/** Small helpers over tree-sitter nodes, shared by the syntax checks and the features. */

/**
 * Every node under `root` (itself included), in document order; the children of `skip` are not
 * entered. With `wanted`, only the nodes it accepts (by the cursor's type and offsets) are made
 * into Node objects and yielded: making one costs more than the walk, and most nodes are
 * punctuation, names and string pieces nobody asked for.
 */
export function* descendants(root: Node, skip?: Node, wanted?: (cursor: Cursor) => boolean): Generator<Node> {
  const cursor = root.walk();
  try {
    let descending = true;
    for (;;) {
      if (descending) {
        if (!wanted || wanted(cursor)) {
          const node = cursor.currentNode;
          yield node;
          if ((!skip || node.id !== skip.id) && cursor.gotoFirstChild()) continue;
        } else if ((!skip || cursor.nodeId !== skip.id) && cursor.gotoFirstChild()) {
          continue;
        }
      }
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) return;
      descending = false;
    }
  } finally {
    cursor.delete();
  }
}

/** Unwrap `( e )`: Nix's parser drops parentheses, so `a = ({ });` binds an attribute set. */
export function unparenthesize(node: Node | null): Node | null {
  let n = node;
  while (n && n.type === 'parenthesized_expression') n = n.childForFieldName('expression');
  return n;
}

export function lastLeaf(node: Node): Node {
  let n = node;
  while (n.childCount > 0) n = n.child(n.childCount - 1)!;
  return n;
}

/** The last non-empty, non-comment leaf before `node` in document order, if any. */
export function leafBefore(node: Node): Node | null {
  for (let n: Node | null = node, i = 0; n && i < MAX_CLIMB; n = parentOf(n), i++) {
    for (let s = n.previousSibling; s; s = s.previousSibling) {
      if (s.type === 'comment' || s.endIndex === s.startIndex) continue;
      return lastLeaf(s);
    }
  }
  return null;
}

export function firstLeaf(node: Node): Node {
  let n = node;
  while (n.childCount > 0) {
    const first = n.children.find(c => !!c && c.type !== 'comment' && c.endIndex > c.startIndex);
    if (!first) break;
    n = first;
  }
  return n;
}

export const KEYWORDS = new Set(['if', 'then', 'else', 'let', 'in', 'inherit', 'rec', 'with', 'assert']);

/** The identifier at `offset`, also when the cursor sits just after its last character. */
export function identifierAt(root: Node, offset: number): Node | undefined {
  for (const at of [offset, offset - 1]) {
    if (at < 0) continue;
    const n = root.descendantForIndex(at, at);
    if (n?.type === 'identifier') return n;
  }
  return undefined;
}
