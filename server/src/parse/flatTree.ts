import type { Cursor, Node, Tree } from './syntaxTypes';

/**
 * A whole tree copied out of tree-sitter into typed arrays in one cursor walk, for passes that read
 * every node once and never edit (the CLI, a file opened or changed as a whole).
 *
 * web-tree-sitter answers every question about a node (its type, its parent, a child by field)
 * with a call into wasm plus a copy of the node through a transfer buffer, and finds a parent by
 * searching down from the root. Over a 0.8 MB file that glue cost more than parsing. Here each
 * answer is an array read; the wasm tree can be freed as soon as the copy is made.
 */

/** The raw functions of web-tree-sitter's wasm module that the copy needs. */
export interface CursorCalls {
  first(tree: number): number;
  next(tree: number): number;
  up(tree: number): number;
  type(tree: number): number;
  field(tree: number): number;
  start(tree: number): number;
  end(tree: number): number;
  missing(tree: number): number;
}

/** What the copy needs to know about the grammar. */
export interface GrammarTables {
  readonly types: readonly string[];
  readonly fields: readonly (string | null)[];
  readonly named: readonly boolean[];
}

const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;
/** tree-sitter's symbol for ERROR nodes. */
const ERROR = 0xffff;

function grow<T extends Int32Array | Uint16Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

export class FlatTree implements Tree {
  readonly size: number;
  private readonly nodes: Array<FlatNode | undefined>;
  constructor(
    readonly text: string,
    readonly grammar: GrammarTables,
    readonly typeOf: Uint16Array,
    readonly fieldOf: Uint16Array,
    readonly flags: Uint8Array,
    readonly start: Int32Array,
    readonly end: Int32Array,
    readonly parent: Int32Array,
    /** One past the last node of each node's subtree (nodes are in document order). */
    readonly after: Int32Array,
    /** Each node's previous sibling, or -1. */
    readonly prev: Int32Array,
    size: number,
  ) {
    this.size = size;
    this.nodes = new Array(size);
  }

  /** Copy the tree under the cursor state that `prime` leaves in tree-sitter's transfer buffer. */
  static copy(text: string, grammar: GrammarTables, calls: CursorCalls, tree: number): FlatTree {
    let cap = Math.max(64, text.length >> 2);
    let typeOf = new Uint16Array(cap), fieldOf = new Uint16Array(cap), flags = new Uint8Array(cap);
    let start = new Int32Array(cap), end = new Int32Array(cap), parent = new Int32Array(cap), after = new Int32Array(cap);
    let prev = new Int32Array(cap), last = new Int32Array(cap);
    let n = 0;
    let current = -1;
    // the root reaches the end of the text (trailing blanks included), past its last child
    const rootStart = calls.start(tree);
    const rootEnd = calls.end(tree);
    for (let descending = true; ;) {
      if (descending) {
        if (n === cap) {
          cap *= 2;
          typeOf = grow(typeOf, cap); fieldOf = grow(fieldOf, cap); flags = grow(flags, cap);
          start = grow(start, cap); end = grow(end, cap); parent = grow(parent, cap); after = grow(after, cap);
          prev = grow(prev, cap); last = grow(last, cap);
        }
        const me = n++;
        const type = calls.type(tree);
        typeOf[me] = type;
        fieldOf[me] = calls.field(tree);
        parent[me] = current;
        last[me] = -1;
        if (current >= 0) {
          prev[me] = last[current];
          last[current] = me;
        } else prev[me] = -1;
        let f = type === ERROR || grammar.named[type] ? NAMED : 0;
        if (calls.first(tree)) {
          // (an ERROR leaf, one unexpected character, counts as no error in tree-sitter's hasError)
          if (type === ERROR) f |= HAS_ERROR;
          flags[me] = f;
          current = me;
          continue;
        }
        // a leaf: its own extent; a parent's is read off its children on the way up
        start[me] = calls.start(tree);
        end[me] = calls.end(tree);
        if (start[me] === end[me] && calls.missing(tree)) f |= MISSING | HAS_ERROR;
        flags[me] = f;
        after[me] = n;
        if (f & HAS_ERROR && current >= 0) flags[current] |= HAS_ERROR;
      }
      if (calls.next(tree)) {
        descending = true;
        continue;
      }
      if (!calls.up(tree)) break;
      // leaving `current`: all its children are done
      const done = current;
      start[done] = start[done + 1];
      end[done] = end[last[done]];
      after[done] = n;
      current = parent[done];
      if (flags[done] & HAS_ERROR && current >= 0) flags[current] |= HAS_ERROR;
      descending = false;
    }
    start[0] = rootStart;
    end[0] = rootEnd;
    // give back what the arrays were grown by beyond the nodes
    const fit = <T extends Int32Array | Uint16Array | Uint8Array>(a: T): T => (cap > n + (n >> 3) ? (a.slice(0, n) as T) : a);
    return new FlatTree(text, grammar, fit(typeOf), fit(fieldOf), fit(flags), fit(start), fit(end), fit(parent), fit(after), fit(prev), n);
  }

  typeName(i: number): string {
    const t = this.typeOf[i];
    return t === ERROR ? 'ERROR' : this.grammar.types[t];
  }

  isNamed(i: number): boolean {
    return (this.flags[i] & NAMED) !== 0;
  }

  get rootNode(): FlatNode {
    return this.node(0);
  }

  node(i: number): FlatNode {
    return (this.nodes[i] ??= new FlatNode(this, i));
  }

  /** The bytes its arrays take. */
  get bytes(): number {
    return this.size * 29;
  }

  /**
   * The same tree without the Node objects made so far, nor anything kept per tree (indexes,
   * scopes): what a second pass over a file needs, at the memory cost of the arrays alone.
   */
  reopen(): FlatTree {
    const { text, grammar, typeOf, fieldOf, flags, start, end, parent, after, prev, size } = this;
    return new FlatTree(text, grammar, typeOf, fieldOf, flags, start, end, parent, after, prev, size);
  }

  /** Does `other` hold the same nodes, in the same places? */
  sameAs(other: FlatTree): boolean {
    if (this.size !== other.size || this.text !== other.text) return false;
    const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      for (let i = 0; i < this.size; i++) if (a[i] !== b[i]) return false;
      return true;
    };
    return same(this.typeOf, other.typeOf) && same(this.fieldOf, other.fieldOf) && same(this.flags, other.flags)
      && same(this.start, other.start) && same(this.end, other.end) && same(this.parent, other.parent);
  }

  /** Nothing to free: the arrays are ordinary memory. */
  delete(): void {}
}

export class FlatNode implements Node {
  constructor(readonly tree: FlatTree, readonly id: number) {}

  get type(): string {
    return this.tree.typeName(this.id);
  }
  get startIndex(): number {
    return this.tree.start[this.id];
  }
  get endIndex(): number {
    return this.tree.end[this.id];
  }
  get text(): string {
    return this.tree.text.slice(this.tree.start[this.id], this.tree.end[this.id]);
  }
  get isNamed(): boolean {
    return (this.tree.flags[this.id] & NAMED) !== 0;
  }
  get isMissing(): boolean {
    return (this.tree.flags[this.id] & MISSING) !== 0;
  }
  get hasError(): boolean {
    return (this.tree.flags[this.id] & HAS_ERROR) !== 0;
  }
  get isError(): boolean {
    return this.tree.typeOf[this.id] === ERROR;
  }
  get parent(): FlatNode | null {
    const p = this.tree.parent[this.id];
    return p < 0 ? null : this.tree.node(p);
  }

  /** Indices of the children, in order. */
  private childIds(): number[] {
    const { after } = this.tree;
    const ids: number[] = [];
    for (let c = this.id + 1, stop = after[this.id]; c < stop; c = after[c]) ids.push(c);
    return ids;
  }
  get children(): FlatNode[] {
    return this.childIds().map(i => this.tree.node(i));
  }
  get namedChildren(): FlatNode[] {
    const { flags } = this.tree;
    return this.childIds().filter(i => flags[i] & NAMED).map(i => this.tree.node(i));
  }
  get childCount(): number {
    return this.childIds().length;
  }
  get namedChildCount(): number {
    return this.namedChildren.length;
  }
  child(index: number): FlatNode | null {
    const id = this.childIds()[index];
    return id === undefined ? null : this.tree.node(id);
  }
  namedChild(index: number): FlatNode | null {
    return this.namedChildren[index] ?? null;
  }
  get lastChild(): FlatNode | null {
    return this.child(this.childCount - 1);
  }
  get lastNamedChild(): FlatNode | null {
    const named = this.namedChildren;
    return named[named.length - 1] ?? null;
  }
  get firstChild(): FlatNode | null {
    return this.child(0);
  }

  /** The field's id, or 0 when this node has no such field (an ERROR node has none, as in tree-sitter). */
  private fieldId(name: string): number {
    return this.tree.typeOf[this.id] === ERROR ? 0 : this.tree.grammar.fields.indexOf(name);
  }

  childForFieldName(name: string): FlatNode | null {
    const field = this.fieldId(name);
    if (field <= 0) return null;
    const { after, fieldOf } = this.tree;
    for (let c = this.id + 1, stop = after[this.id]; c < stop; c = after[c]) if (fieldOf[c] === field) return this.tree.node(c);
    return null;
  }
  childrenForFieldName(name: string): FlatNode[] {
    const field = this.fieldId(name);
    if (field <= 0) return [];
    const { fieldOf } = this.tree;
    return this.childIds().filter(c => fieldOf[c] === field).map(c => this.tree.node(c));
  }

  private previous(named: boolean): FlatNode | null {
    const t = this.tree;
    for (let i = t.prev[this.id]; i >= 0; i = t.prev[i]) if (!named || t.flags[i] & NAMED) return t.node(i);
    return null;
  }
  get previousSibling(): FlatNode | null {
    return this.previous(false);
  }
  get previousNamedSibling(): FlatNode | null {
    return this.previous(true);
  }

  /** The smallest node that holds [start, end], by tree-sitter's rules (an empty node may touch the range's start). */
  descendantForIndex(rangeStart: number, rangeEnd = rangeStart): FlatNode | null {
    if (rangeStart > rangeEnd) return null;
    const t = this.tree;
    let node = this.id;
    for (let descended = true; descended;) {
      descended = false;
      for (let c = node + 1, stop = t.after[node]; c < stop; c = t.after[c]) {
        const e = t.end[c];
        if (e < rangeEnd) continue;
        const empty = t.start[c] === e;
        if (empty ? e < rangeStart : e <= rangeStart) continue;
        if (rangeStart < t.start[c]) break;
        node = c;
        descended = true;
        break;
      }
    }
    return t.node(node);
  }

  walk(): FlatCursor {
    return new FlatCursor(this.tree, this.id);
  }
}

/** tree-sitter's TreeCursor over a flat tree: stays within the node it started from. */
export class FlatCursor implements Cursor {
  private at: number;
  constructor(private readonly tree: FlatTree, private readonly root: number) {
    this.at = root;
  }
  get currentNode(): FlatNode {
    return this.tree.node(this.at);
  }
  get nodeType(): string {
    return this.tree.typeName(this.at);
  }
  get nodeId(): number {
    return this.at;
  }
  get nodeIsNamed(): boolean {
    return (this.tree.flags[this.at] & NAMED) !== 0;
  }
  get nodeIsMissing(): boolean {
    return (this.tree.flags[this.at] & MISSING) !== 0;
  }
  get startIndex(): number {
    return this.tree.start[this.at];
  }
  get endIndex(): number {
    return this.tree.end[this.at];
  }
  gotoFirstChild(): boolean {
    if (this.tree.after[this.at] === this.at + 1) return false;
    this.at++;
    return true;
  }
  gotoNextSibling(): boolean {
    if (this.at === this.root) return false;
    const next = this.tree.after[this.at];
    if (next >= this.tree.after[this.tree.parent[this.at]]) return false;
    this.at = next;
    return true;
  }
  gotoParent(): boolean {
    if (this.at === this.root) return false;
    this.at = this.tree.parent[this.at];
    return true;
  }
  delete(): void {}
}
