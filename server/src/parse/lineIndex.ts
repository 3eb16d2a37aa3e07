/**
 * Offsets <-> line/character for one text. Offsets and characters count UTF-16 code units, the
 * unit of JavaScript strings, of LSP positions and of web-tree-sitter's node indices.
 * Lines end at "\n", "\r\n" or a lone "\r", as LSP defines them.
 */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * Whether offsets `a` and `b` lie on one line (rows split at "\n", as tree-sitter's). Reads only
 * the text between them: a file of one 1 MB line made a scan back to the line's start per call
 * quadratic.
 */
export function onOneLine(text: string, a: number, b: number): boolean {
  return !text.slice(Math.min(a, b), Math.max(a, b)).includes('\n');
}

/** The first line (0-based, as LSP counts them: a lone carriage return ends one too) matching `re`, else -1. */
export function lineMatching(text: string, re: RegExp): number {
  return text.split(/\r\n|\r|\n/).findIndex(l => re.test(l));
}

export class LineIndex {
  private readonly starts: number[];

  constructor(private readonly text: string, starts?: number[]) {
    if (starts) {
      this.starts = starts;
      return;
    }
    starts = [0];
    for (let i = 1; i <= text.length; i++) if (startsLine(text, i)) starts.push(i);
    this.starts = starts;
  }

  /**
   * The index of `text`, which is this index's text with [start, oldEnd) replaced by
   * text[start, newEnd): only the replaced stretch is read again (a large file has many lines).
   */
  edited(text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    const delta = newEnd - oldEnd;
    const starts: number[] = [0];
    // a position starts a line by the two characters around it: only those in the edit changed
    for (const q of this.starts) if (q > 0 && q < start) starts.push(q);
    for (let p = Math.max(1, start); p <= newEnd; p++) if (startsLine(text, p)) starts.push(p);
    for (const q of this.starts) if (q > oldEnd) starts.push(q + delta);
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // between the '\r' and '\n' of a line break is not a place on the line: its end is
    const inBreak = o > this.starts[lo] && this.text.charCodeAt(o) === 10 && this.text.charCodeAt(o - 1) === 13;
    return { line: lo, character: o - this.starts[lo] - (inBreak ? 1 : 0) };
  }

  /** Clamps like LSP asks: a character past the line's end means the end of the line. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    let end = next;
    // the end of the line's content, before its line break
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  rangeOf(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }
}

/** Does a line start at offset p (p >= 1): after "\n", or after a "\r" that no "\n" follows? */
function startsLine(text: string, p: number): boolean {
  const before = text.charCodeAt(p - 1);
  return before === 10 || (before === 13 && text.charCodeAt(p) !== 10);
}
