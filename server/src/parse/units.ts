import { FlatTree } from './flatTree';
import { namedChildIds, type Node, type Tree } from './language';

/**
 * A large file is mostly one long list of siblings: the packages of all-packages.nix, the crates
 * of a Cargo.nix. Those siblings are its units, and an edit inside one unit leaves the others (and
 * what is found in them) as they were. Everything outside the units is the header.
 *
 * Only siblings that cannot see each other qualify: the bindings of a plain (non-rec) attribute
 * set and the elements of a list. The bindings of `let` and `rec { }` refer to one another, so a
 * file whose big set is one of those has no units and is analysed whole.
 *
 * Comments between the siblings are not units: no rule finds anything in a comment, and a short
 * comment has no stable node id (tree-sitter keeps small leaves inside their parent, which is built
 * anew on every reparse), so a cache keyed by id would check every comment after every edit.
 */
export interface Units {
  /** The node whose named children (but comments) are the units: a binding_set or a list_expression. */
  readonly container: Node;
  /** How many units there are. */
  readonly count: number;
  /** Per unit, in order: its node's id (the same subtree keeps it from one parse to the next). */
  readonly ids: Int32Array;
  /** Per unit: where it starts. */
  readonly starts: Int32Array;
  /** The i-th unit's node, made when first asked for (making all 10,000 costs milliseconds). */
  node(i: number): Node;
}

/**
 * The units of another view of the same text (a flat copy of the tree) under the ids of `units`,
 * which it must list alike: a memo keyed by the ids of the document's own tree serves the copy too.
 */
export function unitsAlike(view: { readonly tree: Tree; readonly text: string }, units: Units, minUnits = MIN_UNITS): Units | undefined {
  const copied = unitsOf(view, minUnits);
  if (!copied || copied.count !== units.count || copied.starts.some((s, i) => s !== units.starts[i])) return undefined;
  return { ...copied, ids: units.ids };
}

/** Fewer units than this and the whole file is cheap enough. */
export const MIN_UNITS = 64;
/** How far down the spine the container may be. */
const MAX_SPINE = 64;

/** Per tree and minimum: its units (listing 10,000 children from tree-sitter takes milliseconds). */
const known = new WeakMap<Tree, Map<number, Units | undefined>>();

export function unitsOf(doc: { readonly tree: Tree; readonly text: string }, minUnits = MIN_UNITS): Units | undefined {
  let byMinimum = known.get(doc.tree);
  if (!byMinimum) known.set(doc.tree, (byMinimum = new Map()));
  if (!byMinimum.has(minUnits)) byMinimum.set(minUnits, findUnits(doc, minUnits));
  return byMinimum.get(minUnits);
}

function findUnits({ tree, text }: { tree: Tree; text: string }, minUnits: number): Units | undefined {
  let node: Node | null = tree.rootNode;
  for (let depth = 0; node && depth < MAX_SPINE; depth++) {
    const container = containerOf(node, minUnits);
    if (container) {
      return listUnits(container, text);
    }
    node = dominantChild(node);
  }
  return undefined;
}

/** The node's own list of independent siblings, if it is a plain set or a list. */
function containerOf(node: Node, minUnits: number): Node | undefined {
  if (node.type === 'list_expression') return node.namedChildCount >= minUnits ? node : undefined;
  if (node.type === 'attrset_expression') {
    const set = node.namedChildren.find(c => c?.type === 'binding_set');
    return set && set.namedChildCount >= minUnits ? set : undefined;
  }
  return undefined;
}

/** The named child that holds more than half of the node's text, if one does. */
function dominantChild(node: Node): Node | null {
  const size = node.endIndex - node.startIndex;
  for (const c of node.namedChildren) {
    if (c && 2 * (c.endIndex - c.startIndex) > size) return c;
  }
  return null;
}

function listUnits(container: Node, text: string): Units {
  const all = namedChildIds(container);
  // comments are told by their first character: asking tree-sitter for 10,000 types costs milliseconds
  const n = all.starts.length;
  const ids = new Int32Array(n);
  const starts = new Int32Array(n);
  /** Per unit: its index among the container's named children. */
  const kept = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    if (isComment(text, all.starts[k])) continue;
    ids[count] = all.ids[k];
    starts[count] = all.starts[k];
    kept[count++] = k;
  }
  const made = new Map<number, Node>();
  // a flat tree lists its children without cost; tree-sitter finds the child at an offset by
  // descending its balanced tree of repetitions (namedChild(k) steps over k children: 10 ms in
  // the middle of 111,000)
  const flat = container.tree instanceof FlatTree ? container.namedChildren : undefined;
  return {
    container,
    count,
    ids: ids.subarray(0, count),
    starts: starts.subarray(0, count),
    node(i) {
      let n = made.get(i);
      if (!n) {
        n = (flat ? flat[kept[i]] : childAt(container, starts[i], ids[i]) ?? container.namedChild(kept[i])) ?? undefined;
        if (!n) throw new Error(`unit ${i} of ${count} is gone`);
        made.set(i, n);
      }
      return n;
    },
  };
}

/**
 * The child of `container` with this start and id, found by offset (undefined: not that way).
 * tree-sitter finds it down its balanced tree of repetitions; web-tree-sitter 0.25's cursor method
 * for the same (gotoFirstChildForIndex) reads its index from the wrong place, the node's does not.
 */
function childAt(container: Node, start: number, id: number): Node | undefined {
  const child = (container as Node & { firstNamedChildForIndex?(index: number): Node | null }).firstNamedChildForIndex?.(start);
  return child?.id === id ? child : undefined;
}

/** Does a named child of a binding set or list that starts here start a comment (`#`, `/*`)? */
function isComment(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c === 35 || (c === 47 && text.charCodeAt(at + 1) === 42);
}
