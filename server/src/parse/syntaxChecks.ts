import type { Cursor, Node } from './language';
import { parentOf, type Indexed } from './nodeIndex';
import { attrsOf, bindingSetOf, staticAttrName } from './attrNames';
import type { SyntaxProblem } from './syntaxErrors';
import { descendants, KEYWORDS } from './syntaxTree';

/**
 * What Nix's own parser rejects but the tree-sitter grammar accepts. Each check is worded for a
 * person and placed on the smallest node that shows the problem.
 */

const MAX_INT = 9223372036854775807n;
const EQUALITY = new Set(['==', '!=']);
const ORDERING = new Set(['<', '<=', '>', '>=']);

function operatorOf(node: Node): string | undefined {
  return node.type === 'binary_expression' ? node.childForFieldName('operator')?.type : undefined;
}

function sameClass(a: string, b: string): boolean {
  return (EQUALITY.has(a) && EQUALITY.has(b)) || (ORDERING.has(a) && ORDERING.has(b));
}

function problem(node: Node, message: string): SyntaxProblem {
  return { start: node.startIndex, end: node.endIndex, message };
}

/** The node types checkNode looks at (names only when suspectName says so). */
const CHECKED = new Set([
  'integer_expression', 'path_expression', 'hpath_expression', 'binary_expression', 'inherit', 'inherit_from', 'let_expression',
]);

/** Could this identifier be one checkNode reports: a keyword, or `or`? (Read from the text: most names are not.) */
function suspectName(text: string, start: number, end: number): boolean {
  return end - start <= LONGEST_KEYWORD && (KEYWORDS.has(text.slice(start, end)) || text.slice(start, end) === 'or');
}
const LONGEST_KEYWORD = Math.max(...[...KEYWORDS].map(k => k.length));

function checkNode(node: Node, out: SyntaxProblem[]): void {
  if (!node.isNamed) return;
  switch (node.type) {
    case 'identifier': {
      if (KEYWORDS.has(node.text)) {
        out.push(problem(node, `'${node.text}' is a keyword and cannot be a name here; quote it ("${node.text}") to use it as an attribute name`));
      } else if (node.text === 'or' && !orAllowed(node)) {
        out.push(problem(node, "'or' is a keyword: it can only name an attribute (a.or, { or = 1; }) or give a default after a selection (a.b or c)"));
      }
      return;
    }
    case 'integer_expression': {
      if (BigInt(node.text) > MAX_INT) {
        out.push(problem(node, `integer ${node.text} does not fit in 64 bits (the largest is ${MAX_INT})`));
      }
      return;
    }
    case 'path_expression':
    case 'hpath_expression':
      checkPath(node, out);
      return;
    case 'binary_expression': {
      const op = operatorOf(node);
      if (!op) return;
      for (const side of ['left', 'right']) {
        const child = node.childForFieldName(side);
        const inner = child && operatorOf(child);
        if (inner && sameClass(op, inner)) {
          out.push(problem(node.childForFieldName('operator')!, `'${op}' cannot follow another comparison ('${inner}') without parentheses: comparisons do not chain in Nix`));
        }
      }
      return;
    }
    case 'inherit':
    case 'inherit_from':
      for (const attr of attrsOf(node.childForFieldName('attrs'))) {
        if (staticAttrName(attr) === undefined) out.push(problem(attr, 'inherit cannot take a computed name; only plain names can be inherited'));
      }
      return;
  }
  if (node.type === 'let_expression') checkLetNames(node, out);
}

/** Expressions Nix calls simple: a bare `or` right after one is an old way to call it with a variable `or`. */
const SIMPLE = new Set([
  'variable_expression', 'integer_expression', 'float_expression', 'string_expression',
  'indented_string_expression', 'path_expression', 'hpath_expression', 'spath_expression',
  'uri_expression', 'parenthesized_expression', 'attrset_expression', 'let_attrset_expression',
  'rec_attrset_expression', 'list_expression',
]);

/** Where Nix accepts the identifier `or`: attribute names, inherit, and right after a simple expression. */
function orAllowed(id: Node): boolean {
  const parent = parentOf(id);
  if (!parent || parent.type === 'formal') return false;
  if (parent.type !== 'variable_expression') return true;
  const owner = parentOf(parent);
  if (owner?.type === 'apply_expression' && owner.childForFieldName('argument')?.startIndex === parent.startIndex) {
    let before = owner.childForFieldName('function');
    while (before?.type === 'apply_expression') before = before.childForFieldName('argument');
    return !!before && SIMPLE.has(before.type);
  }
  if (owner?.type === 'list_expression') {
    let prev = parent.previousNamedSibling;
    while (prev?.type === 'comment') prev = prev.previousNamedSibling;
    return !!prev && SIMPLE.has(prev.type);
  }
  return false;
}

function checkPath(node: Node, out: SyntaxProblem[]): void {
  const parts = node.children.filter((c): c is Node => !!c);
  const last = parts[parts.length - 1];
  for (const part of parts) {
    if (part.type === 'path_fragment' && part.text.includes('//')) {
      out.push(problem(node, "a path cannot contain '//'"));
      return;
    }
  }
  if (last?.type === 'path_fragment' && last.text.endsWith('/')) {
    out.push(problem(node, node.text === '~/' ? "'~/' needs a file name after it" : "a path cannot end with '/'; remove the trailing slash"));
  }
}

function checkLetNames(letNode: Node, out: SyntaxProblem[]): void {
  for (const b of bindingSetOf(letNode)?.childrenForFieldName('binding') ?? []) {
    if (b?.type !== 'binding') continue;
    const first = attrsOf(b.childForFieldName('attrpath'))[0];
    if (first && staticAttrName(first) === undefined) {
      out.push(problem(first, 'let cannot bind a computed name; use a plain name'));
    }
  }
}

/** What Nix rejects that the grammar accepts, in the document or its window (see nodeIndex). */
export function nixSyntaxProblems(doc: Indexed & { readonly text: string }, limit = Infinity): SyntaxProblem[] {
  const out: SyntaxProblem[] = [];
  const root = doc.tree.rootNode;
  const w = doc.window;
  if (w?.kind !== 'unit' && !root.childForFieldName('expression') && !root.hasError) {
    out.push({ start: 0, end: Math.min(root.endIndex, 1), message: 'the file holds no expression: a Nix file must evaluate to one value' });
  }
  const wanted = (c: Cursor) => c.nodeType !== 'identifier' ? CHECKED.has(c.nodeType) : suspectName(doc.text, c.startIndex, c.endIndex);
  const nodes = w?.kind === 'unit' ? descendants(w.node, { wanted }) : descendants(root, { skip: w?.container, wanted });
  for (const node of nodes) {
    if (out.length >= limit) break;
    if (node.isError || node.isMissing) continue;
    checkNode(node, out);
  }
  return out;
}
