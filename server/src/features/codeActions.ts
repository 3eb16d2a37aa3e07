import type { NixDocument } from '../parse/documents';
import type { Range } from '../parse/lineIndex';
import type { FindingFix, TextEdit } from '../rules/types';
import { indentAt } from '../rules/edits';

/** A diagnostic as the editor hands it back: its code, range and the fixes stored with it. */
export interface DiagnosticRef {
  code: string;
  range: Range;
  fixes?: FindingFix[];
}

export interface Action<D extends DiagnosticRef = DiagnosticRef> {
  title: string;
  diagnostic: D;
  edits: TextEdit[];
  preferred: boolean;
  /** A client command to run instead of edits. */
  command?: { id: string; args: unknown[] };
}

export const IGNORE_CODE_COMMAND = 'nixAi.ignoreCode';
/** The client command that updates flake.lock (stale-input's action). */
export const UPDATE_INPUTS_COMMAND = 'nixAi.flakeUpdate';

/**
 * Quick fixes for the diagnostics under the cursor: each rule's own fixes, then silencing the code
 * on this line (a `# nix-ai: ignore <code>` comment above it) or everywhere (a setting).
 */
export function codeActions<D extends DiagnosticRef>(doc: NixDocument, diagnostics: readonly D[]): Action<D>[] {
  const actions: Action<D>[] = [];
  for (const d of diagnostics) {
    for (const fix of d.fixes ?? []) actions.push({ title: fix.title, diagnostic: d, edits: fix.edits, preferred: fix.preferred });
    if (d.code === 'stale-input') actions.push({ title: 'Update flake inputs', diagnostic: d, edits: [], preferred: true, command: { id: UPDATE_INPUTS_COMMAND, args: [] } });
  }
  for (const d of diagnostics) {
    if (d.code === 'syntax-error') continue;
    actions.push({ title: `Ignore ${d.code} on this line`, diagnostic: d, edits: [ignoreLine(doc, d)], preferred: false });
    actions.push({ title: `Ignore ${d.code} everywhere (setting)`, diagnostic: d, edits: [], preferred: false, command: { id: IGNORE_CODE_COMMAND, args: [d.code] } });
  }
  return actions;
}

/** A comment line above the diagnostic's line, indented like it; or the code added to one already there. */
function ignoreLine(doc: NixDocument, d: DiagnosticRef): TextEdit {
  const line = d.range.start.line;
  const start = doc.lines.offsetAt({ line, character: 0 });
  if (line > 0) {
    const prevStart = doc.lines.offsetAt({ line: line - 1, character: 0 });
    const prev = doc.text.slice(prevStart, start).replace(/\r?\n$/, '');
    if (/^\s*#\s*nix-ai:\s*ignore\s+[a-z0-9-, ]+$/.test(prev)) {
      const at = doc.lines.positionAt(prevStart + prev.length);
      return { range: { start: at, end: at }, newText: ` ${d.code}` };
    }
  }
  const at = doc.lines.positionAt(start);
  return { range: { start: at, end: at }, newText: `${indentAt(doc, start)}# nix-ai: ignore ${d.code}\n` };
}
