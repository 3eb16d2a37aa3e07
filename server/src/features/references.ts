import { bindingAt } from '../analysis/nameAt';
import { occurrences } from '../analysis/scopes';
import type { NixDocument } from '../parse/documents';

export interface Occurrence {
  start: number;
  end: number;
  /** The place that binds the name (as opposed to reading it). */
  definition: boolean;
}

/** Every place the local name at `offset` is bound or read, in document order. */
export function references(doc: NixDocument, offset: number, includeDeclaration = true): Occurrence[] {
  const found = bindingAt(doc.tree.rootNode, offset);
  if (!found) return [];
  return occurrences(found.binding)
    .map(n => ({ start: n.startIndex, end: n.endIndex, definition: n.id === found.binding.node.id }))
    .filter(o => includeDeclaration || !o.definition);
}
