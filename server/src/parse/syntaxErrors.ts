import type { Node, Tree } from './language';
import { onOneLine } from './lineIndex';
import { firstLeaf, lastLeaf, leafBefore } from './syntaxTree';

/** A syntax problem as offsets into the text, before any conversion to editor positions. */
export interface SyntaxProblem {
  start: number;
  end: number;
  message: string;
}

// Maps, not object literals: a token such as `constructor` must not find Object.prototype's
const OPENERS = new Map(Object.entries({ '{': '}', '(': ')', '[': ']', '${': '}', '"': '"', "''": "''" }));
const CLOSERS = new Map(Object.entries({ '}': '{', ')': '(', ']': '[' }));

function quote(token: string): string {
  const t = token.length > 30 ? `${token.slice(0, 27)}...` : token;
  return `'${t.replace(/\s+/g, ' ')}'`;
}

/** The opening token in `parent` that a missing closer would have closed. */
function opener(parent: Node | null, closer: string): Node | null {
  if (!parent) return null;
  for (const child of parent.children) {
    if (child && OPENERS.get(child.type) === closer && !child.isMissing) return child;
  }
  return null;
}

/**
 * A MISSING node is empty, and tree-sitter finds the parent (or a sibling) of an empty node by a
 * recursion as deep as the tree, which overflows wasm's stack in a deep tree (3,000 levels after
 * error recovery is enough). So everything around it comes from the path the walk took to it.
 */
function missingProblem(node: Node, path: readonly Node[], text: string): SyntaxProblem {
  const token = node.type;
  const parent = path[path.length - 1] ?? null;
  const open = opener(parent, token);
  if (open) {
    const what = open.type === '"' ? 'string' : open.type === "''" ? 'indented string' : quote(open.type);
    return { start: open.startIndex, end: open.endIndex, message: `unclosed ${what}: expected ${quote(token)} to close it` };
  }
  const before = leafBeside(node, path, -1);
  if (token === 'identifier' && parent?.type === 'variable_expression') {
    // a value is missing (`x = ;`): point at the token Nix finds instead, as Nix does
    const next = leafBeside(node, path, 1) ?? before;
    return {
      start: next ? next.startIndex : text.length,
      end: next ? next.endIndex : text.length,
      message: before ? (before.text === '=' ? "expected a value after '='" : `expected an expression after ${quote(before.text)}`) : 'expected an expression',
    };
  }
  const at = before ?? node;
  const span = { start: at.startIndex, end: Math.max(at.endIndex, Math.min(at.startIndex + 1, text.length)) };
  const context = parent?.type;
  let message: string;
  if (token === ';' && context === 'binding') message = "expected ';' after this binding";
  else if (token === ';' && (context === 'inherit' || context === 'inherit_from')) message = "expected ';' after the inherited names";
  else if (token === ';' && context === 'assert_expression') message = "expected ';' after the assert condition";
  else if (token === ';' && context === 'with_expression') message = "expected ';' after the 'with' expression";
  else if (token === 'identifier') message = before ? `expected a name after ${quote(before.text)}` : 'expected a name';
  else if (token === 'in') message = "expected 'in' after the let bindings";
  else if (/^[a-z]+$/.test(token) && !token.includes('_')) message = `expected ${quote(token)}`;
  else if (token.endsWith('_expression') || token === 'interpolation') message = before ? `expected an expression after ${quote(before.text)}` : 'expected an expression';
  else message = before ? `expected ${quote(token)} after ${quote(before.text)}` : `expected ${quote(token)}`;
  return { ...span, message };
}

/** The nearest token before (-1) or after (1) `node`, found through its path from the root. */
function leafBeside(node: Node, path: readonly Node[], dir: -1 | 1): Node | null {
  let child = node;
  for (let k = path.length - 1; k >= 0; child = path[k], k--) {
    const siblings = path[k].children;
    const at = siblings.findIndex(c => c?.id === child.id);
    for (let i = at + dir; at >= 0 && i >= 0 && i < siblings.length; i += dir) {
      const s = siblings[i];
      if (!s || s.type === 'comment' || s.endIndex === s.startIndex) continue;
      return dir < 0 ? lastLeaf(s) : firstLeaf(s);
    }
  }
  return null;
}

/**
 * The commonest mistake: a binding without its ';'. Then the next binding's name reads as a
 * function argument and its '=' is unexpected (`a = 1 <newline> b = 2;`), or a let's last
 * value runs into 'in' (`let a = 1 in a`). Point at the end of the value instead.
 */
function forgottenSemicolon(leaves: Node[], at: number, text: string): SyntaxProblem | null {
  const kind = leaves[at].text;
  // the leaf before leaves[i]: from the list while inside it (a climb per leaf made a large ERROR quadratic)
  const before = (i: number, node: Node): [Node | null, number] => (i > 0 ? [leaves[i - 1], i - 1] : [leafBefore(node), -1]);
  const [name, nameAt] = before(at, leaves[at]);
  if (kind === 'in') {
    if (!name || name.type === ';') return null;
    return { start: name.startIndex, end: name.endIndex, message: "expected ';' after this binding, before 'in'" };
  }
  if (!name || name.type !== 'identifier') return null;
  // walk back over a dotted name: services.xserver.videoDrivers =
  let first = name;
  let firstAt = nameAt;
  for (let [dot, dotAt] = before(firstAt, first); dot?.type === '.'; [dot, dotAt] = before(firstAt, first)) {
    const [prev, prevAt] = before(dotAt, dot);
    if (prev?.type !== 'identifier') break;
    first = prev;
    firstAt = prevAt;
  }
  const [valueEnd] = before(firstAt, first);
  if (!valueEnd || valueEnd.type === ';' || onOneLine(text, valueEnd.endIndex, first.startIndex)) return null;
  return { start: valueEnd.startIndex, end: valueEnd.endIndex, message: "expected ';' after this binding" };
}

/** The non-empty leaves of a node, comments left out, in document order (without recursion: ERROR regions nest deep). */
function leavesOf(node: Node): Node[] {
  const leaves: Node[] = [];
  const cursor = node.walk();
  try {
    for (;;) {
      if (cursor.gotoFirstChild()) continue;
      if (cursor.nodeType !== 'comment' && cursor.endIndex > cursor.startIndex) leaves.push(cursor.currentNode);
      let up = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          up = true;
          break;
        }
      }
      if (up) break;
    }
  } finally {
    cursor.delete();
  }
  return leaves;
}

function errorProblem(node: Node, text: string): SyntaxProblem {
  const leaves = leavesOf(node);
  if (leaves.length === 0) {
    const start = node.startIndex;
    const end = Math.max(node.endIndex, Math.min(start + 1, text.length));
    return { start, end, message: 'syntax error' };
  }
  // a comma anywhere but in a function's { a, b }: is the culprit, wherever recovery put it
  const comma = leaves.find(l => l.type === ',');
  if (comma) return { start: comma.startIndex, end: comma.endIndex, message: "unexpected ',': commas only separate function arguments in '{ a, b }:'; bindings end with ';'" };
  for (let i = 0; i < leaves.length; i++) {
    if (leaves[i].text === '=' || leaves[i].text === 'in') {
      const missing = forgottenSemicolon(leaves, i, text);
      if (missing) return missing;
    }
  }
  const first = leaves[0];
  const span = { start: first.startIndex, end: first.endIndex };
  const token = first.text;
  const opener = CLOSERS.get(token);
  if (opener) return { ...span, message: `unexpected ${quote(token)}: no matching ${quote(opener)}` };
  const closer = OPENERS.get(token);
  if (closer && node.endIndex >= text.trimEnd().length) {
    return { ...span, message: `unclosed ${quote(token)}: expected ${quote(closer)} to close it` };
  }
  if (token === '=') return { ...span, message: "unexpected '=': a binding needs a name before '=' and ';' after its value" };
  return { ...span, message: `unexpected ${quote(token)}` };
}

/** Every ERROR and MISSING region of the tree, one problem each, in document order. */
export function treeSyntaxProblems(tree: Tree, text: string, limit = Infinity): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  // depth-first without recursion (error recovery can nest thousands deep), each node linked to its parent's entry
  type Entry = { node: Node; up?: Entry };
  const stack: Entry[] = [{ node: tree.rootNode }];
  while (stack.length && problems.length < limit) {
    const entry = stack.pop()!;
    const node = entry.node;
    if (node.isMissing) {
      const path: Node[] = [];
      for (let e = entry.up; e; e = e.up) path.unshift(e.node);
      problems.push(missingProblem(node, path, text));
      continue;
    }
    if (node.isError) {
      problems.push(errorProblem(node, text));
      continue;
    }
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c) stack.push({ node: c, up: entry });
    }
  }
  // error recovery often leaves a second ERROR right after the first: keep one per line
  return problems.filter((p, i) => i === 0 || !onOneLine(text, problems[i - 1].start, p.start));
}
