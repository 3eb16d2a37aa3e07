import * as path from 'path';
import { fileURLToPath } from 'url';
import { withWindow, type NixDocument } from '../parse/documents';
import { nodesIn, windowText } from '../parse/nodeIndex';
import { unitsAlike } from '../parse/units';
import { flakeInputs } from './flakeInputs';
import { calledName, fileContext, outermostApply, SYSTEM_CALL, systemBuilder } from './moduleContext';
import { ScopeCache } from './scopes';
import { START, Walker, type FactsMemo, type WalkHooks } from './definitionWalker';
import { emptySink, type ImportCall, type ModuleFacts } from './facts';
import { importArgs, isEvaluated, moduleLike, relativePath, systemName } from './fileRefs';

export type { FactsMemo } from './definitionWalker';
export type { Definition, ModuleFacts, OptionSet, Span, SystemFacts, Value } from './facts';

export function filePathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** Facts are worked out once per document version. */
const factsOf = new WeakMap<NixDocument, ModuleFacts>();

export function moduleFacts(doc: NixDocument, memo?: FactsMemo): ModuleFacts {
  let facts = factsOf.get(doc);
  if (!facts) factsOf.set(doc, (facts = readFacts(doc, memo)));
  return facts;
}

/** Per open document version: the units memo its diagnostics keep (features/incrementalDiagnostics.ts). */
const sharedMemos = new WeakMap<NixDocument, { memo: FactsMemo; minUnits: number }>();

/** Offer the memo the first reading of this version used to a second reading (resolve.ts). */
export function shareFactsMemo(doc: NixDocument, memo: FactsMemo, minUnits: number): void {
  sharedMemos.set(doc, { memo, minUnits });
}

/**
 * The shared memo of `doc`, for `view` (the same text over a flat copy of its tree): the units that
 * read alike with and without hooks are taken from it by the second reading.
 */
export function sharedFactsMemo(doc: NixDocument, view: NixDocument): FactsMemo | undefined {
  const shared = sharedMemos.get(doc);
  if (!shared || shared.memo.units.count === 0) return undefined;
  const units = view === doc ? shared.memo.units : unitsAlike(view, shared.memo.units, shared.minUnits);
  return units && { ...shared.memo, units };
}

/** The facts of `doc`, worked out on another view of the same text (a flat copy of its tree). */
export function rememberFacts(doc: NixDocument, facts: ModuleFacts): void {
  factsOf.set(doc, facts);
}

/**
 * A file's facts read again with `hooks` into evaluation (resolve.ts): what the first reading
 * could not see (computed module lists and names, option values from imports, conditions on
 * computed options) asked of the evaluator where it is written.
 */
export function factsWithHooks(doc: NixDocument, hooks: WalkHooks, scopes: ScopeCache, memo?: FactsMemo): ModuleFacts {
  return readFacts(doc, memo, hooks, scopes);
}

function readFacts(doc: NixDocument, memo: FactsMemo | undefined, hooks?: WalkHooks, scopes = new ScopeCache()): ModuleFacts {
  const file = filePathOf(doc.uri);
  const root = doc.tree.rootNode.childForFieldName('expression');
  const top = fileContext({ uri: doc.uri, root: doc.tree.rootNode });
  const walker = new Walker(file, scopes, memo, hooks);
  const facts: ModuleFacts = {
    file,
    set: top.kind === 'module' ? top.set : undefined,
    moduleLike: top.kind === 'module' && !!root && moduleLike(root),
    ...emptySink(),
    systems: [],
    evaluates: [],
  };
  if (root) walker.walk(root, top, START, facts);
  const dir = path.dirname(file);
  /** nixosSystem calls and the files paths make Nix evaluate, in the document or one window of it. */
  const scan = (view: NixDocument) => {
    const evaluated: string[] = [];
    let systems = false;
    // nixosSystem calls are rare: a unit without the name has none
    if (!memo || SYSTEM_CALL.test(windowText(view))) {
      for (const call of nodesIn(view, 'apply_expression')) {
        const name = calledName(call);
        const set = systemBuilder(name);
        if (!set || outermostApply(call).id !== call.id) continue;
        facts.systems.push(walker.system(call, set, systemName(call, doc)));
        systems = true;
      }
    }
    const calls: ImportCall[] = [];
    // a flake's `import self { … }` evaluates the flake's own default.nix
    const selves = path.basename(file) === 'flake.nix' ? nodesIn(view, 'variable_expression').filter(v => v.text === 'self') : [];
    for (const p of [...nodesIn(view, 'path_expression'), ...selves]) {
      const target = p.type === 'variable_expression' ? dir : relativePath(p, dir);
      if (!target || !isEvaluated(p)) continue;
      evaluated.push(target);
      const args = importArgs(p);
      if (args !== undefined) calls.push({ target, args });
    }
    return { evaluated, systems, calls };
  };
  const calls: ImportCall[] = [];
  const note = (found: { evaluated: string[]; calls?: ImportCall[] }) => {
    found.evaluated.forEach(t => walker.evaluates.add(t));
    if (found.calls) calls.push(...found.calls);
  };
  if (!memo) note(scan(doc));
  else {
    note(scan(withWindow(doc, { kind: 'header', container: memo.units.container })));
    const { units } = memo;
    for (let i = 0; i < units.count; i++) {
      let known = memo.paths.get(units.ids[i]);
      // a unit with a nixosSystem call is scanned every time: a call bound to no name is named by its line
      if (!known || known.systems) {
        known = structuredClone(scan(withWindow(doc, { kind: 'unit', node: units.node(i), container: units.container })));
        memo.paths.set(units.ids[i], known);
      }
      note(known);
    }
  }
  if (calls.length) facts.calls = calls;
  facts.systems.sort((a, b) => a.span.start - b.span.start);
  facts.evaluates = [...walker.evaluates];
  if (path.basename(file) === 'flake.nix' && root) facts.inputs = flakeInputs(root);
  return facts;
}

export type { Declaration, ModuleRef, Opaque } from './facts';
