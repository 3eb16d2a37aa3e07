import type { Cursor, Node } from './language';
import { MAX_CLIMB, parentOf } from './nodeIndex';

/** Small helpers over tree-sitter nodes, shared by the syntax checks and the features. */

/** Which nodes a walk makes and yields, and which it enters. */
export interface Walk {
  /** Its children are not entered. */
  skip?: Node;
  /**
   * Only the nodes it accepts (by the cursor's type and offsets) are made into Node objects and
   * yielded: making one costs more than the walk, and most nodes are punctuation, names and
   * string pieces nobody asked for.
   */
  wanted?: (cursor: Cursor) => boolean;
  /** Enter the current node's children? (All, when not given.) */
  enter?: (cursor: Cursor) => boolean;
}

/** Every node under `root` (itself included), in document order, as `walk` says. */
export function* descendants(root: Node, walk: Walk = {}): Generator<Node> {
  const { skip, wanted, enter } = walk;
  const cursor = root.walk();
  try {
    let descending = true;
    for (;;) {
      if (descending) {
        if (!wanted || wanted(cursor)) yield cursor.currentNode;
        const entered = (!skip || cursor.nodeId !== skip.id) && (!enter || enter(cursor));
        if (entered && cursor.gotoFirstChild()) continue;
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

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** Can `name` be written as a variable (or a bare attribute name)? */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name) && name !== 'or';
}

/** An attribute name as Nix text: bare where it can be, else a string (with `${` kept literal). */
export function attrLabel(name: string): string {
  return isIdentifier(name) ? name : JSON.stringify(name).replace(/\$\{/g, '\\${');
}

/** The identifier at `offset`, also when the cursor sits just after its last character. */
export function identifierAt(root: Node, offset: number): Node | undefined {
  for (const at of [offset, offset - 1]) {
    if (at < 0) continue;
    const n = root.descendantForIndex(at, at);
    if (n?.type === 'identifier') return n;
  }
  return undefined;
}
