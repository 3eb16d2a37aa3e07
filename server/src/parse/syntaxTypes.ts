/**
 * The part of a syntax tree the analysis reads. Two trees provide it: web-tree-sitter's own (kept
 * by the server, edited and re-parsed incrementally) and FlatTree (a copy in typed arrays, for
 * reading a whole file once). Analysis and rules see only these interfaces.
 */
export interface Node {
  readonly id: number;
  readonly tree: Tree;
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly isError: boolean;
  readonly hasError: boolean;
  readonly parent: Node | null;
  readonly children: Node[];
  readonly namedChildren: Node[];
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly firstChild: Node | null;
  readonly lastChild: Node | null;
  readonly lastNamedChild: Node | null;
  readonly previousSibling: Node | null;
  readonly previousNamedSibling: Node | null;
  child(index: number): Node | null;
  namedChild(index: number): Node | null;
  childForFieldName(name: string): Node | null;
  childrenForFieldName(name: string): Node[];
  descendantForIndex(start: number, end?: number): Node | null;
  walk(): Cursor;
}

export interface Tree {
  readonly rootNode: Node;
  delete(): void;
}

export interface Cursor {
  readonly currentNode: Node;
  readonly nodeType: string;
  /** The current node's id (Node.id), without making the node. */
  readonly nodeId: number;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}
