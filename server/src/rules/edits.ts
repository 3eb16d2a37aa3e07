import { bindingSetOf } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import { onOneLine } from '../parse/lineIndex';
import type { Node } from '../parse/language';
import type { Edit } from './types';

/** The whitespace a line starts with. */
export function indentAt(doc: NixDocument, offset: number): string {
  const lineStart = doc.text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(doc.text.slice(lineStart))![0];
}

/**
 * Add `binding` (e.g. `hash = lib.fakeHash;`) to an attribute set literal, after its last binding,
 * in the set's own layout: on the same line for a one-line set, on a new line indented like the
 * other bindings otherwise.
 */
export function addBinding(doc: NixDocument, set: Node, binding: string): Edit {
  const close = set.lastChild;
  const closeAt = close?.type === '}' ? close.startIndex : set.endIndex;
  const bindings = bindingSetOf(set)?.namedChildren.filter((b): b is Node => !!b && b.type !== 'comment') ?? [];
  const last = bindings[bindings.length - 1];
  if (!last) {
    const open = set.children.find(c => c?.type === '{');
    const from = open ? open.endIndex : set.startIndex;
    if (onOneLine(doc.text, from, closeAt)) return { start: from, end: closeAt, newText: ` ${binding} ` };
    return { start: from, end: from, newText: `\n${indentAt(doc, closeAt)}  ${binding}` };
  }
  if (onOneLine(doc.text, last.endIndex, closeAt)) return { start: last.endIndex, end: last.endIndex, newText: ` ${binding}` };
  return insertAfterLine(doc, last, binding);
}

/** Insert a new line after the line `node` ends on, indented like the line `node` starts on. */
export function insertAfterLine(doc: NixDocument, node: Node, line: string): Edit {
  const eol = doc.text.indexOf('\n', node.endIndex);
  const at = eol === -1 ? doc.text.length : eol;
  return { start: at, end: at, newText: `\n${indentAt(doc, node.startIndex)}${line}` };
}

export function replaceNode(node: Node, newText: string): Edit {
  return { start: node.startIndex, end: node.endIndex, newText };
}

/** Delete a binding, with its whole line when nothing else is on it. */
export function removeSpan(doc: NixDocument, start: number, end: number): Edit {
  const lineStart = doc.text.lastIndexOf('\n', start - 1) + 1;
  const eol = doc.text.indexOf('\n', end);
  const lineEnd = eol === -1 ? doc.text.length : eol;
  if (doc.text.slice(lineStart, start).trim() === '' && doc.text.slice(end, lineEnd).trim() === '') {
    return { start: lineStart, end: eol === -1 ? lineEnd : lineEnd + 1, newText: '' };
  }
  return { start, end: doc.text.slice(end, end + 1) === ' ' ? end + 1 : end, newText: '' };
}

/** Remove the `rec` of a rec set, with the space after it: `rec { … }` -> `{ … }`. */
export function removeRecEdit(doc: NixDocument, set: Node): Edit | undefined {
  const keyword = set.child(0);
  if (keyword?.type !== 'rec') return undefined;
  const next = set.child(1);
  const end = next && !doc.text.slice(keyword.endIndex, next.startIndex).trim() ? next.startIndex : keyword.endIndex;
  return { start: keyword.startIndex, end, newText: '' };
}
