/**
 * What makes an answer one an editor accepts: ranges inside the document with their start before
 * their end, offsets inside the text, outline names that are not empty, selection ranges that
 * nest, folding ranges in order. Returns what is wrong, or undefined.
 */
import type { NixDocument } from '../../server/src/parse/documents';
import type { Position, Range } from '../../server/src/parse/lineIndex';

const isPosition = (p: unknown): p is Position =>
  typeof p === 'object' && p !== null && typeof (p as Position).line === 'number' && typeof (p as Position).character === 'number';
const isRange = (r: unknown): r is Range => typeof r === 'object' && r !== null && isPosition((r as Range).start) && isPosition((r as Range).end);

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const within = (outer: Range, inner: Range) => before(outer.start, inner.start) && before(inner.end, outer.end);

function badPosition(p: Position, doc: NixDocument): string | undefined {
  if (p.line < 0 || p.line >= doc.lines.lineCount) return `line ${p.line} outside the document (${doc.lines.lineCount} lines)`;
  const lineText = doc.text.slice(doc.lines.offsetAt({ line: p.line, character: 0 }), doc.lines.offsetAt({ line: p.line, character: Number.MAX_SAFE_INTEGER }));
  if (p.character < 0 || p.character > lineText.length) return `character ${p.character} outside line ${p.line} (${lineText.length} long)`;
  return undefined;
}

/** Every range and offset pair found anywhere in the answer (walked without recursion: selection chains are thousands deep). */
function badPlaces(answer: unknown, doc: NixDocument): string | undefined {
  const stack: Array<[unknown, string]> = [[answer, 'answer']];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (isRange(value)) {
      const bad = badPosition(value.start, doc) ?? badPosition(value.end, doc);
      if (bad) return `${path}: ${bad}`;
      if (!before(value.start, value.end)) return `${path}: range ends before it starts`;
      continue;
    }
    const o = value as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number' && (o.start < 0 || o.end < o.start || o.end > doc.text.length)) {
      return `${path}: offsets ${o.start}..${o.end} outside the text (${doc.text.length} long)`;
    }
    for (const [k, v] of Object.entries(o).reverse()) stack.push([v, path.length > 200 ? `${path.slice(0, 100)}…${k}` : `${path}.${k}`]);
  }
  return undefined;
}

type Symbolish = { name: string; range: Range; selectionRange: Range; children: Symbolish[] };
function badSymbols(list: Symbolish[]): string | undefined {
  for (const s of list) {
    if (s.name.trim() === '') return `an outline name is empty: ${JSON.stringify(s.name)}`;
    if (!within(s.range, s.selectionRange)) return `the selection of ${s.name} lies outside its range`;
    const bad = badSymbols(s.children);
    if (bad) return bad;
  }
  return undefined;
}

type Selection = { range: Range; parent?: Selection };

export function invalidAnswer(kind: string, answer: unknown, doc: NixDocument): string | undefined {
  const places = badPlaces(answer, doc);
  if (places) return places;
  switch (kind) {
    case 'symbols': return badSymbols(answer as Symbolish[]);
    case 'selection':
      for (const first of answer as Selection[]) {
        for (let r: Selection | undefined = first; r?.parent; r = r.parent) if (!within(r.parent.range, r.range)) return 'a selection range lies outside its parent';
      }
      return undefined;
    case 'folding': {
      const folds = answer as Array<{ startLine: number; endLine: number }>;
      for (let i = 0; i < folds.length; i++) {
        const f = folds[i];
        if (f.startLine > f.endLine || f.endLine >= doc.lines.lineCount) return `folding range ${f.startLine}-${f.endLine} is not inside the document`;
        if (i && folds[i - 1].startLine > f.startLine) return 'folding ranges out of order';
      }
      return undefined;
    }
    case 'diagnostics':
      for (const d of answer as Array<{ message: string }>) if (!d.message.trim()) return 'a diagnostic without a message';
      return undefined;
    case 'completion':
      for (const label of answer as string[]) if (!label) return 'a completion item without a label';
      return undefined;
    case 'rename': {
      const edits = (answer as { edits?: Array<{ start: number; end: number }> } | null)?.edits ?? [];
      for (let i = 0; i < edits.length; i++) {
        const e = edits[i];
        if (e.start > e.end || e.end > doc.text.length) return `a rename edit ${e.start}-${e.end} is outside the document`;
        if (i && edits[i - 1].end > e.start) return 'rename edits overlap';
      }
      return undefined;
    }
    case 'refactors':
      for (const r of answer as Array<{ title: string; breaks: boolean }>) if (r.breaks) return `the refactor "${r.title}" breaks the parse`;
      return undefined;
    case 'semanticTokens': {
      const tokens = answer as Array<{ start: number; end: number }>;
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (t.start >= t.end || t.end > doc.text.length) return `an empty or outside semantic token ${t.start}-${t.end}`;
        if (doc.text.slice(t.start, t.end).includes('\n')) return 'a semantic token spans lines';
        if (i && tokens[i - 1].end > t.start) return 'semantic tokens overlap or are out of order';
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
