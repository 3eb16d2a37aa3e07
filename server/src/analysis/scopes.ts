import type { Node, Tree } from '../parse/language';
import { attrsOf, bindingSetOf, staticAttrName } from '../parse/attrNames';
import { descendants } from '../parse/syntaxTree';
import { hasParentIndex, indexParents, MAX_CLIMB, parentOf, REMEMBER_FROM } from '../parse/nodeIndex';

/**
 * Lexical scopes, worked out over the tree: let (recursive), rec { }, function arguments and
 * `with`. Lexical names always win over `with`, however far out they are, as in Nix itself.
 */
export interface LocalBinding {
  name: string;
  kind: 'let' | 'rec' | 'formal' | 'argument' | 'inherit';
  /** The identifier that introduces the name. */
  node: Node;
  /** The value when it is written at the binding (`name = value`, a formal's default). */
  value?: Node;
  /** For `inherit (src) name`: src. */
  from?: Node;
  scope: Node;
}

/** `unknown`: nested too deep to climb to every scope (see MAX_CLIMB). */
export type Resolution = { kind: 'local'; binding: LocalBinding } | { kind: 'with'; envs: Node[] } | { kind: 'free' } | { kind: 'unknown' };

const SCOPE_TYPES = new Set(['let_expression', 'let_attrset_expression', 'rec_attrset_expression', 'function_expression']);

/** The single name a binding defines (`a = …;`), or undefined for `a.b = …;` and computed names. */
function soleName(binding: Node): string | undefined {
  const attrs = attrsOf(binding.childForFieldName('attrpath'));
  return attrs.length === 1 ? staticAttrName(attrs[0]) : undefined;
}

/**
 * `{ a = rec { … }; a.c = d + 3; }`: Nix merges the later `a.c` into the rec set, in its scope;
 * with an `a.x` before the rec set, the set is merged into a plain one and stops being recursive.
 * For a rec set bound as `a = rec { … }`: is it still recursive, and which later bindings join it.
 */
function mergedInto(rec: Node): { recursive: boolean; joined: Node[] } {
  const binding = parentOf(rec);
  const set = parentOf(binding);
  const name = binding?.type === 'binding' && binding.childForFieldName('expression')?.id === rec.id ? soleName(binding) : undefined;
  if (!binding || !set || name === undefined) return { recursive: true, joined: [] };
  const extending = setIndex(set).extending.get(name) ?? [];
  return {
    recursive: !extending.some(b => b.startIndex < binding.startIndex),
    joined: extending.filter(b => b.startIndex > binding.startIndex),
  };
}

/** What one binding set holds, found in one pass over it and kept per tree (sets can be huge). */
interface SetIndex {
  /** Rec sets bound by a single name (`a = rec { … }`), the first one per name. */
  recs: Map<string, Node>;
  /** Bindings with a dotted path (`a.c = …`), by their first name. */
  extending: Map<string, Node[]>;
}

const setIndexes = new WeakMap<Tree, Map<number, SetIndex>>();

function setIndex(set: Node): SetIndex {
  let byTree = setIndexes.get(set.tree);
  if (!byTree) setIndexes.set(set.tree, (byTree = new Map()));
  let index = byTree.get(set.id);
  if (!index) {
    index = { recs: new Map(), extending: new Map() };
    for (const b of set.namedChildren) {
      if (b?.type !== 'binding') continue;
      const attrs = attrsOf(b.childForFieldName('attrpath'));
      const first = attrs.length ? staticAttrName(attrs[0]) : undefined;
      if (first === undefined) continue;
      if (attrs.length >= 2) {
        const list = index.extending.get(first);
        if (list) list.push(b);
        else index.extending.set(first, [b]);
        continue;
      }
      const value = b.childForFieldName('expression');
      if (value?.type === 'rec_attrset_expression' && !index.recs.has(first)) index.recs.set(first, value);
    }
    byTree.set(set.id, index);
  }
  return index;
}

/** The names a scope node introduces. */
export function scopeBindings(scope: Node): LocalBinding[] {
  const out: LocalBinding[] = [];
  if (scope.type === 'function_expression') {
    const universal = scope.childForFieldName('universal');
    if (universal) out.push({ name: universal.text, kind: 'argument', node: universal, scope });
    for (const formal of scope.childForFieldName('formals')?.childrenForFieldName('formal') ?? []) {
      const name = formal?.childForFieldName('name');
      if (formal && name) out.push({ name: name.text, kind: 'formal', node: name, value: formal.childForFieldName('default') ?? undefined, scope });
    }
    return out;
  }
  const kind = scope.type === 'let_expression' ? 'let' : 'rec';
  const merge = scope.type === 'rec_attrset_expression' ? mergedInto(scope) : undefined;
  if (merge && !merge.recursive) return out;
  for (const b of merge?.joined ?? []) {
    const second = attrsOf(b.childForFieldName('attrpath'))[1];
    const name = second && staticAttrName(second);
    if (name !== undefined && second) out.push({ name, kind, node: second, scope });
  }
  for (const b of bindingSetOf(scope)?.namedChildren ?? []) {
    if (!b) continue;
    if (b.type === 'binding') {
      const first = attrsOf(b.childForFieldName('attrpath'))[0];
      const name = first && staticAttrName(first);
      if (name !== undefined && first) out.push({ name, kind, node: first, value: b.childForFieldName('expression') ?? undefined, scope });
    } else if (b.type === 'inherit' || b.type === 'inherit_from') {
      const from = b.childForFieldName('expression') ?? undefined;
      for (const attr of b.childForFieldName('attrs')?.childrenForFieldName('attr') ?? []) {
        const name = attr && staticAttrName(attr);
        if (attr && name !== undefined) out.push({ name, kind: 'inherit', node: attr, from, scope });
      }
    }
  }
  return out;
}

/** Does `child` (a direct child of `scope`) see the names `scope` introduces? */
function seesScope(scope: Node, child: Node): boolean {
  if (scope.type === 'function_expression') {
    // The argument's own name and `args@` are not in scope of themselves; body and defaults are.
    return child.type !== 'identifier';
  }
  return true;
}

/** Cache of scope bindings for one analysis pass. */
export class ScopeCache {
  private readonly cache = new Map<number, LocalBinding[]>();
  /** resolveName's answers by identifier, for the rules that each resolve every name. */
  readonly resolved = new Map<number, Resolution>();
  of(scope: Node): LocalBinding[] {
    let b = this.cache.get(scope.id);
    if (!b) this.cache.set(scope.id, (b = scopeBindings(scope)));
    return b;
  }
}

/** An ancestor `enclosing` looks at, and the node just below it on the way up. */
interface Stop {
  at: Node;
  child: Node;
}

/** Per tree: from a node (exclusive), the nearest ancestor that can bring names into scope. */
const stops = new WeakMap<Tree, Map<number, Stop | null>>();

/**
 * The next ancestor above `from` that is a `with`, a scope or a binding. Every node climbed over
 * on the way shares the answer, so it is remembered for all of them: names inside 50,000 nested
 * applications or lists each climbed all the way up.
 */
function nextStop(from: Node): Stop | null {
  let known = stops.get(from.tree);
  if (!known) stops.set(from.tree, (known = new Map()));
  // without an index every step up is a search from the root: past MAX_CLIMB the tree is indexed
  // once and the climb goes on (the answer is the same whether or not anything indexed it before)
  let limit = hasParentIndex(from.tree) ? Infinity : MAX_CLIMB;
  const climbed: number[] = [];
  let answer: Stop | null = null;
  for (let child = from; ;) {
    if (climbed.length >= limit) {
      indexParents(from.tree);
      limit = Infinity;
    }
    const seen = known.get(child.id);
    if (seen !== undefined) {
      answer = seen;
      break;
    }
    climbed.push(child.id);
    const up = parentOf(child);
    if (!up) break;
    if (up.type === 'with_expression' || up.type === 'binding' || SCOPE_TYPES.has(up.type)) {
      answer = { at: up, child };
      break;
    }
    child = up;
  }
  // only a long climb is worth remembering: real code climbs a few steps, and a map entry per
  // climbed node of every tree a checker keeps cost the CLI 60 MB
  if (climbed.length >= REMEMBER_FROM) for (const id of climbed) known.set(id, answer);
  return answer;
}

/** From `start` outwards: the scopes whose names it sees, and the `with` sets around it. */
function* enclosing(start: Node): Generator<{ scope: Node } | { withEnv: Node } | { tooDeep: true }> {
  for (let stop = nextStop(start), i = 0; stop; stop = nextStop(stop.at), i++) {
    if (i >= MAX_CLIMB) {
      yield { tooDeep: true };
      return;
    }
    const { at: scope, child } = stop;
    if (scope.type === 'with_expression') {
      const env = scope.childForFieldName('environment');
      if (env && env.id !== child.id) yield { withEnv: env };
    } else if (SCOPE_TYPES.has(scope.type) && seesScope(scope, child)) {
      yield { scope };
    } else if (scope.type === 'binding' && child.type !== 'attrpath') {
      const rec = joinedRec(scope);
      if (rec) yield { scope: rec };
    }
  }
}

/** `a.c = …` after `a = rec { … }` in the same set: the value is evaluated in the rec set's scope. */
function joinedRec(binding: Node): Node | undefined {
  // only a dotted name (`a.c = …`) can join a rec set: look at the set's index only then
  const attrs = attrsOf(binding.childForFieldName('attrpath'));
  const name = attrs.length >= 2 ? staticAttrName(attrs[0]) : undefined;
  const set = name === undefined ? undefined : parentOf(binding);
  if (set?.type !== 'binding_set') return undefined;
  const rec = setIndex(set).recs.get(name!);
  return rec && rec.startIndex < binding.startIndex && mergedInto(rec).recursive ? rec : undefined;
}

/**
 * The scopes a name read at `at` is looked up in, innermost first; `undefined` when nested too
 * deep to know. Rename asks which of two scopes comes first.
 */
export function scopesAround(at: Node): Node[] | undefined {
  const out: Node[] = [];
  for (const e of enclosing(readFrom(at))) {
    if ('tooDeep' in e) return undefined;
    if ('scope' in e) out.push(e.scope);
  }
  return out;
}

/** Everything visible at `at`: local names (innermost first, shadowed ones dropped) and `with` sets. */
export function visibleAt(at: Node, cache = new ScopeCache()): { bindings: LocalBinding[]; withEnvs: Node[] } {
  const seen = new Set<string>();
  const bindings: LocalBinding[] = [];
  const withEnvs: Node[] = [];
  for (const e of enclosing(at)) {
    if ('tooDeep' in e) break;
    if ('withEnv' in e) {
      withEnvs.push(e.withEnv);
      continue;
    }
    for (const b of cache.of(e.scope)) {
      if (seen.has(b.name)) continue;
      seen.add(b.name);
      bindings.push(b);
    }
  }
  return { bindings, withEnvs };
}

/** What a variable (or an `inherit name;` attribute) refers to. */
export function resolveName(ident: Node, cache = new ScopeCache()): Resolution {
  let known = cache.resolved.get(ident.id);
  if (!known) cache.resolved.set(ident.id, (known = resolveUncached(ident, cache)));
  return known;
}

function resolveUncached(ident: Node, cache: ScopeCache): Resolution {
  return lookup(ident, ident.text, cache);
}

/** Where a name read at `node` is looked up from: `inherit x;` inside let or rec takes x from outside that scope. */
function readFrom(node: Node): Node {
  const inheritNode = parentOf(parentOf(node));
  if (inheritNode?.type === 'inherit') {
    const owner = parentOf(parentOf(inheritNode));
    if (owner && owner.type !== 'attrset_expression') return owner;
  }
  return node;
}

/** What `name`, read at `node`, refers to: for identifiers and for quoted names (`inherit "x";`). */
export function lookup(node: Node, name: string, cache = new ScopeCache()): Resolution {
  const withEnvs: Node[] = [];
  for (const e of enclosing(readFrom(node))) {
    if ('tooDeep' in e) return { kind: 'unknown' };
    if ('withEnv' in e) {
      withEnvs.push(e.withEnv);
      continue;
    }
    // A rec set's names are seen by its values, not by its keys.
    const found = cache.of(e.scope).find(b => b.name === name);
    if (found) return { kind: 'local', binding: found };
  }
  return withEnvs.length ? { kind: 'with', envs: withEnvs } : { kind: 'free' };
}

/** Identifiers that read a name: variables, and the names of `inherit` without a source. */
export function isReference(ident: Node): boolean {
  const p = parentOf(ident);
  if (p?.type === 'variable_expression') return true;
  return p?.type === 'inherited_attrs' && parentOf(p)?.type === 'inherit';
}

/** The definition and every reference of a local binding, in document order. */
export function occurrences(binding: LocalBinding): Node[] {
  const cache = new ScopeCache();
  const out: Node[] = [];
  for (const n of inScope(binding.scope)) {
    if (n.type !== 'identifier' || n.text !== binding.name) continue;
    if (n.id === binding.node.id) {
      out.push(n);
      continue;
    }
    if (!isReference(n)) continue;
    const r = resolveName(n, cache);
    if (r.kind === 'local' && r.binding.node.id === binding.node.id) out.push(n);
  }
  return out;
}

/**
 * Every node that can see a scope's names: the scope's own, and for a rec set bound as
 * `a = rec { … }`, the later `a.c = …` bindings that Nix merges into it.
 */
export function* inScope(scope: Node): Generator<Node> {
  yield* descendants(scope);
  if (scope.type !== 'rec_attrset_expression') return;
  for (const joined of mergedInto(scope).joined) yield* descendants(joined);
}

/** The binding an identifier defines, if it is a definition site. */
export function bindingDefinedBy(ident: Node, cache = new ScopeCache()): LocalBinding | undefined {
  for (let scope = parentOf(ident), i = 0; scope && i < MAX_CLIMB; scope = parentOf(scope), i++) {
    // The nearest scope is the only one that can own a name written inside it.
    if (SCOPE_TYPES.has(scope.type)) return cache.of(scope).find(x => x.node.id === ident.id);
  }
  return undefined;
}

/**
 * Does anything inside a rec set (or merged into it: `a.c = b;`) read one of its own names? One
 * pass that stops at the first such name.
 */
export function recReadsItself(set: Node, cache = new ScopeCache()): boolean {
  for (const n of inScope(set)) {
    if (n.type !== 'identifier' || !isReference(n)) continue;
    const r = resolveName(n, cache);
    if (r.kind === 'local' && r.binding.scope.id === set.id) return true;
  }
  return false;
}
