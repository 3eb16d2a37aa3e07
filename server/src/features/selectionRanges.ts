import type { NixDocument } from '../parse/documents';
import type { Position, Range } from '../parse/lineIndex';

export interface SelectionRange {
  range: Range;
  parent?: SelectionRange;
}

/** For each position: the node under it, then each enclosing node with a larger range. */
export function selectionRanges(doc: NixDocument, positions: Position[]): SelectionRange[] {
  return positions.map(position => {
    const offset = doc.lines.offsetAt(position);
    const spans: Array<[number, number]> = [];
    for (let n = doc.tree.rootNode.descendantForIndex(offset, offset); n; n = n.parent) {
      const last = spans[spans.length - 1];
      if (!last || last[0] !== n.startIndex || last[1] !== n.endIndex) spans.push([n.startIndex, n.endIndex]);
    }
    if (spans.length === 0) spans.push([offset, offset]);
    let result: SelectionRange | undefined;
    for (let i = spans.length - 1; i >= 0; i--) {
      result = { range: doc.lines.rangeOf(spans[i][0], spans[i][1]), ...(result ? { parent: result } : {}) };
    }
    return result!;
  });
}
