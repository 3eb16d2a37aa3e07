import type { NixDocument } from '../parse/documents';
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
  for (const node of descendants(doc.tree.rootNode, undefined, c => c.nodeType === 'comment' || FOLDABLE.has(c.nodeType))) {
    const start = doc.lines.positionAt(node.startIndex).line;
    const end = doc.lines.positionAt(node.endIndex).line;
    if (node.type === 'comment') {
      if (end > start) {
        flushComments();
        ranges.push({ startLine: start, endLine: end, kind: 'comment' });
      } else if (node.text.startsWith('#') && commentRun && commentRun.end === start - 1) {
        commentRun.end = start;
      } else {
        flushComments();
        if (node.text.startsWith('#')) commentRun = { start, end: start };
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
