import { Language, Parser, type Edit, type Tree as WebTree } from 'web-tree-sitter';
import { FlatTree, type CursorCalls, type GrammarTables } from './flatTree';
import type { Cursor, Node, Tree } from './syntaxTypes';

export type { Node, Tree, Cursor } from './syntaxTypes';

/**
 * web-tree-sitter's tree as the server uses it: our Node and Cursor over it, which it provides
 * (its types allow null among a node's children; tree-sitter never puts one there).
 */
export interface WasmTree extends Tree {
  copy(): WasmTree;
  edit(edit: Edit): void;
  walk(): Cursor;
}
const ours = (tree: WebTree): WasmTree => tree as unknown as WasmTree;
const theirs = (tree: WasmTree | undefined): WebTree | null => (tree as unknown as WebTree | undefined) ?? null;

/** Where the two .wasm files are: web-tree-sitter's runtime and our Nix grammar. */
export interface WasmPaths {
  runtime: string;
  grammar: string;
}

/** A stretch of text by offsets, [start, end). */
export interface Span {
  start: number;
  end: number;
}

/** A parser for Nix. One per server or CLI run; a Parser is not safe to share across awaits. */
export interface NixParser {
  /**
   * A tree that can be edited and re-parsed (the server's open documents). With `only`, the parse
   * reads those stretches of the text alone (sorted, not overlapping), as if the rest were not
   * there; offsets stay those of the whole text.
   */
  parse(text: string, oldTree?: WasmTree, only?: readonly Span[]): WasmTree;
  /**
   * The same parse as `parse(text, oldTree)`, done a slice at a time (see SlicedParse), on a
   * parser of its own: a large document is parsed between the messages about other documents.
   */
  parseInSlices(text: string, oldTree?: WasmTree): SlicedParse;
  /**
   * A read-only copy of the whole tree in plain arrays: faster to read, nothing to free. Parsed by
   * the native parser where it loaded (the same tree), else by web-tree-sitter.
   */
  parseFlat(text: string): FlatTree;
  /** Which parser `parseFlat` uses. */
  readonly flatBy: 'native' | 'wasm';
  /** The same copy of a tree this parser made from `text` (the tree stays the caller's). */
  copyFlat(tree: WasmTree, text: string): FlatTree;
}

/**
 * A parse in slices. `step(ms)` parses for about `ms` more and gives the tree once it is
 * complete (Infinity: to the end now). tree-sitter resumes a parse it stopped, but one parser
 * holds one stopped parse: a second SlicedParse started meanwhile takes the parser over, and
 * this one starts again from the beginning at its next step. The old tree stays the caller's
 * and must live until the tree is given or `cancel` is called.
 */
export interface SlicedParse {
  step(ms: number): WasmTree | undefined;
  cancel(): void;
}

/**
 * web-tree-sitter's runtime writes its wasm exports onto the options object the first init is given
 * (an Emscripten module); those raw cursor calls let FlatTree copy a tree without the per-node glue.
 */
let runtime: Record<string, unknown> | undefined;
let transferBuffer: number | undefined;

/**
 * The ids and start offsets of a node's named children, without making a Node object for each:
 * web-tree-sitter takes milliseconds to make the 10,000 children of a package set, and an edit
 * needs a handful. Reads the list tree-sitter writes for `namedChildren` straight from wasm
 * memory (test/unit/units.test.ts checks it against namedChildren).
 */
export function namedChildIds(node: Node): { ids: Int32Array; starts: Int32Array } {
  const m = runtime;
  const raw = node as unknown as { id: number; startIndex: number; startPosition: { row: number; column: number }; 0: number; tree: { 0: number } };
  if (node.tree instanceof FlatTree || !m || transferBuffer === undefined || typeof m._ts_node_named_children_wasm !== 'function') {
    const children = node.namedChildren.filter((c): c is Node => !!c);
    return { ids: Int32Array.from(children, c => c.id), starts: Int32Array.from(children, c => c.startIndex) };
  }
  const heap = () => m.HEAP32 as Int32Array;
  const at = transferBuffer >> 2;
  // a node in the transfer buffer: id, start index, start row and column, and its context word
  heap().set([raw.id, raw.startIndex, raw.startPosition.row, raw.startPosition.column, raw[0]], at);
  (m._ts_node_named_children_wasm as (tree: number) => void)(raw.tree[0]);
  const count = heap()[at];
  const ids = new Int32Array(count);
  const starts = new Int32Array(count);
  if (count > 0) {
    const list = heap()[at + 1] >> 2;
    const h = heap();
    for (let i = 0; i < count; i++) {
      ids[i] = h[list + 5 * i];
      starts[i] = h[list + 5 * i + 1];
    }
    (m._free as (address: number) => void)(list << 2);
  }
  return { ids, starts };
}

function cursorCalls(m: Record<string, unknown>): CursorCalls {
  const fn = (name: string) => {
    const f = m[`_ts_tree_cursor_${name}_wasm`];
    if (typeof f !== 'function') throw new Error(`web-tree-sitter lacks ts_tree_cursor_${name}: the flat tree cannot be copied`);
    return f as (tree: number) => number;
  };
  return {
    first: fn('goto_first_child'), next: fn('goto_next_sibling'), up: fn('goto_parent'),
    type: fn('current_node_type_id'), field: fn('current_field_id'),
    start: fn('start_index'), end: fn('end_index'), missing: fn('current_node_is_missing'),
  };
}

type Address = { [slot: number]: number };

/**
 * A fault inside web-tree-sitter's wasm (out-of-bounds access, unreachable code): the parser or
 * the tree it touched is in an unknown state, but the module and every other tree still work.
 */
export function isWasmFault(e: unknown): boolean {
  return e instanceof WasmRuntimeError;
}
/** WebAssembly.RuntimeError (our compile settings leave out the WebAssembly types). */
const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new () => Error } }).WebAssembly.RuntimeError;

/**
 * `onFault` hears of a wasm fault while parsing: the parser is replaced by a new one and the text
 * parsed again from scratch, so one bad parse costs that parse, not the server.
 */
export async function loadNixParser(paths: WasmPaths, onFault?: (message: string) => void, native?: (text: string) => FlatTree): Promise<NixParser> {
  if (!runtime) {
    const options: Record<string, unknown> = { locateFile: () => paths.runtime };
    await Parser.init(options);
    runtime = options;
  }
  const m = runtime;
  // the transfer buffer's address (ts_init only reports it again)
  transferBuffer ??= (m._ts_init as () => number)();
  const language = await Language.load(paths.grammar);
  const newParser = () => new Parser().setLanguage(language);
  let parser = newParser();
  const calls = cursorCalls(m);
  const setValue = m.setValue as (address: number, value: number, type: string) => void;
  const getValue = m.getValue as (address: number, type: string) => number;
  const transfer = transferBuffer;
  const grammar: GrammarTables = {
    types: language.types,
    fields: language.fields,
    named: language.types.map((_, id) => language.nodeTypeIsNamed(id)),
  };
  const parseWith = (text: string, oldTree: WasmTree | undefined, only: readonly Span[] | undefined): WasmTree => {
    const includedRanges = only && rangesOf(text, only);
    const tree = parser.parse(text, theirs(oldTree), includedRanges ? { includedRanges } : undefined);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return ours(tree);
  };
  const parse = (text: string, oldTree?: WasmTree, only?: readonly Span[]): WasmTree => {
    try {
      return parseWith(text, oldTree, only);
    } catch (e) {
      if (!isWasmFault(e)) throw e;
      onFault?.(`tree-sitter faulted while parsing (${(e as Error).message}): parsing again from scratch with a new parser`);
      try {
        parser.delete();
      } catch {
        // the faulted parser may not free cleanly; a new one does not need it
      }
      parser = newParser();
      return parseWith(text, undefined, only);
    }
  };
  // the parser for parses in slices, and the one whose stopped parse it holds
  let sliced: Parser | undefined;
  let holder: object | undefined;
  const parseInSlices = (text: string, oldTree?: WasmTree): SlicedParse => {
    const job = {};
    return {
      step(ms) {
        if (holder !== job) {
          // start (again): whatever parse the parser held stopped belongs to another job
          sliced?.reset();
          holder = job;
        }
        const own = (sliced ??= newParser());
        const until = performance.now() + ms;
        let tree: WebTree | null;
        try {
          tree = own.parse(text, theirs(oldTree), ms === Infinity ? undefined : { progressCallback: () => performance.now() > until });
        } catch (e) {
          if (!isWasmFault(e)) throw e;
          // the sliced parser is dropped; the whole parse is done now, with the usual recovery
          sliced = undefined;
          holder = undefined;
          return parse(text, oldTree);
        }
        if (!tree) return undefined;
        holder = undefined;
        return ours(tree);
      },
      cancel() {
        if (holder !== job) return;
        sliced?.reset();
        holder = undefined;
      },
    };
  };
  // one copy per tree (the document's check and the workspace's second reading both want one)
  const copies = new WeakMap<WasmTree, FlatTree>();
  const copyFlat = (tree: WasmTree, text: string): FlatTree => {
    const known = copies.get(tree);
    if (known?.text === text) return known;
    const flat = copyTree(tree, text);
    copies.set(tree, flat);
    return flat;
  };
  const copyTree = (tree: WasmTree, text: string): FlatTree => {
    const cursor = tree.walk();
    try {
      // the raw calls read and write the cursor in the transfer buffer
      const c = cursor as unknown as Address;
      for (let i = 0; i < 4; i++) setValue(transfer + 4 * i, c[i], 'i32');
      const flat = FlatTree.copy(text, grammar, calls, (tree as unknown as Address)[0]);
      // the walk may have grown the cursor's stack: take its state back before freeing it
      for (let i = 0; i < 4; i++) c[i] = getValue(transfer + 4 * i, 'i32');
      return flat;
    } finally {
      cursor.delete();
    }
  };
  return {
    parse,
    parseInSlices,
    copyFlat,
    flatBy: native ? 'native' : 'wasm',
    parseFlat(text) {
      if (native) return native(text);
      const tree = parse(text);
      try {
        return copyTree(tree, text);
      } finally {
        tree.delete();
      }
    },
  };
}

type Point = { row: number; column: number };

/**
 * tree-sitter's points of offsets asked for in increasing order, in one pass over the text: rows
 * split at "\n" only; columns count UTF-16 units in web-tree-sitter.
 */
function pointsIn(text: string): (offset: number) => Point {
  let row = 0;
  let lineStart = 0;
  let next = text.indexOf('\n');
  return offset => {
    for (; next !== -1 && next < offset; next = text.indexOf('\n', next + 1)) {
      row++;
      lineStart = next + 1;
    }
    return { row, column: offset - lineStart };
  };
}

export function pointAt(text: string, offset: number): Point {
  return pointsIn(text)(offset);
}

/** tree-sitter's ranges for sorted spans. */
function rangesOf(text: string, spans: readonly Span[]): Array<{ startIndex: number; endIndex: number; startPosition: Point; endPosition: Point }> {
  const point = pointsIn(text);
  return spans.map(s => ({ startIndex: s.start, endIndex: s.end, startPosition: point(s.start), endPosition: point(s.end) }));
}

/** Does `after` fail to parse where `before` parsed? (A fix or a formatter must never break a file.) */
export function breaksParse(parser: NixParser, before: string, after: string): boolean {
  const old = parser.parse(before);
  const fixed = parser.parse(after);
  try {
    return !old.rootNode.hasError && fixed.rootNode.hasError;
  } finally {
    old.delete();
    fixed.delete();
  }
}
