import { withWindow, type NixDocument } from '../parse/documents';
import type { Tree, WasmTree } from '../parse/language';
import { unitsOf } from '../parse/units';
import { MAX_SYNTAX_ERRORS, syntaxProblems } from '../rules/syntaxError';
import type { RuleFinding } from '../rules/types';
import { shift } from './unitLines';

/**
 * The syntax check of a file over the size limit, kept between versions the way
 * DocumentDiagnostics keeps its findings (see there). An edit changes a run of units in the
 * middle of the list: the units before it and after it keep their node ids, so comparing the
 * list of ids with the last one from both ends finds the run, and only it is checked again, with
 * the unit after it (a bare `or` in a list is allowed or not by the element before it). The 10 MB
 * file of the benchmark has 111,000 units: a map per unit cost more than the check itself.
 * The answer is the one `syntaxProblems` gives on the whole document (test/unit/syntaxOnly.test.ts).
 */
export class SyntaxOnlyCheck {
  /** The unit ids of the last check, in order. */
  private ids = new Int32Array(0);
  /** Per unit of the last check that had problems: its problems, offsets from its start. */
  private found = new Map<number, RuleFinding[]>();
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
    const { ids, starts, count } = units;
    // the units kept from the last check: a common prefix and a common suffix of the id lists
    const old = this.ids;
    let prefix = 0;
    while (prefix < count && prefix < old.length && ids[prefix] === old[prefix]) prefix++;
    let suffix = 0;
    while (suffix < count - prefix && suffix < old.length - prefix && ids[count - 1 - suffix] === old[old.length - 1 - suffix]) suffix++;
    // the first kept unit after the run has a new unit before it
    if (suffix > 0 && prefix < count - suffix) suffix--;
    else if (suffix > 0 && prefix === count - suffix && prefix < old.length - suffix) suffix--;

    // nothing known yet: read every unit on a flat copy, which lists the same units in the same order
    let view = doc;
    let viewUnits = units;
    if (count - prefix - suffix > this.minUnits) {
      const flat = this.flatCopy(doc);
      const copied = flat && unitsOf(flat, this.minUnits);
      if (flat && copied && copied.count === count && copied.starts.every((s, i) => s === starts[i])) {
        view = flat;
        viewUnits = copied;
      }
    }
    const found = new Map<number, RuleFinding[]>();
    for (const [i, problems] of this.found) {
      if (i < prefix) found.set(i, problems);
      else if (i >= old.length - suffix) found.set(i - old.length + count, problems);
    }
    for (let i = prefix; i < count - suffix; i++) {
      const unit = withWindow(view, { kind: 'unit', node: viewUnits.node(i), container: viewUnits.container });
      const problems = syntaxProblems(unit);
      if (problems.length) found.set(i, shift(problems, -starts[i]));
    }
    this.ids = ids;
    this.found = found;
    this.keep(doc.tree);

    const all = syntaxProblems(withWindow(view, { kind: 'header', container: viewUnits.container }));
    for (const [i, problems] of found) all.push(...shift(problems, starts[i]));
    // past the limit, which problems the whole-file check keeps depends on the order it meets them in
    if (all.length >= MAX_SYNTAX_ERRORS) return syntaxProblems(view === doc ? this.flatCopy(doc) ?? doc : view);
    return all.sort((a, b) => a.start - b.start);
  }

  reset(): void {
    this.ids = new Int32Array(0);
    this.found.clear();
    this.kept?.delete();
    this.kept = undefined;
  }

  private keep(tree: Tree): void {
    this.kept?.delete();
    const editable = tree as Partial<WasmTree>;
    this.kept = editable.copy ? editable.copy() : undefined;
  }
}
