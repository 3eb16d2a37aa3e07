import { withWindow, type NixDocument } from '../parse/documents';
import type { Tree, WasmTree } from '../parse/language';
import { unitsOf } from '../parse/units';
import { MAX_SYNTAX_ERRORS, syntaxProblems } from '../rules/syntaxError';
import type { RuleFinding } from '../rules/types';

/**
 * The syntax check of a file over the size limit, kept between versions the way
 * DocumentDiagnostics keeps its findings (see there): an edit re-checks the unit it touched and
 * the unit after it (a bare `or` in a list is allowed or not by the element before it); what the
 * other units held moves with them. A 10 MB file checked whole took a second per keystroke.
 * The answer is the one `syntaxProblems` gives on the whole document (test/unit/syntaxOnly.test.ts).
 */
export class SyntaxOnlyCheck {
  /** Per unit id: its problems (offsets from its start) and the id of the unit before it when checked. */
  private byUnit = new Map<number, { problems: RuleFinding[]; previous: number }>();
  /** A copy of the last checked tree: while it lives, no new node can take the id of a unit we hold. */
  private kept: WasmTree | undefined;

  /** `flatCopy`: the document over a flat copy of its tree, a third of the time to read whole. */
  constructor(private readonly minUnits: number, private readonly flatCopy: (doc: NixDocument) => NixDocument | undefined) {}

  problems(doc: NixDocument): RuleFinding[] {
    const units = doc.tree.rootNode.hasError ? undefined : unitsOf(doc, this.minUnits);
    if (!units) {
      this.reset();
      return syntaxProblems(this.flatCopy(doc) ?? doc);
    }
    // nothing known yet: read every unit on a flat copy, which lists the same units in the same order
    let view = doc;
    let viewUnits = units;
    if (!this.byUnit.size) {
      const flat = this.flatCopy(doc);
      const copied = flat && unitsOf(flat, this.minUnits);
      if (flat && copied && copied.count === units.count && copied.starts.every((s, i) => s === units.starts[i])) {
        view = flat;
        viewUnits = copied;
      }
    }
    const live = new Set(units.ids);
    for (const id of this.byUnit.keys()) if (!live.has(id)) this.byUnit.delete(id);
    const found = syntaxProblems(withWindow(view, { kind: 'header', container: viewUnits.container }));
    for (let i = 0; i < units.count; i++) {
      const id = units.ids[i];
      const previous = i > 0 ? units.ids[i - 1] : -1;
      let known = this.byUnit.get(id);
      if (known?.previous !== previous) {
        const unit = withWindow(view, { kind: 'unit', node: viewUnits.node(i), container: viewUnits.container });
        known = { problems: shift(syntaxProblems(unit), -units.starts[i]), previous };
        this.byUnit.set(id, known);
      }
      for (const p of known.problems) found.push(...shift([p], units.starts[i]));
    }
    this.keep(doc.tree);
    // past the limit, which problems the whole-file check keeps depends on the order it meets them in
    if (found.length >= MAX_SYNTAX_ERRORS) return syntaxProblems(view === doc ? this.flatCopy(doc) ?? doc : view);
    return found.sort((a, b) => a.start - b.start);
  }

  reset(): void {
    this.byUnit.clear();
    this.kept?.delete();
    this.kept = undefined;
  }

  private keep(tree: Tree): void {
    this.kept?.delete();
    const editable = tree as Partial<WasmTree>;
    this.kept = editable.copy ? editable.copy() : undefined;
  }
}

function shift(found: readonly RuleFinding[], by: number): RuleFinding[] {
  return found.map(f => ({ ...f, start: f.start + by, end: f.end + by }));
}
