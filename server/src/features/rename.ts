import { bindingAt } from '../analysis/nameAt';
import { inScope, isReference, lookup, occurrences, resolveName, ScopeCache, scopeBindings, scopesAround, type LocalBinding } from '../analysis/scopes';
import type { Node } from '../parse/language';
import type { NixDocument } from '../parse/documents';
import { parentOf } from '../parse/nodeIndex';
import { identifierAt, isIdentifier } from '../parse/syntaxTree';
import { filePathOf } from '../analysis/definitions';
import type { Edit } from '../rules/types';

export type RenameTarget = { start: number; end: number; placeholder: string } | { refused: string };
export type RenameResult = { edits: Edit[] } | { refused: string };

/** Arguments the module system, callPackage or a flake pass by name: renaming the formal breaks every caller. */
const PASSED_BY_NAME = new Set(['config', 'options', 'pkgs', 'lib', 'modulesPath', 'specialArgs', 'utils', 'osConfig', 'nixosConfig', 'inputs', 'self', 'name', 'nodes']);

/** The name at `offset` and whether it can be renamed; undefined where there is no name at all. */
export function prepareRename(doc: NixDocument, offset: number): RenameTarget | undefined {
  const ident = identifierAt(doc.tree.rootNode, offset);
  if (!ident) return undefined;
  const found = bindingAt(doc.tree.rootNode, offset);
  if (!found) return { refused: notLocal(ident) };
  const why = passedByName(found.binding, doc);
  if (why) return { refused: why };
  return { start: ident.startIndex, end: ident.endIndex, placeholder: found.binding.name };
}

/** Every edit that renames the local name at `offset` to `newName`, or why that would change what the code means. */
export function rename(doc: NixDocument, offset: number, newName: string): RenameResult | undefined {
  const target = prepareRename(doc, offset);
  if (!target) return undefined;
  if ('refused' in target) return target;
  const binding = bindingAt(doc.tree.rootNode, offset)!.binding;
  if (newName === binding.name) return { edits: [] };
  if (!isIdentifier(newName)) {
    return {
      refused: `'${newName}' is not a Nix name: a name starts with a letter or _, goes on with letters, digits, _, ' or -, and is not a keyword. ` +
        `An attribute can be quoted ("${newName.replace(/["\\$]/g, c => `\\${c}`)}" = …), but then it cannot be read as a variable.`,
    };
  }
  const definitions = scopeBindings(binding.scope).filter(b => b.name === binding.name);
  const reads = occurrences(binding).filter(n => !definitions.some(d => d.node.id === n.id));
  const conflict = conflictIn(doc, binding, reads, newName);
  if (conflict) return { refused: conflict };
  return { edits: editsFor(binding, definitions.map(d => d.node), reads, newName) };
}

function notLocal(ident: Node): string {
  const name = ident.text;
  if (!isReference(ident)) return `'${name}' is an attribute name, not a name bound in this file; only let, rec, function argument and inherit names can be renamed.`;
  const r = resolveName(ident);
  if (r.kind === 'with') return `'${name}' comes from a \`with\` set; rename it where that set is defined.`;
  if (r.kind === 'unknown') return `'${name}' is nested too deeply to find where it is bound.`;
  return `'${name}' is not bound in this file (a builtin or a free name), so it cannot be renamed here.`;
}

function passedByName(binding: LocalBinding, doc: NixDocument): string | undefined {
  if (binding.kind !== 'formal') return undefined;
  if (PASSED_BY_NAME.has(binding.name)) {
    return `'${binding.name}' is passed by name (by the NixOS module system, callPackage or a flake); renaming the argument would break every caller.`;
  }
  const owner = parentOf(binding.scope);
  const attrpath = owner?.type === 'binding' ? owner.childForFieldName('attrpath')?.text : undefined;
  if (attrpath === 'outputs' && filePathOf(doc.uri).endsWith('flake.nix')) {
    return `'${binding.name}' is a flake input: Nix passes inputs to outputs by name, so rename it in inputs and flake.lock together.`;
  }
  return undefined;
}

const line = (doc: NixDocument, n: Node) => doc.lines.positionAt(n.startIndex).line + 1;

/** Why the rename would make a name mean something else, if it would. */
function conflictIn(doc: NixDocument, binding: LocalBinding, reads: Node[], newName: string): string | undefined {
  const cache = new ScopeCache();
  const taken = cache.of(binding.scope).find(b => b.name === newName);
  if (taken) return `'${newName}' is already bound here (line ${line(doc, taken.node)}).`;
  // a read of the renamed name that an inner binding of the new name would take over
  for (const read of reads) {
    const r = lookup(read, newName, cache);
    if (r.kind === 'local' && within(r.binding.scope, binding.scope)) {
      return `The '${binding.name}' on line ${line(doc, read)} would then mean the '${newName}' bound on line ${line(doc, r.binding.node)}.`;
    }
  }
  // a read of the new name that the renamed binding would take over
  for (const n of inScope(binding.scope)) {
    if (n.type !== 'identifier' || n.text !== newName || !isReference(n)) continue;
    const scopes = scopesAround(n);
    if (!scopes) return `The '${newName}' on line ${line(doc, n)} is nested too deeply to check.`;
    const ours = scopes.findIndex(s => s.id === binding.scope.id);
    if (ours < 0) continue;
    const nearer = scopes.slice(0, ours).some(s => cache.of(s).some(b => b.name === newName));
    if (nearer) continue;
    const r = resolveName(n, cache);
    const source = r.kind === 'with' ? `\`with ${r.envs[0].text.slice(0, 40)}\`` : r.kind === 'local' ? `the one bound on line ${line(doc, r.binding.node)}` : 'a builtin or a name from outside this file';
    return `The '${newName}' on line ${line(doc, n)} is ${source}; the renamed binding would take its place.`;
  }
  return undefined;
}

/** `inner` is a scope strictly inside `outer`. */
function within(inner: Node, outer: Node): boolean {
  return inner.id !== outer.id && inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

/**
 * The edits: names are replaced, except in `inherit`, which binds the same name it reads. There a
 * renamed read becomes `old = new;` and a renamed binding `new = old;` (`new = src.old;` for
 * `inherit (src)`), so the other name keeps its meaning.
 */
function editsFor(binding: LocalBinding, definitions: Node[], reads: Node[], newName: string): Edit[] {
  const edits: Edit[] = [];
  const inherits = new Map<number, { node: Node; attrs: Node[]; bindings: string[] }>();
  const rewrite = (attr: Node, text: string) => {
    const inherit = parentOf(parentOf(attr))!;
    let entry = inherits.get(inherit.id);
    if (!entry) inherits.set(inherit.id, (entry = { node: inherit, attrs: [], bindings: [] }));
    entry.attrs.push(attr);
    entry.bindings.push(text);
  };
  for (const n of [...definitions, ...reads]) {
    const inInherit = parentOf(n)?.type === 'inherited_attrs';
    if (!inInherit) {
      edits.push({ start: n.startIndex, end: n.endIndex, newText: newName });
      continue;
    }
    const old = n.type === 'identifier' ? n.text : JSON.stringify(binding.name);
    const inherit = parentOf(parentOf(n))!;
    const src = inherit.childForFieldName('expression');
    if (definitions.some(d => d.id === n.id)) rewrite(n, `${newName} = ${src ? `${selectable(src)}.${old}` : old};`);
    else rewrite(n, `${old} = ${newName};`);
  }
  for (const { node, attrs, bindings } of inherits.values()) {
    const list = node.childForFieldName('attrs')!;
    const all = list.childrenForFieldName('attr');
    if (all.length === attrs.length) {
      edits.push({ start: node.startIndex, end: node.endIndex, newText: bindings.join(' ') });
      continue;
    }
    edits.push({ start: list.startIndex, end: list.endIndex, newText: without(list, attrs) });
    edits.push({ start: node.endIndex, end: node.endIndex, newText: ` ${bindings.join(' ')}` });
  }
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** `src` as the left side of `.name`: a name or a selection as it is, anything else in parentheses. */
function selectable(src: Node): string {
  return src.type === 'variable_expression' || src.type === 'select_expression' ? src.text : `(${src.text})`;
}

/** The text of an inherit's name list with `removed` taken out, each with the space before it (after it, for the first). */
function without(list: Node, removed: Node[]): string {
  let text = list.text;
  for (const a of [...removed].sort((x, y) => y.startIndex - x.startIndex)) {
    let start = a.startIndex - list.startIndex;
    let end = a.endIndex - list.startIndex;
    const before = /\s*$/.exec(text.slice(0, start))![0].length;
    if (before < start) start -= before;
    else end += /^\s*/.exec(text.slice(end))![0].length;
    text = text.slice(0, start) + text.slice(end);
  }
  return text;
}
