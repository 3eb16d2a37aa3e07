import { moduleFacts, rememberFacts, shareFactsMemo, type FactsMemo } from '../analysis/definitions';
import type { UnitPaths, UnitSink } from '../analysis/definitionWalker';
import { primeFileContext, relevantTop, topNamesOf, type TopNames } from '../analysis/moduleContext';
import { isReference, resolveName } from '../analysis/scopes';
import { attrsOf, staticAttrName } from '../parse/attrNames';
import { flatView, withWindow, type NixDocument } from '../parse/documents';
import { onOneLine } from '../parse/lineIndex';
import type { FlatTree } from '../parse/flatTree';
import type { Node, Tree, WasmTree } from '../parse/language';
import { nodesIn, parentOf } from '../parse/nodeIndex';
import { MIN_UNITS, unitsAlike, unitsOf, type Units } from '../parse/units';
import { isGenerated } from '../rules/unusedBinding';
import { neighbours, packed, shift, surroundings } from './unitLines';
import type { Finding, Outside, Rule, RuleContext, RuleFinding } from '../rules/types';
import { activeRules, diagnose, inlineIgnores, isBinary, ruleContext, syntaxOnly, toFindings, tooLarge, type DiagnosticOptions } from './diagnostics';
import { SyntaxOnlyCheck } from './syntaxOnly';
import { UnitArchive } from './unitArchive';
import { MAX_SYNTAX_ERRORS, syntaxError } from '../rules/syntaxError';

/**
 * Diagnostics for one open document that keep what they found between versions. A large file is
 * checked unit by unit (see parse/units.ts): an edit re-checks the unit it touched and its
 * neighbours on the same lines, the header, and the rules that read the whole configuration;
 * every other unit's findings are moved to where the unit is now. The answer is always the one
 * `diagnose` gives on the same text (test/unit/incremental.test.ts checks it edit by edit).
 *
 * A unit is known by its node id: tree-sitter reuses an unchanged subtree in the next tree, id
 * and all. A copy of the last checked tree is kept alive, so none of its subtrees is freed and
 * no new node can get the address (the id) of a unit we hold results for.
 *
 * Text with a syntax error is checked unit by unit too: the error usually sits in the unit being
 * typed in. Results of units that left the tree are kept a while by their text (the archive):
 * a keystroke that breaks a unit and the next one that mends it bring the same text back under
 * a new node id, and a broken file without units (its error reaches the top) keeps everything
 * it knew for the version that mends it.
 */
export class DocumentDiagnostics {
  private key = '';
  private results = new Map<number, UnitResult>();
  private totals = new Totals();
  private kept: Tree | undefined;
  private facts: FactsMemo | undefined;
  /** The document and the text around its units at the last check. */
  private header = '';
  /** Results of units no longer in the tree. */
  private readonly archive = new UnitArchive<Archived>();
  /** The most units the file had: the archive holds twice as many results at most. */
  private unitCount = 0;
  /** Past the size limit: the syntax check alone, kept between versions the same way. */
  private readonly syntax: SyntaxOnlyCheck;

  /**
   * `minUnits`: files with fewer units are checked whole (tests lower it to use small files).
   * `copyFlat`: a flat copy of a tree-sitter tree (NixParser.copyFlat), for checking every unit.
   */
  constructor(private readonly minUnits = MIN_UNITS, private readonly copyFlat?: (tree: WasmTree, text: string) => FlatTree) {
    this.syntax = new SyntaxOnlyCheck(minUnits, doc => this.flatCopyOf(doc));
  }

  /**
   * The findings for this version. `context` is asked for once the file's own context is known
   * cheaply (it reads what the units bind at the top), so ask the workspace from there.
   */
  check(doc: NixDocument, options: Omit<DiagnosticOptions, 'context'> = {}, context?: () => DiagnosticOptions['context']): Finding[] {
    if (tooLarge(doc.text, options.maxChars)) {
      this.forgetUnits();
      return isBinary(doc.text) ? diagnose(doc, options) : syntaxOnly(doc, options, d => this.syntax.problems(d));
    }
    this.syntax.reset();
    const units = isBinary(doc.text) ? undefined : unitsOf(doc, this.minUnits);
    if (!units || packed(units, doc)) {
      this.reset();
      // the whole file (a syntax error, or few units): on a flat copy, a third of the time
      const view = this.flatCopyOf(doc);
      if (view) rememberFacts(doc, moduleFacts(view));
      return diagnose(view ?? doc, { ...options, context: context?.() });
    }
    // new text around the units changes what every unit means (and the facts it gave): start
    // over, on a flat copy
    const header = JSON.stringify([doc.uri, ...headerText(doc, units)]);
    if (header !== this.header) {
      this.forgetGone(new Map());
      this.facts = undefined;
      this.header = header;
    }
    // many units without a result (a stray quote turns the rest of the file inside out): on a flat copy too
    let missing = 0;
    for (let i = 0; i < units.count; i++) if (!this.results.has(units.ids[i])) missing++;
    const flat = (this.results.size || this.archive.holds(header)) && missing < FLAT_FROM ? undefined : this.flatView(doc, units);
    const findings = flat ? this.run(flat.doc, flat.units, options, context, doc) : this.run(doc, units, options, context, doc);
    this.keep(doc.tree);
    // completion asks for the file's context on the document's own tree: known now for every unit
    if (flat) this.primeContext(doc, units);
    return findings;
  }

  /**
   * With nothing known yet, every unit is checked: on a flat copy of the tree that takes a third of
   * the time (parse/flatTree.ts). The two trees list the same units in the same order, so results
   * are kept under the unit ids of the document's own tree, where the next edit looks for them.
   */
  private flatView(doc: NixDocument, units: Units): { doc: NixDocument; units: Units } | undefined {
    const view = this.flatCopyOf(doc);
    const copied = view && unitsAlike(view, units, this.minUnits);
    return copied && { doc: view, units: copied };
  }

  /** The document over a flat copy of its tree-sitter tree, when this checker can make one. */
  private flatCopyOf(doc: NixDocument): NixDocument | undefined {
    const tree = doc.tree as Partial<WasmTree>;
    if (!this.copyFlat || !tree.copy) return undefined;
    return flatView(doc, this.copyFlat);
  }

  /** Check `doc` (the document, or a flat view of it) unit by unit; `real` is the document itself. */
  private run(doc: NixDocument, units: Units, options: Omit<DiagnosticOptions, 'context'>, context: (() => DiagnosticOptions['context']) | undefined, real: NixDocument): Finding[] {
    // each unit's position by node id
    const live = new Map<number, number>();
    for (let i = 0; i < units.count; i++) live.set(units.ids[i], i);
    this.forgetGone(live);
    this.prepareFacts(units, live);
    // the archive is read as if the header key stayed (it is known only once the context is): if it did not, everything is checked again
    let redo = this.recall(doc, units);

    this.primeContext(doc, units);
    // the workspace reads the document's facts (by the document itself) when asked for the context
    const facts = moduleFacts(doc, this.facts);
    if (real !== doc) rememberFacts(real, facts);
    // the workspace's second reading of this version (resolve.ts) takes what needs no evaluation from the memo (with this version's units)
    shareFactsMemo(real, { ...this.facts! }, this.minUnits);
    const ctx = ruleContext(doc, context?.());
    const all = activeRules(options);
    const local = all.filter(r => r.scope !== 'file');
    const key = headerKey(doc, units, ctx, local);
    if (key !== this.key) {
      this.forgetGone(new Map());
      this.key = key;
      redo = this.recall(doc, units);
    }

    const current = this.checkUnits(doc, units, local, ctx, redo);

    const header: NixDocument = withWindow(doc, { kind: 'header', container: units.container });
    const headerCtx: RuleContext = { ...ctx, outside: this.outside(units, live, current) };
    const inline = inlineIgnores(doc);
    const findings: Finding[] = [];
    for (const rule of all) {
      let found: RuleFinding[];
      if (rule.scope === 'file') found = rule.check(doc, ctx);
      else {
        found = rule.check(header, headerCtx);
        for (const id of this.totals.withFindings(rule.code)) found.push(...shift(this.results.get(id)!.findings.get(rule.code)!, units.starts[live.get(id)!]));
        for (const [id, r] of current.uncached) found.push(...shift(r.findings.get(rule.code) ?? [], units.starts[live.get(id)!]));
        // the syntax check stops at MAX_SYNTAX_ERRORS in the file's order, which the units' sum does not know: read whole
        if (rule === syntaxError && found.length >= MAX_SYNTAX_ERRORS) found = rule.check(doc, ctx);
      }
      findings.push(...toFindings(doc, rule, found, options, inline));
    }
    return findings;
  }

  /**
   * Work out the file's context (flake-parts, home-manager or NixOS) from what the units bind at
   * the top, known for every unit checked before: completion right after a keystroke asks for it,
   * and reading the top of a large file again would take longer than the completion itself.
   */
  primeContext(doc: NixDocument, units = unitsOf(doc, this.minUnits)): void {
    if (!units) return;
    primeFileContext({ uri: doc.uri, root: doc.tree.rootNode }, body => {
      if (parentOf(units.container)?.id !== body.id) return undefined;
      const top = this.totals.top();
      for (let i = 0; i < units.count; i++) {
        if (this.results.has(units.ids[i])) continue;
        const t = relevantTop(topNamesOf(units.node(i)));
        top.keys.push(...t.keys);
        top.paths.push(...t.paths);
      }
      return top;
    });
  }

  /** Forget everything (the document closed, or it has no units any more). */
  reset(): void {
    this.forgetUnits();
    this.syntax.reset();
  }

  private forgetUnits(): void {
    // the header key stays: what the archive holds is for it (see recall)
    this.forgetGone(new Map());
    this.header = '';
    this.facts = undefined;
    this.kept?.delete();
    this.kept = undefined;
  }

  /** Drop the results of units that are no longer in the tree (into the archive, with the facts they gave). */
  private forgetGone(live: ReadonlyMap<number, unknown>): void {
    for (const [id, r] of this.results) {
      if (live.has(id)) continue;
      this.results.delete(id);
      this.totals.remove(id, r);
      this.stash({ result: r, sinks: this.facts?.sinks.get(id), paths: this.facts?.paths.get(id) });
    }
  }

  private stash(a: Archived): void {
    this.archive.put(this.key, this.header, a.result.around, a, 2 * Math.max(this.unitCount, MIN_UNITS));
  }

  /** What the archive holds for a unit with this text and lines, made under this header key. */
  private archived(around: string): Archived | undefined {
    return this.archive.get(this.key, this.header, around);
  }

  /**
   * The units to look at in this version: those without a result, and their neighbours on the
   * same lines, whose fixes read those lines. Each gets its text's key (UnitResult.around); one
   * the archive knows takes its result and facts back. By unit index.
   */
  private recall(doc: NixDocument, units: Units): Map<number, string> {
    const { ids, starts, count } = units;
    // nothing kept by id (the header's text changed): guess the header key the archive's results for this text were
    // made under; run() checks everything again if the guess was wrong
    if (!this.results.size) this.key = this.archive.keyFor(this.header) ?? this.key;
    // the most it has had: a version that breaks apart (a stray quote) must not push out the units that come back
    this.unitCount = Math.max(this.unitCount, count);
    const changed: number[] = [];
    for (let i = 0; i < count; i++) if (!this.results.has(ids[i])) changed.push(i);
    const redo = neighbours(changed, count, j => onOneLine(doc.text, units.node(j).endIndex, starts[j + 1]));
    // units on the same lines share their surroundings: one hash per span of lines
    const spans = new Map<string, string>();
    const keys = new Map<number, string>();
    for (let i = 0; i < count; i++) {
      if (!redo[i]) continue;
      const id = ids[i];
      const around = surroundings(doc.text, doc.lines, units.node(i), spans);
      keys.set(i, around);
      const known = this.results.get(id);
      if (known?.around === around) continue;
      if (known) {
        this.results.delete(id);
        this.totals.remove(id, known);
      }
      const kept = this.archived(around);
      if (!kept) continue;
      this.results.set(id, kept.result);
      this.totals.add(id, kept.result);
      if (kept.sinks && !this.facts!.sinks.has(id)) this.facts!.sinks.set(id, kept.sinks);
      if (kept.paths && !this.facts!.paths.has(id)) this.facts!.paths.set(id, kept.paths);
    }
    return keys;
  }

  /** Check the units `recall` chose that still have no result. Results with a finding outside their unit are used for this version only. */
  private checkUnits(doc: NixDocument, units: Units, rules: readonly Rule[], ctx: RuleContext, redo: ReadonlyMap<number, string>): { uncached: Map<number, UnitResult> } {
    const uncached = new Map<number, UnitResult>();
    for (const [i, around] of redo) {
      // by the id in the list: a flat view's nodes have ids of their own
      const id = units.ids[i];
      if (this.results.has(id)) continue;
      const u = units.node(i);
      const r = checkUnit(withWindow(doc, { kind: 'unit', node: u, container: units.container }), u, rules, ctx, around);
      if (r.inside) {
        this.results.set(id, r);
        this.totals.add(id, r);
      } else uncached.set(id, r);
    }
    return { uncached };
  }

  private outside(units: Units, live: ReadonlyMap<number, number>, current: { uncached: Map<number, UnitResult> }): Outside {
    const extra = [...current.uncached.values()];
    return {
      container: units.container,
      usesBinding: (scope, name) => this.totals.refs.has(`b:${scope.startIndex}:${name}`) || extra.some(r => r.refs.has(`b:${scope.startIndex}:${name}`)),
      usesWith: env => this.totals.refs.has(`w:${env.startIndex}`) || extra.some(r => r.refs.has(`w:${env.startIndex}`)),
      sharingNames: () => {
        const total = (n: string) => (this.totals.bindings.get(n) ?? 0) + extra.reduce((k, r) => k + r.names.filter(x => x === n).length, 0);
        const shared = new Set<number>();
        for (const n of new Set([...this.totals.shared, ...extra.flatMap(r => r.names)])) {
          if (total(n) < 2) continue;
          this.totals.names.get(n)?.forEach(id => shared.add(id));
          for (const [id, r] of current.uncached) if (r.names.includes(n)) shared.add(id);
        }
        return [...shared].map(id => live.get(id)!).sort((a, b) => a - b).map(i => units.node(i));
      },
    };
  }

  /** The facts memo for this version: kept while the header's text stays (see check), pruned to the live units. */
  private prepareFacts(units: Units, live: ReadonlyMap<number, unknown>): void {
    if (!this.facts) {
      this.facts = { units, sinks: new Map(), paths: new Map(), hooked: { world: -1, sinks: new Map() } };
      return;
    }
    for (const map of [this.facts.sinks, this.facts.paths, this.facts.hooked!.sinks]) {
      for (const id of map.keys()) if (!live.has(id)) map.delete(id);
    }
    this.facts.units = units;
  }

  private keep(tree: Tree): void {
    this.kept?.delete();
    // a flat tree is never freed, so its ids stay meaningful without a copy
    const editable = tree as Partial<WasmTree>;
    this.kept = editable.copy ? editable.copy() : tree;
  }
}

/** Units to check or recall from this many on are read on a flat copy of the tree (it costs about what 300 units cost to check). */
const FLAT_FROM = 1000;

/** A result kept after its unit left the tree, with what the unit gave the file's facts (see FactsMemo). */
interface Archived {
  result: UnitResult;
  sinks?: Map<string, UnitSink>;
  paths?: UnitPaths;
}

/** What one unit holds, with offsets from the unit's start. */
interface UnitResult {
  /** The unit's text and the rest of its first and last lines (hashed): fixes read the lines they edit. */
  around: string;
  findings: Map<string, RuleFinding[]>;
  /** What it binds at the top that decides the file's context (flake-parts, home-manager). */
  top: TopNames;
  /** The names it binds in the container (for duplicates across units). */
  names: string[];
  /** What it refers to outside itself: `b:<scope start>:<name>` and `w:<with env start>`. */
  refs: Set<string>;
  /** Every finding and edit lies inside the unit, so the findings move with it. */
  inside: boolean;
}

/** Sums over the cached units, kept up to date as units come and go. */
class Totals {
  readonly refs = new Map<string, number>();
  /** Which units bind each name. */
  readonly names = new Map<string, Set<number>>();
  /** How many times each name is bound, and the names bound more than once. */
  readonly bindings = new Map<string, number>();
  readonly shared = new Set<string>();
  private readonly keys = new Map<string, number>();
  private readonly paths = new Map<string, number>();
  private readonly byRule = new Map<string, Set<number>>();

  add(id: number, r: UnitResult): void {
    this.change(id, r, 1);
  }

  remove(id: number, r: UnitResult): void {
    this.change(id, r, -1);
  }

  private change(id: number, r: UnitResult, by: 1 | -1): void {
    const bump = (m: Map<string, number>, k: string) => {
      const n = (m.get(k) ?? 0) + by;
      if (n) m.set(k, n);
      else m.delete(k);
    };
    r.refs.forEach(k => bump(this.refs, k));
    for (const n of r.names) {
      bump(this.bindings, n);
      if ((this.bindings.get(n) ?? 0) > 1) this.shared.add(n);
      else this.shared.delete(n);
    }
    for (const n of new Set(r.names)) {
      let ids = this.names.get(n);
      if (!ids) this.names.set(n, (ids = new Set()));
      if (by > 0) ids.add(id);
      else ids.delete(id);
      if (!ids.size) this.names.delete(n);
    }
    r.top.keys.forEach(k => bump(this.keys, k));
    r.top.paths.forEach(p => bump(this.paths, JSON.stringify(p)));
    for (const code of r.findings.keys()) {
      let ids = this.byRule.get(code);
      if (!ids) this.byRule.set(code, (ids = new Set()));
      if (by > 0) ids.add(id);
      else ids.delete(id);
    }
  }

  top(): TopNames {
    return { keys: [...this.keys.keys()], paths: [...this.paths.keys()].map(p => JSON.parse(p) as string[]) };
  }

  withFindings(code: string): ReadonlySet<number> {
    return this.byRule.get(code) ?? new Set();
  }
}

/**
 * Everything outside the units that what is found inside them may depend on: the text around
 * them, the file's name, what the rules are told about it, and which rules run. When it changes,
 * every unit is checked again.
 */
function headerKey(doc: NixDocument, units: Units, ctx: RuleContext, rules: readonly Rule[]): string {
  return JSON.stringify([
    doc.uri, ...headerText(doc, units), isGenerated(doc), ctx.pure, ctx.release, knowledgeId(ctx.knowledge), rules.map(r => r.code),
  ]);
}

/** The text before the first unit and after the last. */
function headerText(doc: NixDocument, units: Units): [string, string] {
  return [doc.text.slice(0, units.starts[0]), doc.text.slice(units.node(units.count - 1).endIndex)];
}

function checkUnit(view: NixDocument, unit: Node, rules: readonly Rule[], ctx: RuleContext, around: string): UnitResult {
  const findings = new Map<string, RuleFinding[]>();
  let inside = true;
  const within = (a: { start: number; end: number }) => a.start >= unit.startIndex && a.end <= unit.endIndex;
  for (const rule of rules) {
    const found = rule.check(view, ctx);
    if (!found.length) continue;
    inside &&= found.every(f => within(f) && (f.fixes ?? []).every(x => x.edits.every(within)));
    findings.set(rule.code, shift(found, -unit.startIndex));
  }
  // a copy: strings cut from node text share the whole text of this version and would keep it alive
  return structuredClone({ around, findings, top: relevantTop(topNamesOf(unit)), names: boundNames(unit), refs: refsOutside(view, unit, ctx), inside });
}

/** The names a unit binds at the container's level. */
function boundNames(unit: Node): string[] {
  if (unit.type === 'binding') {
    const first = attrsOf(unit.childForFieldName('attrpath'))[0];
    const name = first && staticAttrName(first);
    return name === undefined ? [] : [name];
  }
  if (unit.type === 'inherit' || unit.type === 'inherit_from') {
    return attrsOf(unit.childForFieldName('attrs')).map(staticAttrName).filter((n): n is string => n !== undefined);
  }
  return [];
}

/** The bindings and `with`s outside the unit that names read inside it resolve to. */
function refsOutside(view: NixDocument, unit: Node, ctx: RuleContext): Set<string> {
  const refs = new Set<string>();
  const add = (n: Node) => {
    const r = resolveName(n, ctx.scopes);
    if (r.kind === 'local' && r.binding.scope.startIndex < unit.startIndex) refs.add(`b:${r.binding.scope.startIndex}:${r.binding.name}`);
    if (r.kind === 'with') for (const env of r.envs) if (env.startIndex < unit.startIndex) refs.add(`w:${env.startIndex}`);
  };
  for (const ident of nodesIn(view, 'identifier')) if (isReference(ident)) add(ident);
  // `inherit "quoted";` reads the name too
  for (const attrs of nodesIn(view, 'inherited_attrs')) {
    if (parentOf(attrs)?.type !== 'inherit') continue;
    for (const attr of attrsOf(attrs)) if (attr.type !== 'identifier' && staticAttrName(attr) !== undefined) add(attr);
  }
  return refs;
}


const knowledgeIds = new WeakMap<object, number>();
let nextKnowledgeId = 1;

function knowledgeId(k: object | undefined): number {
  if (!k) return 0;
  let id = knowledgeIds.get(k);
  if (!id) knowledgeIds.set(k, (id = nextKnowledgeId++));
  return id;
}
