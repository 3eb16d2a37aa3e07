import { bindingAt } from '../analysis/nameAt';
import { isReference, occurrences, resolveName, ScopeCache } from '../analysis/scopes';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import { descendants, identifierAt } from '../parse/syntaxTree';

export interface Occurrence {
  start: number;
  end: number;
  /** The place that binds the name (as opposed to reading it). */
  definition: boolean;
}

/**
 * Every place the local name at `offset` is bound or read, in document order. For a name that
 * only a `with` supplies: its uses under that `with`, and the `with` keyword as where it comes
 * from; on the `with` keyword itself: every name it supplies.
 */
export function references(doc: NixDocument, offset: number, includeDeclaration = true): Occurrence[] {
  const found = bindingAt(doc.tree.rootNode, offset);
  if (found) {
    return occurrences(found.binding)
      .map(n => ({ start: n.startIndex, end: n.endIndex, definition: n.id === found.binding.node.id }))
      .filter(o => includeDeclaration || !o.definition);
  }
  return withReferences(doc, offset).filter(o => includeDeclaration || !o.definition);
}

function withReferences(doc: NixDocument, offset: number): Occurrence[] {
  const root = doc.tree.rootNode;
  const cache = new ScopeCache();
  const ident = identifierAt(root, offset);
  let name: string | undefined;
  let withNode: Node | undefined;
  if (ident && isReference(ident)) {
    const r = resolveName(ident, cache);
    if (r.kind !== 'with') return [];
    withNode = parentOf(r.envs[0]) ?? undefined;
    name = ident.text;
  } else {
    const keyword = root.descendantForIndex(offset, offset) ?? undefined;
    const at = keyword?.type === 'with' ? keyword : offset > 0 ? root.descendantForIndex(offset - 1, offset - 1) ?? undefined : undefined;
    if (at?.type !== 'with') return [];
    withNode = parentOf(at) ?? undefined;
  }
  if (withNode?.type !== 'with_expression') return [];
  const env = withNode.childForFieldName('environment');
  const body = withNode.childForFieldName('body');
  if (!env || !body) return [];
  const keyword = withNode.child(0)!;
  const out: Occurrence[] = [{ start: keyword.startIndex, end: keyword.endIndex, definition: true }];
  for (const n of descendants(body)) {
    if (n.type !== 'identifier' || (name !== undefined && n.text !== name) || !isReference(n)) continue;
    const r = resolveName(n, cache);
    if (r.kind === 'with' && r.envs[0].id === env.id) out.push({ start: n.startIndex, end: n.endIndex, definition: false });
  }
  return out;
}
