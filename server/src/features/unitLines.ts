import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import type { LineIndex } from '../parse/lineIndex';
import type { Units } from '../parse/units';
import type { RuleFinding } from '../rules/types';

/**
 * The units of a large file (parse/units.ts), the lines they share (an edit re-checks the units
 * on the lines it touched, whose fixes read those lines), and what was found in a unit moving
 * with it (see DocumentDiagnostics).
 */

/**
 * Units many to a line (a list of 250,000 strings on one line): an edit re-checks every unit on
 * its lines, all of them, at a cost per unit well above a check of the whole file.
 */
export function packed(units: Units, doc: NixDocument): boolean {
  return units.count > 2 * doc.lines.lineCount;
}

/**
 * The changed units (ascending) and their neighbours on the same lines, whose fixes read those
 * lines: each changed unit's next and previous unit, and on while `joined(j)` (unit j ends on
 * the line where unit j + 1 starts). Linear: a run already reached is not walked again (250,000
 * list elements on one line were walked once per element).
 */
export function neighbours(changed: readonly number[], count: number, joined: (j: number) => boolean): Uint8Array {
  const redo = new Uint8Array(count);
  let reach = -1;
  for (const i of changed) {
    redo[i] = 1;
    if (i + 1 <= reach) continue;
    for (let j = i + 1; j < count && (j === i + 1 || joined(j - 1)); j++) redo[(reach = j)] = 1;
  }
  reach = count;
  for (let k = changed.length - 1; k >= 0; k--) {
    const i = changed[k];
    if (i - 1 >= reach) continue;
    for (let j = i - 1; j >= 0 && (j === i - 1 || joined(j)); j--) redo[(reach = j)] = 1;
  }
  return redo;
}

/**
 * The unit's text from the start of its first line to the start of the line after its last, as a 64-bit hash,
 * with where the unit lies in it: a slice would keep the whole text of its version alive for as long as the unit
 * lives. `spans` remembers the hash of each span for one check.
 */
export function surroundings(text: string, lines: LineIndex, unit: Node, spans: Map<string, string>): string {
  // line starts from the index, not by scanning: a line can be a megabyte long
  const start = lines.offsetAt({ line: lines.positionAt(unit.startIndex).line, character: 0 });
  const end = lines.offsetAt({ line: lines.positionAt(unit.endIndex).line + 1, character: 0 });
  const key = `${start}:${end}`;
  let hash = spans.get(key);
  if (hash === undefined) {
    let a = 0x811c9dc5;
    let b = 5381;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = (Math.imul(b, 33) + c) | 0;
    }
    spans.set(key, (hash = `${end - start}:${a >>> 0}:${b >>> 0}`));
  }
  return `${hash}:${unit.startIndex - start}:${unit.endIndex - unit.startIndex}`;
}

/** Findings (and their fixes) moved by `by` characters: a unit's, kept from its start. */
export function shift(found: readonly RuleFinding[], by: number): RuleFinding[] {
  if (!by) return [...found];
  return found.map(f => ({
    ...f,
    start: f.start + by,
    end: f.end + by,
    ...(f.fixes ? { fixes: f.fixes.map(fix => ({ ...fix, edits: fix.edits.map(e => ({ ...e, start: e.start + by, end: e.end + by })) })) } : {}),
  }));
}
