import { parsePatched, type EditableDocument } from '../parse/documents';
import type { NixParser, Node, Span, Tree } from '../parse/language';
import { MIN_UNITS, unitsOf } from '../parse/units';
import { MAX_CLIMB, notePath, parentOf } from '../parse/nodeIndex';
import { attrsOf, staticAttrName } from '../parse/attrNames';
import { attrsetContext, contextOf, enclosingAttrset, NONE, shareFileContext, step, type Context, type FileFacts } from './moduleContext';

/** Stands in for the word being typed, so that half-typed text parses like finished text. */
export const PLACEHOLDER = '__nixAiCursor';

const WORD = /[A-Za-z0-9_'-]/;

/** What is being typed at the cursor. Offsets are in the real document's text. */
export type Site =
  /** An attribute name in a binding: `hardware.nvidia.|` or `{ |`. `ctx` is the context of the name's parent. */
  | { kind: 'attrName'; ctx: Context; before: string[]; prefix: string; start: number; end: number; followedBy: string }
  /** A name after a dot in an expression: `pkgs.cudaPackages.|`. */
  | { kind: 'select'; base: Node; before: string[]; prefix: string; start: number; end: number; ctx: Context }
  /** A bare name in an expression. `ctx` is the context of the expression. */
  | { kind: 'variable'; node: Node; ctx: Context; prefix: string; start: number; end: number }
  /** A function's formal argument being named: `{ self, gp| }:`. `lambda` is the function. */
  | { kind: 'formal'; lambda: Node; prefix: string; start: number; end: number }
  /** Inside a plain string literal that is the value (or list element) of something. */
  | { kind: 'string'; ctx: Context; prefix: string; start: number; end: number }
  | { kind: 'none' };

/**
 * Parse a copy of the document with the word at `offset` completed by a placeholder name (and, if
 * that alone does not parse, followed by ` = null;`), and tell what kind of place it is. `use`
 * runs while the copy's tree is alive; nodes in the site belong to that tree.
 */
export function withSite<T>(parser: NixParser, doc: EditableDocument, offset: number, use: (site: Site, file: FileFacts) => T, minUnits = MIN_UNITS): T {
  const text = doc.text;
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end])) end++;
  const prefix = text.slice(start, offset);
  const focus = focusOf(doc, start, end, offset, minUnits);
  let chosen = focus && patched(parser, doc, offset, end, focus);
  // the unit alone must parse cleanly into one unit again, or the neighbours might change it; a unit
  // with the document's only syntax error in it is read alone as it is (the whole text parsed again
  // would be no less broken, and error recovery can read a whole package set as something else)
  if (chosen && !(unitIntact(chosen, focus!.unit) && ((chosen.clean && !chosen.tree.rootNode.hasError) || brokenOnlyIn(doc, focus!.unit)))) {
    chosen.tree.delete();
    chosen = undefined;
  }
  chosen ??= patched(parser, doc, offset, end);
  if (!chosen) return use({ kind: 'none' }, { uri: doc.uri, root: doc.tree.rootNode });
  try {
    const file = { uri: doc.uri, root: chosen.tree.rootNode };
    shareFileContext({ uri: doc.uri, root: doc.tree.rootNode }, file);
    const followedBy = text.slice(end).trimStart().charAt(0);
    return use(classify(chosen.leaf, file, { prefix, start, end, offset, followedBy }), file);
  } finally {
    chosen.tree.delete();
  }
}

interface Focus {
  unit: Node;
  spans: Span[];
}

/**
 * In a large file (see parse/units.ts) with the word inside one unit, what a completion needs
 * parsed: everything around the units, that unit, and the units that tell a module's form (a
 * `config` or `options` key makes a set a full module; see attrsetContext). The units of a plain
 * set or a list cannot see one another, so the others do not change what the place means, and
 * parsing them again would cost more than the rest of the completion.
 */
function focusOf(doc: EditableDocument, start: number, end: number, offset: number, minUnits: number): Focus | undefined {
  // a syntax error elsewhere (another unit) changes nothing here; one in this unit fails the patched parse's checks
  const units = unitsOf(doc, minUnits);
  if (!units) return undefined;
  const { starts, count } = units;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= start) lo = mid;
    else hi = mid - 1;
  }
  const unit = units.node(lo);
  if (!(unit.startIndex <= start && end <= unit.endIndex && offset < unit.endIndex)) return undefined;
  // around the units: a list's brackets belong to its node, the container
  const spans: Span[] = [{ start: 0, end: starts[0] }];
  const add = (start: number, end: number) => {
    const last = spans[spans.length - 1];
    if (start <= last.end) last.end = end;
    else spans.push({ start, end });
  };
  for (let i = 0; i < count; i++) {
    if (i === lo) add(unit.startIndex, unit.endIndex);
    else if (formKeyAt(doc.text, starts[i])) add(starts[i], units.node(i).endIndex);
  }
  add(units.node(count - 1).endIndex, doc.text.length);
  return { unit, spans };
}

/** Does a binding whose first name may be `config` or `options` (plain, quoted or interpolated) start here? */
function formKeyAt(text: string, at: number): boolean {
  FORM_KEY.lastIndex = at;
  return FORM_KEY.test(text);
}

const FORM_KEY = /(?:\$\{\s*)?"?(?:config|options)\b/y;

/**
 * The document with the word at `offset` completed by the placeholder (and, if that alone does not
 * parse, followed by ` = null;`): the tree, the placeholder's leaf, and whether it parsed cleanly.
 */
function patched(parser: NixParser, doc: EditableDocument, offset: number, end: number, focus?: Focus): Patched | undefined {
  let chosen: Patched | undefined;
  for (const suffix of ['', ' = null;']) {
    const insert = PLACEHOLDER + suffix;
    const { tree } = parsePatched(parser, doc, offset, end, insert, focus?.spans);
    const leaf = tree.rootNode.descendantForIndex(offset, offset + PLACEHOLDER.length - 1);
    if (leaf) notePath(leaf);
    const above = leaf ? errorAbove(leaf) : 'error';
    const clean = !!leaf && above === 'none' && !parentOf(parentOf(leaf))?.hasError;
    const moved = insert.length - (end - offset);
    if (!chosen && leaf) chosen = { tree, leaf, clean, moved };
    else if (clean && chosen) {
      chosen.tree.delete();
      chosen = { tree, leaf: leaf!, clean, moved };
    } else tree.delete();
    // nested past MAX_CLIMB (error recovery can make a package set one long application): a suffix
    // after the word leaves it as deep, and each try parses the whole broken text again
    if (clean || above === 'deep') break;
  }
  return chosen;
}

interface Patched {
  tree: Tree;
  leaf: Node;
  clean: boolean;
  /** How far the text after the word moved. */
  moved: number;
}

/** Is the patched unit one node again, spanning the unit's text with the patch in it? */
function unitIntact(p: Patched, unit: Node): boolean {
  const end = unit.endIndex + p.moved;
  let n: Node | null = p.leaf;
  for (let i = 0; n && (n.startIndex > unit.startIndex || n.endIndex < end); i++) n = i < MAX_CLIMB ? parentOf(n) : null;
  return !!n && n.startIndex === unit.startIndex && n.endIndex === end && n.type === unit.type;
}

/** Is every syntax error of the document inside `unit` (and there is one)? */
function brokenOnlyIn(doc: EditableDocument, unit: Node): boolean {
  if (!unit.hasError) return false;
  // down from the root through the nodes with an error: a fork, or an end anywhere but the unit, is an error elsewhere
  let node: Node = doc.tree.rootNode;
  for (let depth = 0; node.id !== unit.id && depth < MAX_CLIMB; depth++) {
    if (node.isError || node.isMissing) return false;
    const broken = node.children.filter((c): c is Node => !!c && (c.hasError || c.isMissing));
    if (broken.length !== 1) return false;
    node = broken[0];
  }
  return node.id === unit.id;
}

/** An error or a gap around the node; nested past MAX_CLIMB counts as one ('deep'). */
function errorAbove(node: Node): 'none' | 'error' | 'deep' {
  let i = 0;
  for (let n: Node | null = node; n; n = parentOf(n)) {
    if (n.type === 'ERROR' || n.isMissing) return 'error';
    if (i++ >= MAX_CLIMB) return 'deep';
  }
  return 'none';
}

interface Word {
  prefix: string;
  start: number;
  end: number;
  offset: number;
  followedBy: string;
}

function classify(leaf: Node, file: FileFacts, w: Word): Site {
  const base = { prefix: w.prefix, start: w.start, end: w.end };
  if (leaf.type === 'comment') return { kind: 'none' };
  if (leaf.type === 'string_fragment' || leaf.type === 'string_expression' || leaf.type === 'indented_string_expression') {
    return stringSite(leaf, file, w);
  }
  if (leaf.type !== 'identifier' || !leaf.text.includes(PLACEHOLDER)) return { kind: 'none' };
  const parent = parentOf(leaf);
  if (!parent) return { kind: 'none' };
  if (parent.type === 'variable_expression') return { kind: 'variable', node: parent, ctx: contextOf(parent, file), ...base };
  if (parent.type === 'formal' && parent.childForFieldName('name')?.id === leaf.id) {
    const lambda = parentOf(parentOf(parent)!);
    return lambda?.type === 'function_expression' ? { kind: 'formal', lambda, ...base } : { kind: 'none' };
  }
  if (parent.type === 'attrpath') {
    const attrs = attrsOf(parent);
    const before: string[] = [];
    for (const a of attrs) {
      if (a.id === leaf.id) break;
      const name = staticAttrName(a);
      if (name === undefined) return { kind: 'none' };
      before.push(name);
    }
    const owner = parentOf(parent);
    if (owner?.type === 'select_expression' || owner?.type === 'has_attr_expression') {
      const expr = owner.childForFieldName('expression');
      if (!expr) return { kind: 'none' };
      return { kind: 'select', base: expr, before, ...base, ctx: contextOf(owner, file) };
    }
    if (owner?.type === 'binding' || owner?.type === 'ERROR') return attrNameSite(parent, before, file, w);
    return { kind: 'none' };
  }
  if (parent.type === 'ERROR') return attrNameSite(leaf, [], file, w);
  return { kind: 'none' };
}

function attrNameSite(node: Node, before: string[], file: FileFacts, w: Word): Site {
  const attrset = enclosingAttrset(node);
  if (!attrset) return { kind: 'none' };
  let ctx = attrsetContext(contextOf(attrset, file), attrset);
  for (const name of before) ctx = step(ctx, name);
  return { kind: 'attrName', ctx, before, prefix: w.prefix, start: w.start, end: w.end, followedBy: w.followedBy };
}

/** A plain string (no interpolation before the cursor) used as a value. */
function stringSite(leaf: Node, file: FileFacts, w: Word): Site {
  const str = leaf.type === 'string_fragment' ? parentOf(leaf) : leaf;
  if (!str || (str.type !== 'string_expression' && str.type !== 'indented_string_expression')) return { kind: 'none' };
  const quote = str.type === 'string_expression' ? 1 : 2;
  const contentStart = str.startIndex + quote;
  const typed = file.root.text.slice(contentStart, w.offset);
  if (typed.includes('${') || typed.includes('\n')) return { kind: 'none' };
  const ctx = parentOf(str) ? contextOf(str, file) : NONE;
  return { kind: 'string', ctx, prefix: typed, start: contentStart, end: w.end };
}
