import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import { indentAt } from '../rules/edits';
import type { Refactor } from './refactors';

/**
 * "…" ⇄ ''…'': the same string value in the other form. Nix strips the common indentation of an
 * indented string, drops its first line when blank and its last when only spaces; both directions
 * follow those rules, and refuse where the result would depend on finer lexer details.
 */

type Part = { kind: 'text'; text: string } | { kind: 'escape'; text: string } | { kind: 'interp'; text: string };

const STRING_PIECES = new Set(['string_fragment', 'escape_sequence', 'dollar_escape', '"', "''"]);

export function stringRefactors(doc: NixDocument, at: Node): Refactor[] {
  const node = STRING_PIECES.has(at.type) ? parentOf(at) : at;
  // an attribute name is written "…" only
  if (!node || node.hasError || parentOf(node)?.type === 'attrpath' || parentOf(node)?.type === 'inherited_attrs') return [];
  let text = node.type === 'string_expression' ? toIndented(node, indentAt(doc, node.startIndex)) : node.type === 'indented_string_expression' ? toQuoted(node) : undefined;
  if (text === undefined) return [];
  // ''…'' written against a name (`f'"x"`) would join it, and against a quote (`"x"''y''`) would read as an escape
  if (node.type === 'string_expression') {
    if (/[\w'-]/.test(doc.text[node.startIndex - 1] ?? '')) text = ` ${text}`;
    if (doc.text[node.endIndex] === "'") text = `${text} `;
  }
  const title = node.type === 'string_expression' ? "Convert to an indented string (''…'')" : 'Convert to a double-quoted string ("…")';
  return [{ title, kind: 'refactor.rewrite', edits: [{ start: node.startIndex, end: node.endIndex, newText: text }] }];
}

const QUOTED_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

/** The string's pieces with escapes resolved. */
function partsOf(node: Node): Part[] {
  const parts: Part[] = [];
  const indented = node.type === 'indented_string_expression';
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'string_fragment') parts.push({ kind: 'text', text: c.text });
    else if (c.type === 'interpolation') parts.push({ kind: 'interp', text: c.text });
    else if (c.type === 'escape_sequence') {
      // "…": \x; ''…'': ''\x or ''' (two quotes)
      const body = indented ? (c.text === "'''" ? "''" : c.text.slice(3)) : c.text.slice(1);
      const ch = indented && c.text === "'''" ? body : QUOTED_ESCAPES[body] ?? body;
      parts.push({ kind: 'escape', text: ch });
    }
    // dollar_escape: the `$` it protects is the next fragment
  }
  return parts;
}

/** A `$` right before an interpolation: the two forms read `$${` differently, so leave such strings alone. */
function dollarBeforeInterpolation(parts: Part[]): boolean {
  return parts.some((p, i) => p.kind !== 'interp' && p.text.endsWith('$') && parts[i + 1]?.kind === 'interp');
}

/** "…" -> ''…'', indented two spaces past the line, or undefined when the value would not survive. */
function toIndented(node: Node, indent: string): string | undefined {
  const parts = partsOf(node);
  if (dollarBeforeInterpolation(parts)) return undefined;
  // the value as lines of pieces (interpolations kept whole)
  const lines: Array<Array<{ text: string; interp: boolean }>> = [[]];
  for (const p of parts) {
    if (p.kind === 'interp') {
      lines[lines.length - 1].push({ text: p.text, interp: true });
      continue;
    }
    p.text.split('\n').forEach((piece, i) => {
      if (i) lines.push([]);
      const line = lines[lines.length - 1];
      const before = line[line.length - 1];
      // literal pieces are joined, so `$` + `{` or `'` + `'` are seen together
      if (before && !before.interp) before.text += piece;
      else if (piece) line.push({ text: piece, interp: false });
    });
  }
  // every line must start at the common indentation: a value line starting with a space would lose it
  if (lines.some(l => l.length && !l[0].interp && /^[ ]/.test(l[0].text))) return undefined;
  const last = lines[lines.length - 1];
  const tail = last[last.length - 1];
  if (tail && !tail.interp && tail.text.endsWith("'")) return undefined;
  const render = (line: Array<{ text: string; interp: boolean }>) =>
    line.map(p => (p.interp ? p.text : p.text.replace(/''/g, "'''").replace(/\$\{/g, "''${").replace(/\t/g, "''\\t").replace(/\r/g, "''\\r"))).join('');
  if (lines.length === 1) return `''${render(lines[0])}''`;
  const pad = `${indent}  `;
  const body = lines.map(l => (l.length ? pad + render(l) : '')).join('\n');
  // a value ending in a newline: the closing quotes go on a line of their own (only spaces: dropped)
  return `''\n${body}${last.length ? '' : indent}''`;
}

/** ''…'' -> "…", following Nix's indentation rules; undefined where an escape starts a line. */
function toQuoted(node: Node): string | undefined {
  const parts = partsOf(node);
  if (dollarBeforeInterpolation(parts)) return undefined;
  // the opening '' takes spaces and one newline right after it
  if (parts[0]?.kind === 'text') parts[0] = { kind: 'text', text: parts[0].text.replace(/^ *\n/, '') };
  let atStart = true;
  let indent = 0;
  let min = Infinity;
  for (const p of parts) {
    if (p.kind !== 'text') {
      if (atStart && p.kind === 'escape') return undefined;
      if (atStart) min = Math.min(min, indent);
      atStart = false;
      continue;
    }
    for (const ch of p.text) {
      if (atStart) {
        if (ch === ' ') indent++;
        else if (ch === '\n') indent = 0;
        else {
          atStart = false;
          min = Math.min(min, indent);
        }
      } else if (ch === '\n') {
        atStart = true;
        indent = 0;
      }
    }
  }
  // the value's literal runs, joined across pieces, and its interpolations
  const segments: Array<{ text: string; interp: boolean }> = [];
  const literal = (text: string) => {
    const before = segments[segments.length - 1];
    if (before && !before.interp) before.text += text;
    else segments.push({ text, interp: false });
  };
  atStart = true;
  let dropped = 0;
  parts.forEach((p, i) => {
    if (p.kind !== 'text') {
      if (p.kind === 'interp') segments.push({ text: p.text, interp: true });
      else literal(p.text);
      atStart = false;
      dropped = 0;
      return;
    }
    let s = '';
    for (const ch of p.text) {
      if (atStart) {
        if (ch === ' ') {
          if (dropped++ >= min) s += ch;
        } else if (ch === '\n') {
          dropped = 0;
          s += ch;
        } else {
          atStart = false;
          dropped = 0;
          s += ch;
        }
      } else {
        s += ch;
        if (ch === '\n') atStart = true;
      }
    }
    // the last line, when only spaces, is dropped
    if (i === parts.length - 1) s = s.replace(/\n[ ]*$/, '\n');
    literal(s);
  });
  const out = segments.map(g => (g.interp ? g.text : quote(g.text))).join('');
  return `"${out}"`;
}

/** Text as it is written inside "…". */
function quote(text: string): string {
  return text.replace(/[\\"\n\t\r]|\$\{/g, c => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? '\\${');
}
