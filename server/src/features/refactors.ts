import { isReference, lookup, recReadsItself, resolveName, ScopeCache, type Resolution } from '../analysis/scopes';
import { attrsOf, bindingSetOf, plainString, staticAttrName } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import { descendants, isIdentifier, KEYWORDS } from '../parse/syntaxTree';
import { indentAt, removeRecEdit, removeSpan } from '../rules/edits';
import type { Edit } from '../rules/types';
import { stringRefactors } from './stringRefactor';

export interface Refactor {
  title: string;
  kind: 'refactor.rewrite' | 'refactor.extract';
  edits: Edit[];
}

/**
 * Rewrites that keep what the code means, offered where the cursor (or selection) is: nest or
 * flatten a set, inherit, rec, quoted names, string forms, and extracting a selection into a let.
 */
export function refactors(doc: NixDocument, start: number, end: number): Refactor[] {
  const at = doc.tree.rootNode.descendantForIndex(start, Math.max(start, end));
  if (!at) return [];
  const out: Refactor[] = [];
  const binding = enclosing(at, 'binding');
  const onKey = binding && withinNode(binding.childForFieldName('attrpath'), start);
  if (binding && onKey) out.push(...[pack(binding), packAll(doc, binding), flatten(doc, binding), toInherit(binding)].filter((r): r is Refactor => !!r));
  const inherit = enclosing(at, 'inherit') ?? enclosing(at, 'inherit_from');
  if (inherit) out.push(...[fromInherit(inherit)].filter((r): r is Refactor => !!r));
  const set = setUnderCursor(at);
  if (set) out.push(...[addRec(set), removeRec(doc, set)].filter((r): r is Refactor => !!r));
  // on a name, the cursor may stand just after it
  const name = quoting(at) ?? (start === end && start > 0 ? quoting(doc.tree.rootNode.descendantForIndex(start - 1, start - 1)) : undefined);
  if (name) out.push(name);
  out.push(...stringRefactors(doc, at));
  if (at.type === 'uri_expression') out.push(rewrite(`Write the URL as a string: "${at.text}"`, at, `"${at.text}"`));
  if (end > start) {
    const extracted = extract(doc, start, end);
    if (extracted) out.push(extracted);
  }
  return out;
}

/** The nearest ancestor of `type`, not past a scope or another binding. */
function enclosing(node: Node, type: string): Node | undefined {
  for (let n: Node | null = node; n; n = parentOf(n)) {
    if (n.type === type) return n;
    if (n.type === 'binding_set' || n.type === 'source_code') return undefined;
  }
  return undefined;
}

const withinNode = (n: Node | null, offset: number) => !!n && offset >= n.startIndex && offset <= n.endIndex;

function rewrite(title: string, node: Node, newText: string): Refactor {
  return { title, kind: 'refactor.rewrite', edits: [{ start: node.startIndex, end: node.endIndex, newText }] };
}

/** `a.b.c = x;` -> `a = { b.c = x; };`, unless the set also has `a = …;` (two sets for one name do not merge). */
function pack(binding: Node): Refactor | undefined {
  const attrs = attrsOf(binding.childForFieldName('attrpath'));
  const value = binding.childForFieldName('expression');
  if (attrs.length < 2 || !value) return undefined;
  const first = attrs[0].text;
  const siblings = parentOf(binding)?.namedChildren ?? [];
  const plain = siblings.some(b => b?.type === 'binding' && b.id !== binding.id && b.childForFieldName('attrpath')?.text === first);
  if (plain) return undefined;
  const rest = innerPath(attrs.slice(1));
  return rewrite(`Nest as ${first} = { ${rest} = …; }`, binding, `${first} = { ${rest} = ${value.text}; };`);
}

/** The names after the first of a binding's path, as the inner binding writes them: a keyword there (`a.in`) is quoted (`"in" = …`). */
function innerPath(attrs: readonly Node[]): string {
  return attrs.map((a, i) => (i === 0 && KEYWORDS.has(a.text) ? `"${a.text}"` : a.text)).join('.');
}

/**
 * `a.b = 1; a.c.d = 2;` (two or more bindings under one first name, none of them `a = …`) ->
 * `a = { b = 1; c.d = 2; };` at the first one's place.
 */
function packAll(doc: NixDocument, binding: Node): Refactor | undefined {
  const first = attrsOf(binding.childForFieldName('attrpath'))[0];
  const name = first && staticAttrName(first);
  if (name === undefined) return undefined;
  const siblings = (parentOf(binding)?.namedChildren ?? []).filter((b): b is Node => !!b);
  const group: Node[] = [];
  for (const b of siblings) {
    if (b.type !== 'binding') continue;
    const attrs = attrsOf(b.childForFieldName('attrpath'));
    if (!attrs.length || staticAttrName(attrs[0]) !== name) continue;
    // `a = …;` beside them: two sets for one name do not merge
    if (attrs.length < 2 || !b.childForFieldName('expression')) return undefined;
    group.push(b);
  }
  if (group.length < 2) return undefined;
  const indent = indentAt(doc, group[0].startIndex);
  const inner = group.map(b => {
    return `${indent}  ${innerPath(attrsOf(b.childForFieldName('attrpath')).slice(1))} = ${b.childForFieldName('expression')!.text};`;
  });
  const edits: Edit[] = [{ start: group[0].startIndex, end: group[0].endIndex, newText: `${first.text} = {\n${inner.join('\n')}\n${indent}};` }];
  for (const b of group.slice(1)) edits.push(removeSpan(doc, b.startIndex, b.endIndex));
  return { title: `Pack the ${group.length} ${name}.… bindings into ${name} = { … }`, kind: 'refactor.rewrite', edits };
}

/** `a = { b = 1; c.d = 2; };` -> `a.b = 1; a.c.d = 2;` (a set with inherits or comments stays). */
function flatten(doc: NixDocument, binding: Node): Refactor | undefined {
  const value = binding.childForFieldName('expression');
  const key = binding.childForFieldName('attrpath');
  if (value?.type !== 'attrset_expression' || !key) return undefined;
  const inner = bindingSetOf(value)?.namedChildren ?? [];
  if (!inner.length || inner.some(b => b?.type !== 'binding')) return undefined;
  if ([...descendants(value)].some(n => n.type === 'comment')) return undefined;
  const lines = inner.map(b => `${key.text}.${b!.text}`);
  return rewrite(`Flatten into ${key.text}.… bindings`, binding, lines.join(`\n${indentAt(doc, binding.startIndex)}`));
}

/** `x = x;` in a plain set -> `inherit x;`; `x = s.x;` -> `inherit (s) x;`. */
function toInherit(binding: Node): Refactor | undefined {
  const attrs = attrsOf(binding.childForFieldName('attrpath'));
  const value = binding.childForFieldName('expression');
  if (attrs.length !== 1 || attrs[0].type !== 'identifier' || !value) return undefined;
  const name = attrs[0].text;
  const owner = parentOf(parentOf(binding));
  // in let and rec, `x = x;` is x itself (a loop) while `inherit x;` reads the x outside
  if (value.type === 'variable_expression' && value.text === name && owner?.type === 'attrset_expression') {
    return rewrite(`Use inherit ${name}`, binding, `inherit ${name};`);
  }
  if (value.type !== 'select_expression' || value.childForFieldName('default')) return undefined;
  const path = attrsOf(value.childForFieldName('attrpath'));
  const last = path[path.length - 1];
  const base = value.childForFieldName('expression');
  if (!base || last?.type !== 'identifier' || last.text !== name) return undefined;
  const from = [base.text, ...path.slice(0, -1).map(a => a.text)].join('.');
  return rewrite(`Use inherit (${from}) ${name}`, binding, `inherit (${from}) ${name};`);
}

/** `inherit a b;` in a plain set -> `a = a; b = b;`; `inherit (s) a;` -> `a = s.a;`. */
function fromInherit(inherit: Node): Refactor | undefined {
  const names = inherit.childForFieldName('attrs')?.childrenForFieldName('attr') ?? [];
  // `inherit in;` (a keyword, which Nix rejects anyway) cannot become `in = in;`
  if (!names.length || names.some(n => n?.type !== 'identifier' || KEYWORDS.has(n.text))) return undefined;
  const src = inherit.childForFieldName('expression');
  const owner = parentOf(parentOf(inherit));
  if (!src && owner?.type !== 'attrset_expression') return undefined;
  const left = src && (src.type === 'variable_expression' || src.type === 'select_expression' ? src.text : `(${src.text})`);
  const text = names.map(n => `${n!.text} = ${left ? `${left}.${n!.text}` : n!.text};`).join(' ');
  return rewrite('Write the inherited names as bindings', inherit, text);
}

/** The set whose `{` or `rec` the cursor is on. */
function setUnderCursor(at: Node): Node | undefined {
  const set = at.type === '{' || at.type === 'rec' ? parentOf(at) : at;
  return set?.type === 'attrset_expression' || set?.type === 'rec_attrset_expression' ? set : undefined;
}

/** `{ … }` -> `rec { … }`, unless a name inside would then mean one of the set's own attributes. */
function addRec(set: Node): Refactor | undefined {
  if (set.type !== 'attrset_expression') return undefined;
  const own = new Set<string>();
  for (const b of bindingSetOf(set)?.namedChildren ?? []) {
    const first = b?.type === 'binding' ? attrsOf(b.childForFieldName('attrpath'))[0] : undefined;
    const name = first && staticAttrName(first);
    if (name !== undefined) own.add(name);
    if (b?.type === 'inherit' || b?.type === 'inherit_from') for (const a of b.childForFieldName('attrs')?.childrenForFieldName('attr') ?? []) if (a) own.add(a.text);
  }
  const cache = new ScopeCache();
  for (const n of descendants(set)) {
    if (n.type !== 'identifier' || !own.has(n.text) || !isReference(n)) continue;
    // this set's own `inherit x;` reads from outside, rec or not
    if (parentOf(n)?.type === 'inherited_attrs' && parentOf(parentOf(parentOf(n)))?.id === bindingSetOf(set)?.id) continue;
    const r = lookup(n, n.text, cache);
    const inside = r.kind === 'local' && r.binding.scope.startIndex >= set.startIndex && r.binding.scope.endIndex <= set.endIndex;
    if (!inside) return undefined;
  }
  return { title: 'Make the set recursive (rec)', kind: 'refactor.rewrite', edits: [{ start: set.startIndex, end: set.startIndex, newText: 'rec ' }] };
}

/** `rec { … }` -> `{ … }` when nothing in it reads its own names. */
function removeRec(doc: NixDocument, set: Node): Refactor | undefined {
  if (set.type !== 'rec_attrset_expression') return undefined;
  const edit = removeRecEdit(doc, set);
  if (!edit || recReadsItself(set)) return undefined;
  return { title: 'Make the set non-recursive (remove rec)', kind: 'refactor.rewrite', edits: [edit] };
}

/** Quote an attribute name, or unquote one that is a plain name. */
function quoting(at: Node | null): Refactor | undefined {
  if (!at) return undefined;
  const attr = at.type === 'string_fragment' ? parentOf(at) : at;
  if (!attr || parentOf(attr)?.type !== 'attrpath') return undefined;
  if (attr.type === 'identifier') return rewrite(`Quote the name: "${attr.text}"`, attr, `"${attr.text}"`);
  const value = attr.type === 'string_expression' ? plainString(attr) : undefined;
  if (value !== undefined && isIdentifier(value)) return rewrite(`Unquote the name: ${value}`, attr, value);
  return undefined;
}

/** Where an expression can become `let name = …; in …` without anything between changing scope. */
const LET_PLACES = new Map([['binding', 'expression'], ['function_expression', 'body'], ['let_expression', 'body'], ['with_expression', 'body'], ['assert_expression', 'body'], ['source_code', 'expression']]);

/** The selected expression becomes a let binding just around the value, body or file that holds it. */
function extract(doc: NixDocument, start: number, end: number): Refactor | undefined {
  while (start < end && /\s/.test(doc.text[start])) start++;
  while (end > start && /\s/.test(doc.text[end - 1])) end--;
  let node: Node | null = doc.tree.rootNode.descendantForIndex(start, end);
  // `hello` selected is an identifier inside a variable: take the largest node with the same text
  for (let up = node && parentOf(node); up && up.startIndex === start && up.endIndex === end; up = parentOf(up)) node = up;
  if (!node || node.startIndex !== start || node.endIndex !== end || !/_expression$/.test(node.type) || node.hasError) return undefined;
  // the place the let goes: the nearest value, body or file around the selection
  let place: Node | undefined;
  for (let child: Node = node, up = parentOf(node); up; child = up, up = parentOf(up)) {
    const field = LET_PLACES.get(up.type);
    if (field && up.childForFieldName(field)?.id === child.id) {
      place = child;
      break;
    }
  }
  if (!place) return undefined;
  // every name the selection reads must mean the same where the let goes (not a formal of a function in between)
  const cache = new ScopeCache();
  for (const n of descendants(node)) {
    if (n.type !== 'identifier' || !isReference(n)) continue;
    const now = resolveName(n, cache);
    if (now.kind === 'local' && now.binding.scope.startIndex >= start && now.binding.scope.endIndex <= end) continue;
    const there = lookup(place, n.text, cache);
    if (!sameMeaning(now, there)) return undefined;
  }
  const used = new Set([...descendants(place)].filter(n => n.type === 'identifier').map(n => n.text));
  let name = 'value';
  for (let i = 2; used.has(name); i++) name = `value${i}`;
  const before = doc.text.slice(place.startIndex, start);
  const after = doc.text.slice(end, place.endIndex);
  const selected = doc.text.slice(start, end);
  return {
    title: `Extract into a let binding (${name})`,
    kind: 'refactor.extract',
    edits: [{ start: place.startIndex, end: place.endIndex, newText: `let ${name} = ${selected}; in ${before}${name}${after}` }],
  };
}

function sameMeaning(a: Resolution, b: Resolution): boolean {
  if (a.kind === 'local' && b.kind === 'local') return a.binding.node.id === b.binding.node.id;
  if (a.kind === 'with' && b.kind === 'with') return a.envs.length === b.envs.length && a.envs.every((e, i) => e.id === b.envs[i].id);
  return a.kind === b.kind && a.kind !== 'unknown';
}
