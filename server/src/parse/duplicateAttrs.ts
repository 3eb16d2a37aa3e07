import type { Node } from './language';
import { attrsOf, bindingSetOf, staticAttrName } from './attrNames';
import { unparenthesize } from './syntaxTree';

/**
 * Nix rejects, while parsing, an attribute defined twice in one set, let or rec. Two definitions
 * of the same name are fine only when both are attribute set literals (or paths through them):
 * `{ a.b = 1; a = { c = 2; }; }` merges, `{ a = 1; a.b = 2; }` does not. This mirrors that rule.
 */
export interface Duplicate {
  node: Node;
  name: string;
}

/** A set's names are read from its literal (`source`) only when a later binding goes into it. */
type SetEntry = { kind: 'set'; children?: Map<string, Entry>; source?: Node | null };
type Entry = SetEntry | { kind: 'value' };

/**
 * The names of a set entry. Read when first needed: most literal sets are never merged into, and
 * reading them all up front read a whole package set again for every set around it.
 */
function childrenOf(entry: SetEntry): Map<string, Entry> {
  if (!entry.children) {
    entry.children = build(entry.source ?? null, () => {});
    entry.source = undefined;
  }
  return entry.children;
}

const SET_TYPES = new Set(['attrset_expression', 'rec_attrset_expression']);
export const BINDING_SET_OWNERS = new Set([...SET_TYPES, 'let_attrset_expression', 'let_expression']);

function literalSet(value: Node | null): Node | null {
  const v = unparenthesize(value);
  return v && SET_TYPES.has(v.type) ? v : null;
}

function build(bindingSet: Node | null, report: (d: Duplicate) => void, only?: readonly Node[]): Map<string, Entry> {
  const root = new Map<string, Entry>();
  if (!bindingSet) return root;
  for (const b of only ?? bindingSet.childrenForFieldName('binding')) {
    if (!b) continue;
    if (b.type === 'binding') {
      addBinding(root, b, report);
      continue;
    }
    for (const attr of attrsOf(b.childForFieldName('attrs'))) {
      const name = staticAttrName(attr);
      if (name === undefined) continue;
      if (root.has(name)) report({ node: attr, name });
      else root.set(name, { kind: 'value' });
    }
  }
  return root;
}

function addBinding(root: Map<string, Entry>, binding: Node, report: (d: Duplicate) => void): void {
  const attrs = attrsOf(binding.childForFieldName('attrpath'));
  const names: string[] = [];
  let current = root;
  for (let i = 0; i < attrs.length; i++) {
    const name = staticAttrName(attrs[i]);
    if (name === undefined) return; // a computed name: Nix checks it only when evaluating
    names.push(name);
    const existing = current.get(name);
    if (i < attrs.length - 1) {
      if (!existing) {
        const children = new Map<string, Entry>();
        current.set(name, { kind: 'set', children });
        current = children;
      } else if (existing.kind === 'set') {
        current = childrenOf(existing);
      } else {
        const full = attrs.slice(i + 1).map(a => staticAttrName(a) ?? '${...}');
        report({ node: attrs[i], name: [...names, ...full].join('.') });
        return;
      }
      continue;
    }
    const valueSet = literalSet(binding.childForFieldName('expression'));
    if (!existing) {
      current.set(name, valueSet ? { kind: 'set', source: bindingSetOf(valueSet) } : { kind: 'value' });
    } else if (existing.kind === 'set' && valueSet) {
      mergeInto(childrenOf(existing), bindingSetOf(valueSet), report);
    } else {
      report({ node: attrs[i], name: names.join('.') });
    }
  }
}

/** `a = { ... }` after `a.x = ...`: each top-level name of the literal must be new. */
function mergeInto(target: Map<string, Entry>, bindingSet: Node | null, report: (d: Duplicate) => void): void {
  const firstAttr = new Map<string, Node>();
  for (const b of bindingSet?.childrenForFieldName('binding') ?? []) {
    if (!b) continue;
    const first = b.type === 'binding' ? attrsOf(b.childForFieldName('attrpath'))[0] : undefined;
    const name = first && staticAttrName(first);
    if (first && name !== undefined && !firstAttr.has(name)) firstAttr.set(name, first);
  }
  for (const [name, entry] of build(bindingSet, () => {})) {
    if (target.has(name)) report({ node: firstAttr.get(name) ?? bindingSet!, name });
    else target.set(name, entry);
  }
}

/**
 * Duplicates among the direct bindings of one attribute set, rec set, let or `let { }`. `only`:
 * the bindings that can clash (those sharing a first name), when the caller knows them.
 */
export function duplicateAttrs(owner: Node, only?: readonly Node[]): Duplicate[] {
  const found: Duplicate[] = [];
  build(bindingSetOf(owner), d => found.push(d), only);
  return found;
}
