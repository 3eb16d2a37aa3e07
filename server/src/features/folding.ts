import type { NixDocument } from '../parse/documents';
import type { Cursor } from '../parse/language';
import { descendants } from '../parse/syntaxTree';

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

const FOLDABLE = new Set([
  'attrset_expression', 'rec_attrset_expression', 'let_attrset_expression', 'list_expression',
  'formals', 'parenthesized_expression', 'indented_string_expression', 'string_expression',
  'let_expression', 'interpolation',
]);

/** Brackets, strings, let blocks and runs of comments that span more than one line. */
export function foldingRanges(doc: NixDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  let commentRun: { start: number; end: number } | undefined;
  const flushComments = () => {
    if (commentRun && commentRun.end > commentRun.start) ranges.push({ startLine: commentRun.start, endLine: commentRun.end, kind: 'comment' });
    commentRun = undefined;
  };
  const hashes = offsetsOf(doc.text, '#');
  const walk = {
    wanted: (c: Cursor) => c.nodeType === 'comment' || FOLDABLE.has(c.nodeType),
    // nothing inside a node on one line spans lines; only a `#` comment at its end can start a
    // run (a file of 250,000 list elements on one line was walked node by node for nothing)
    enter: (c: Cursor) =>
      doc.lines.positionAt(c.startIndex).line !== doc.lines.positionAt(c.endIndex).line || anyWithin(hashes, c.startIndex, c.endIndex),
  };
  for (const node of descendants(doc.tree.rootNode, walk)) {
    const start = doc.lines.positionAt(node.startIndex).line;
    const end = doc.lines.positionAt(node.endIndex).line;
    if (node.type === 'comment') {
      if (end > start) {
        flushComments();
        ranges.push({ startLine: start, endLine: end, kind: 'comment' });
        continue;
      }
      // a run is of `#` comments alone on their lines: a comment after code is not one
      const alone = node.text.startsWith('#') && !doc.text.slice(doc.lines.offsetAt({ line: start, character: 0 }), node.startIndex).trim();
      if (alone && commentRun && commentRun.end === start - 1) {
        commentRun.end = start;
      } else {
        flushComments();
        if (alone) commentRun = { start, end: start };
      }
      continue;
    }
    if (end <= start) continue;
    if (node.type === 'let_expression') {
      // fold the bindings, keep `in` visible
      const inKw = node.children.find(c => c?.type === 'in');
      const inLine = inKw ? doc.lines.positionAt(inKw.startIndex).line : end;
      if (inLine - 1 > start) ranges.push({ startLine: start, endLine: inLine - 1 });
      continue;
    }
    // keep the closing bracket's line visible
    if (end - 1 > start) ranges.push({ startLine: start, endLine: end - 1 });
  }
  flushComments();
  // a run of comments is added when it ends, after the ranges that start inside it
  return ranges.sort((a, b) => a.startLine - b.startLine);
}

/** Where `char` occurs in `text`, in order. */
function offsetsOf(text: string, char: string): Int32Array {
  const at: number[] = [];
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) at.push(i);
  return Int32Array.from(at);
}

/** Does a sorted list hold an offset in [start, end)? */
function anyWithin(sorted: Int32Array, start: number, end: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] < end;
}
