import { LineIndex, type Range } from './lineIndex';
import type { FlatTree } from './flatTree';
import { isWasmFault, pointAt, type NixParser, type SlicedParse, type Span, type Tree, type WasmTree } from './language';
import type { Window } from './nodeIndex';

/**
 * One document: its text and the tree parsed from exactly that text. An open document keeps
 * tree-sitter's own tree (an EditableDocument), which edits re-parse incrementally.
 */
export interface NixDocument<T extends Tree = Tree> {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  readonly tree: T;
  readonly lines: LineIndex;
  /** Set on a view of the document that looks at one part of it (see nodeIndex). */
  readonly window?: Window;
}

export type EditableDocument = NixDocument<WasmTree>;

/** A change as the editor sends it: a range in the old text, or no range to replace all. */
export interface TextChange {
  range?: Range;
  text: string;
}

export function createDocument(parser: NixParser, uri: string, version: number, text: string): EditableDocument {
  return { uri, version, text, tree: parser.parse(text), lines: new LineIndex(text) };
}

/**
 * A view of the document that looks at one part of it. Built field by field: `{ ...doc }` would
 * miss the tree of a PendingDocument, which is a getter.
 */
export function withWindow<T extends Tree>(doc: NixDocument<T>, window: Window): NixDocument<T> {
  return { uri: doc.uri, version: doc.version, text: doc.text, tree: doc.tree, lines: doc.lines, window };
}

/** A document read once as a whole (the CLI, a file that is not open): a flat copy of its tree. */
export function readDocument(parser: NixParser, uri: string, text: string): NixDocument<FlatTree> {
  return flatDocument(uri, parser.parseFlat(text));
}

/**
 * The same document over a flat copy of its tree-sitter tree (`copyFlat`: NixParser.copyFlat),
 * keeping its version and line index: a whole-file pass reads the copy several times faster.
 */
export function flatView(doc: NixDocument, copyFlat: (tree: WasmTree, text: string) => FlatTree): NixDocument<FlatTree> {
  return { uri: doc.uri, version: doc.version, text: doc.text, tree: copyFlat(doc.tree as WasmTree, doc.text), lines: doc.lines };
}

/** A document over a flat tree parsed before (the CLI's second pass). */
export function flatDocument(uri: string, tree: FlatTree): NixDocument<FlatTree> {
  return { uri, version: 0, text: tree.text, tree, lines: new LineIndex(tree.text) };
}

/**
 * Apply the editor's changes in order. Each ranged change edits the old tree along with the text,
 * and one parse at the end reuses what did not change. The old document is left untouched (its
 * tree is copied); the caller frees it with `tree.delete()` when nobody needs it any more.
 *
 * tree-sitter's error recovery can build a different tree for the same broken text depending on
 * the tree it starts from, so text with a syntax error (before or after the edit) is parsed from
 * scratch: every answer about a document is the one a fresh parse gives.
 */
export function applyChanges(parser: NixParser, doc: EditableDocument, version: number, changes: TextChange[]): EditableDocument {
  const edited = editAll(doc.text, doc.lines, doc.tree.rootNode.hasError ? undefined : doc.tree.copy(), changes);
  return { uri: doc.uri, version, text: edited.text, tree: reparse(parser, edited.text, edited.tree), lines: edited.lines };
}

/** The changes applied in order to the text, its line index and (when given) the tree edited along. */
function editAll(text: string, lines: LineIndex, tree: WasmTree | undefined, changes: readonly TextChange[]): { text: string; lines: LineIndex; tree: WasmTree | undefined } {
  for (const change of changes) {
    if (!change.range) {
      tree?.delete();
      tree = undefined;
      text = change.text;
      lines = new LineIndex(text);
      continue;
    }
    const start = lines.offsetAt(change.range.start);
    const oldEnd = Math.max(start, lines.offsetAt(change.range.end));
    text = replace(tree, text, start, oldEnd, change.text);
    lines = lines.edited(text, start, oldEnd, start + change.text.length);
  }
  return { text, lines, tree };
}

/**
 * An open document whose tree is parsed when something first reads it. Edits that arrive faster
 * than anything reads the tree go on editing the same unparsed tree, and one parse serves them
 * all: typing into a 1.4 MB file with a syntax error (a parse from scratch, 0.25 s each) no
 * longer queues a parse per keystroke in front of every request.
 *
 * Every edit re-parses the previous tree, also when the text is broken (most keystrokes mid-word
 * leave it so for a moment): milliseconds instead of a parse from scratch. tree-sitter's error
 * recovery can end differently from a parse from scratch then, so such a tree is `provisional`
 * until `verify` (once typing pauses) has compared it with one.
 */
export class PendingDocument implements EditableDocument {
  private parsed: WasmTree | undefined;
  /** The parsed tree has a syntax error and did not come from one parse from scratch. */
  private unverified = false;
  /** The previous tree, edited along with the text and not parsed yet; undefined: parse from scratch. */
  private base: WasmTree | undefined;
  /** A parse under way a slice at a time (see advance). */
  private slices: SlicedParse | undefined;

  private constructor(
    private readonly parser: NixParser,
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    readonly lines: LineIndex,
    base: WasmTree | undefined,
  ) {
    this.base = base;
  }

  static open(parser: NixParser, uri: string, version: number, text: string): PendingDocument {
    return new PendingDocument(parser, uri, version, text, new LineIndex(text), undefined);
  }

  /**
   * The next version of `doc`. When `doc` was never parsed its edited tree is taken over (and
   * `doc`, if read after all, parses its own text from scratch).
   */
  static after(parser: NixParser, doc: EditableDocument, version: number, changes: TextChange[]): PendingDocument {
    let base: WasmTree | undefined;
    let edited: ReturnType<typeof editAll>;
    try {
      if (doc instanceof PendingDocument && !doc.parsed) {
        // a parse of the old text under way is of no use now; its old tree is edited on
        doc.slices?.cancel();
        doc.slices = undefined;
        base = doc.base;
        doc.base = undefined;
      } else {
        base = doc.tree.copy();
      }
      edited = editAll(doc.text, doc.lines, base, changes);
    } catch (e) {
      if (!isWasmFault(e)) throw e;
      // the old tree is not to be trusted: the text alone, parsed from scratch when read
      freeQuietly(base);
      edited = editAll(doc.text, doc.lines, undefined, changes);
    }
    return new PendingDocument(parser, doc.uri, version, edited.text, edited.lines, edited.tree);
  }

  /** The same version parsed afresh when read (after a wasm fault in this document's trees). */
  renewed(): PendingDocument {
    return new PendingDocument(this.parser, this.uri, this.version, this.text, this.lines, undefined);
  }

  get tree(): WasmTree {
    if (!this.parsed) {
      if (this.slices) {
        // asked for before the slices are done: the rest of the parse now
        while (!this.advance(Infinity));
      } else {
        const base = this.base;
        this.parsed = this.parser.parse(this.text, base);
        this.unverified = base !== undefined && this.parsed.rootNode.hasError;
        this.base = undefined;
        freeQuietly(base);
      }
    }
    return this.parsed!;
  }

  /** Is the tree one that a parse from scratch might not give (see verify)? False until parsed. */
  get provisional(): boolean {
    return this.parsed !== undefined && this.unverified;
  }

  /**
   * Parse the text from scratch, in one go as createDocument does, and compare: the same tree
   * makes this one final (undefined); a different one comes back as the same version with the
   * fresh tree, which replaces this document (its trees are the caller's to free).
   */
  verify(): PendingDocument | undefined {
    if (!this.provisional) return undefined;
    const fresh = this.parser.parse(this.text);
    if (sameTree(this.parser, this.parsed!, fresh, this.text)) {
      freeQuietly(fresh);
      this.unverified = false;
      return undefined;
    }
    const doc = new PendingDocument(this.parser, this.uri, this.version, this.text, this.lines, undefined);
    doc.parsed = fresh;
    return doc;
  }

  /** Will the parse re-use the previous version's tree (much faster than a parse from scratch)? */
  get reusesTree(): boolean {
    return this.base !== undefined;
  }

  /** Does the previous version's tree, which the parse re-uses, have a syntax error? */
  get followsBroken(): boolean {
    return this.base?.rootNode.hasError ?? false;
  }

  /** Is the tree parsed (reading it costs nothing)? */
  get ready(): boolean {
    return this.parsed !== undefined;
  }

  /**
   * Parse for about `ms` more; true once the tree is ready. A large document is parsed this way
   * between messages, so its parse does not hold up the requests about other documents.
   */
  advance(ms: number): boolean {
    if (this.parsed) return true;
    this.slices ??= this.parser.parseInSlices(this.text, this.base);
    const tree = this.slices.step(ms);
    if (!tree) return false;
    this.slices = undefined;
    freeQuietly(this.base);
    this.base = undefined;
    // tree-sitter's error recovery can end differently in a parse that stopped and resumed (it
    // takes its stack versions in another order): with a syntax error the tree is provisional
    this.parsed = tree;
    this.unverified = tree.rootNode.hasError;
    return true;
  }

  /** Free the trees it holds. Read again afterwards, it parses anew (nothing reads a freed tree). */
  dispose(): void {
    this.slices?.cancel();
    this.slices = undefined;
    freeQuietly(this.parsed);
    freeQuietly(this.base);
    this.parsed = undefined;
    this.base = undefined;
  }
}

/** Free a tree; one that faulted may fail to free, and is dropped all the same. */
function freeQuietly(tree: WasmTree | undefined): void {
  try {
    tree?.delete();
  } catch (e) {
    if (!isWasmFault(e)) throw e;
  }
}

/**
 * The document's text with [start, end) replaced by `insert`, and its tree: parsed from an edited
 * copy of the document's tree (a large file reparses in milliseconds). With `only` (spans of the
 * document's text, one of them holding [start, end)), just those spans of the patched text are
 * parsed: a tree of the part that matters, in well under a millisecond. The caller deletes the
 * tree.
 */
export function parsePatched(parser: NixParser, doc: EditableDocument, start: number, end: number, insert: string, only?: readonly Span[]): { text: string; tree: WasmTree } {
  if (only) {
    const text = doc.text.slice(0, start) + insert + doc.text.slice(end);
    // no span edge lies inside [start, end): the edges up to `start` stay, the others move
    const at = (p: number) => (p <= start ? p : p + insert.length - (end - start));
    return { text, tree: parser.parse(text, undefined, only.map(s => ({ start: at(s.start), end: at(s.end) }))) };
  }
  // re-parsed from the document's tree also where the text is broken: what the answer needs is
  // the part around the cursor, and a parse from scratch of a large file would cost every keystroke
  const tree = doc.tree.copy();
  const text = replace(tree, doc.text, start, end, insert);
  const patched = parser.parse(text, tree);
  tree.delete();
  return { text, tree: patched };
}

/** `text` with [start, oldEnd) replaced; `tree` (if any) is edited to match. */
function replace(tree: WasmTree | undefined, text: string, start: number, oldEnd: number, insert: string): string {
  const newEnd = start + insert.length;
  const next = text.slice(0, start) + insert + text.slice(oldEnd);
  if (!tree) return next;
  // one pass to the edit, then only the replaced and inserted text
  const startPosition = pointAt(text, start);
  tree.edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointAfter(startPosition, text.slice(start, oldEnd)),
    newEndPosition: pointAfter(startPosition, insert),
  } as Parameters<WasmTree['edit']>[0]);
  return next;
}

/** The point reached from `from` by reading `text` (rows split at "\n" only, as tree-sitter's). */
function pointAfter(from: { row: number; column: number }, text: string): { row: number; column: number } {
  const last = text.lastIndexOf('\n');
  if (last === -1) return { row: from.row, column: from.column + text.length };
  let rows = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows++;
  return { row: from.row + rows, column: text.length - last - 1 };
}

/**
 * Do two trees of `text` hold the same nodes (types, fields, extents, missing and error nodes)?
 * Compared on flat copies: a few tens of milliseconds for a 0.8 MB file.
 */
export function sameTree(parser: NixParser, a: WasmTree, b: WasmTree, text: string): boolean {
  return parser.copyFlat(a, text).sameAs(parser.copyFlat(b, text));
}

/** Parse `text`, reusing the edited `tree` unless the result has a syntax error; `tree` is deleted. */
function reparse(parser: NixParser, text: string, tree: WasmTree | undefined): WasmTree {
  let parsed = parser.parse(text, tree);
  if (tree && parsed.rootNode.hasError) {
    parsed.delete();
    parsed = parser.parse(text);
  }
  tree?.delete();
  return parsed;
}
