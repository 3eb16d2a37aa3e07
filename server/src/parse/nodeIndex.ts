import { FlatTree } from './flatTree';
import type { Node, Tree } from './language';

/**
 * Named nodes grouped by type, built in one walk and kept as long as the tree lives, so that the
 * rules of one diagnostics pass share a single walk.
 *
 * A pass may look at part of a file only (a window): one unit of a large file (its subtree), or
 * the header (everything but the units: the container's children are not entered).
 */
export type Window = { kind: 'unit'; node: Node; container: Node } | { kind: 'header'; container: Node };

/** What nodesIn reads: a document or a window of one. */
export interface Indexed {
  readonly tree: Tree;
  readonly window?: Window;
}

type Index = Map<string, Node[]>;

const whole = new WeakMap<Tree, Index>();
const windows = new WeakMap<Tree, Map<string, Index>>();
/** Per tree: the parent of every named node an index walk has seen, by node id. */
const parents = new WeakMap<Tree, Map<number, Node>>();
/** Per tree: parents noted on the way down to single nodes (notePath). */
const noted = new WeakMap<Tree, Map<number, Node>>();

/**
 * A node's parent. tree-sitter has no parent pointers: it finds a parent by searching down from
 * the root, which costs as much as the siblings on the way (10,000 in a package set) and made
 * every name lookup in a large file slow. The index walk notes each parent as it passes.
 */
export function parentOf(node: Node | null | undefined): Node | null {
  if (!node) return null;
  if (node.tree instanceof FlatTree) return node.parent;
  return parents.get(node.tree)?.get(node.id) ?? noted.get(node.tree)?.get(node.id) ?? node.parent;
}

/**
 * Note the parent of every node from the root down to `node`, in one descent by offset, so that
 * `parentOf` climbs from it cheaply. After error recovery one ERROR node can hold thousands of
 * children, and tree-sitter's search for a parent walks them again at every step of a climb.
 */
export function notePath(node: Node): void {
  const tree = node.tree;
  if (tree instanceof FlatTree || parents.has(tree)) return;
  let map = noted.get(tree);
  if (!map) noted.set(tree, (map = new Map()));
  let parent = tree.rootNode as Node & { firstChildForIndex?(index: number): Node | null };
  while (parent.id !== node.id) {
    const child = parent.firstChildForIndex?.(node.startIndex);
    if (!child || child.startIndex > node.startIndex || child.endIndex < node.endIndex) return;
    map.set(child.id, parent);
    parent = child;
  }
}

/**
 * How many enclosing nodes an analysis climbs from one node before it gives up with "unknown".
 * The deepest of 10,992 real files is 75 nodes deep; a machine-made or hostile file 50,000 deep
 * would otherwise make every name in it cost 50,000 steps (and some climbs recurse).
 */
export const MAX_CLIMB = 256;

/**
 * A climb at least this long is remembered for every node it passed (scope lookup, calledName),
 * so names deep in one chain share it; shorter ones, the whole of real code, are not worth a map
 * entry per node.
 */
export const REMEMBER_FROM = 16;

/** Does `parentOf` answer from an index walk for this tree (cheaply), rather than by tree-sitter's search from the root? */
export function hasParentIndex(tree: Tree): boolean {
  return tree instanceof FlatTree || parents.has(tree);
}

/**
 * Index the whole tree now, so that `parentOf` answers cheaply everywhere in it: for a climb that
 * would otherwise stop at MAX_CLIMB, whose answer must not depend on whether something else
 * happened to index the tree before.
 */
export function indexParents(tree: Tree): void {
  if (!hasParentIndex(tree)) indexOf({ tree });
}

/** The node with the parentheses around it, if any: `((x))` for x. */
export function withParens(node: Node): Node {
  let n = node;
  for (let p = parentOf(n), i = 0; p?.type === 'parenthesized_expression' && i < MAX_CLIMB; p = parentOf(p), i++) n = p;
  return n;
}

/** The parent of a node of the given type, or null. */
export function parentOfType(node: Node | null | undefined, type: string): Node | null {
  const p = parentOf(node);
  return p?.type === type ? p : null;
}

/**
 * Walk with the cursor from `root` and make Node objects only for named nodes: they are what
 * costs. With `skip`, the children of that node are not entered. Empty nodes (what error recovery
 * inserts as MISSING) are left out: they hold nothing to check, and asking tree-sitter for the
 * parent of an empty node in a deep tree overflows its stack.
 */
function build(root: Node, skip?: Node, above?: Node): Index {
  if (root.tree instanceof FlatTree) return buildFlat(root.tree, root.id, skip?.id);
  const index: Index = new Map();
  let known = parents.get(root.tree);
  if (!known) parents.set(root.tree, (known = new Map()));
  // the named nodes from the root down to the cursor; a parent is always a named node
  const path: Array<Node | undefined> = above ? [above] : [];
  const cursor = root.walk();
  try {
    for (let descending = true; ;) {
      if (descending) {
        let enter = true;
        let self: Node | undefined;
        if (cursor.nodeIsNamed) {
          self = cursor.currentNode;
          const parent = path[path.length - 1];
          if (parent) known.set(self.id, parent);
          if (cursor.endIndex > cursor.startIndex) {
            const list = index.get(self.type);
            if (list) list.push(self);
            else index.set(self.type, [self]);
          }
          enter = !skip || self.id !== skip.id;
        }
        if (enter && cursor.gotoFirstChild()) {
          // (an anonymous node with children would pass its named parent on)
          path.push(self ?? path[path.length - 1]);
          continue;
        }
      }
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      path.pop();
      descending = false;
    }
  } finally {
    cursor.delete();
  }
  return index;
}

/** The same over a flat tree: its nodes are in document order, each subtree a run of them. */
function buildFlat(tree: FlatTree, root: number, skip?: number): Index {
  const index: Index = new Map();
  const { start, end, after } = tree;
  for (let i = root, stop = after[root]; i < stop; i = i === skip ? after[i] : i + 1) {
    if (!tree.isNamed(i) || end[i] === start[i]) continue;
    const type = tree.typeName(i);
    const list = index.get(type);
    const node = tree.node(i);
    if (list) list.push(node);
    else index.set(type, [node]);
  }
  return index;
}

function indexOf(doc: Indexed): Index {
  const w = doc.window;
  if (!w) {
    let index = whole.get(doc.tree);
    if (!index) whole.set(doc.tree, (index = build(doc.tree.rootNode)));
    return index;
  }
  let byKey = windows.get(doc.tree);
  if (!byKey) windows.set(doc.tree, (byKey = new Map()));
  const key = windowKey(doc);
  let index = byKey.get(key);
  if (!index) byKey.set(key, (index = w.kind === 'unit' ? build(w.node, undefined, w.container) : build(doc.tree.rootNode, w.container)));
  return index;
}

/** The text a pass looks at: the unit's, the header's (all but the container), or the whole document's. */
export function windowText(doc: Indexed & { readonly text: string }): string {
  const w = doc.window;
  if (!w) return doc.text;
  if (w.kind === 'unit') return doc.text.slice(w.node.startIndex, w.node.endIndex);
  return doc.text.slice(0, w.container.startIndex) + doc.text.slice(w.container.endIndex);
}

/** Names the part of the tree a pass looks at: '' for the whole document. */
export function windowKey(doc: Indexed): string {
  const w = doc.window;
  return !w ? '' : w.kind === 'unit' ? `u${w.node.id}` : `h${w.container.id}`;
}

/** Named nodes of the given types in the document (or its window), in document order. */
export function nodesIn(doc: Indexed, ...types: string[]): Node[] {
  const index = indexOf(doc);
  if (types.length === 1) return index.get(types[0]) ?? [];
  return types.flatMap(t => index.get(t) ?? []).sort((a, b) => a.startIndex - b.startIndex);
}
