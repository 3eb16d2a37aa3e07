import type { Node } from '../parse/language';
import { identifierAt } from '../parse/syntaxTree';
import { bindingDefinedBy, isReference, resolveName, ScopeCache, type LocalBinding } from './scopes';

/** The local binding the identifier at `offset` defines or refers to. */
export function bindingAt(root: Node, offset: number): { ident: Node; binding: LocalBinding } | undefined {
  const ident = identifierAt(root, offset);
  if (!ident) return undefined;
  const cache = new ScopeCache();
  const defined = bindingDefinedBy(ident, cache);
  if (defined) return { ident, binding: defined };
  if (!isReference(ident)) return undefined;
  const r = resolveName(ident, cache);
  return r.kind === 'local' ? { ident, binding: r.binding } : undefined;
}
