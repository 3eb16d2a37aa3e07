import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import type { Position, Range } from '../parse/lineIndex';

export interface SelectionRange {
  range: Range;
  parent?: SelectionRange;
}

/**
 * The spans of the nodes from the root down to `leaf`, outermost first. Found by walking down
 * from the root: climbing with `parent` asks tree-sitter to search from the root at every step,
 * which is depth² (minutes in a file nested 50,000 deep).
 */
function spansDownTo(root: Node, leaf: Node): Array<[number, number]> {
  const spans: Array<[number, number]> = [[root.startIndex, root.endIndex]];
  const cursor = root.walk();
  try {
    for (;;) {
      if (cursor.startIndex === leaf.startIndex && cursor.endIndex === leaf.endIndex && cursor.nodeType === leaf.type) break;
      if (!cursor.gotoFirstChild()) break;
      // the child holding the leaf: the leaf itself, else one whose text the leaf starts in, else an
      // empty one (a gap the parser filled), else the first whose span merely touches it
      let exact = -1;
      let inside = -1;
      let empty = -1;
      let touching = -1;
      for (let i = 0; ; i++) {
        if (cursor.startIndex <= leaf.startIndex && cursor.endIndex >= leaf.endIndex) {
          if (cursor.startIndex === leaf.startIndex && cursor.endIndex === leaf.endIndex && cursor.nodeType === leaf.type) exact = i;
          else if (inside < 0 && leaf.startIndex < cursor.endIndex) inside = i;
          else if (empty < 0 && cursor.startIndex === cursor.endIndex) empty = i;
          else if (touching < 0) touching = i;
        }
        if (exact >= 0 || !cursor.gotoNextSibling()) break;
      }
      const chosen = [exact, inside, empty, touching].find(i => i >= 0) ?? -1;
      if (chosen < 0) break;
      cursor.gotoParent();
      cursor.gotoFirstChild();
      for (let i = 0; i < chosen; i++) cursor.gotoNextSibling();
      spans.push([cursor.startIndex, cursor.endIndex]);
    }
  } finally {
    cursor.delete();
  }
  return spans;
}

/** For each position: the node under it, then each enclosing node with a larger range. */
export function selectionRanges(doc: NixDocument, positions: Position[]): SelectionRange[] {
  return positions.map(position => {
    const offset = doc.lines.offsetAt(position);
    const root = doc.tree.rootNode;
    const leaf = root.descendantForIndex(offset, offset);
    const spans = leaf ? spansDownTo(root, leaf) : [[offset, offset] as [number, number]];
    let result: SelectionRange | undefined;
    let last: [number, number] | undefined;
    for (const span of spans) {
      if (last && last[0] === span[0] && last[1] === span[1]) continue;
      last = span;
      result = { range: doc.lines.rangeOf(span[0], span[1]), ...(result ? { parent: result } : {}) };
    }
    return result!;
  });
}
