import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import type { Range } from '../parse/lineIndex';
import { attrsOf, plainString, staticAttrName } from '../parse/attrNames';
import { bindingSetOf } from '../parse/attrNames';
import { unparenthesize } from '../parse/syntaxTree';

export type SymbolKind =
  | 'object' | 'function' | 'variable' | 'field' | 'string' | 'number' | 'boolean'
  | 'array' | 'package' | 'module' | 'file' | 'null';

/** An outline entry: attribute bindings nest by their path, let bindings and arguments are variables. */
export interface NixSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  range: Range;
  selectionRange: Range;
  children: NixSymbol[];
}

interface Draft {
  name: string;
  detail?: string;
  kind: SymbolKind;
  start: number;
  end: number;
  selStart: number;
  selEnd: number;
  children: Level;
}

/** The symbols of one level, merged by name so `a.b = 1; a.c = 2;` shows one `a`. */
class Level {
  readonly items: Draft[] = [];
  private readonly byName = new Map<string, Draft>();

  add(d: Omit<Draft, 'children'>, mergeable: boolean): Draft {
    const existing = mergeable ? this.byName.get(d.name) : undefined;
    if (existing) {
      existing.start = Math.min(existing.start, d.start);
      existing.end = Math.max(existing.end, d.end);
      return existing;
    }
    const draft: Draft = { ...d, children: new Level() };
    this.items.push(draft);
    if (mergeable) this.byName.set(d.name, draft);
    return draft;
  }
}

function kindOfValue(value: Node | null): SymbolKind {
  switch (value?.type) {
    case 'function_expression': return 'function';
    case 'attrset_expression':
    case 'rec_attrset_expression':
    case 'let_attrset_expression': return 'object';
    case 'string_expression':
    case 'indented_string_expression': return 'string';
    case 'integer_expression':
    case 'float_expression': return 'number';
    case 'list_expression': return 'array';
    case 'path_expression':
    case 'hpath_expression':
    case 'spath_expression': return 'file';
    case 'variable_expression':
      if (value.text === 'true' || value.text === 'false') return 'boolean';
      if (value.text === 'null') return 'null';
      return 'field';
    default: return 'field';
  }
}

function detailOf(value: Node | null): string | undefined {
  if (!value) return undefined;
  if (value.type === 'string_expression') {
    const s = plainString(value);
    if (s !== undefined) return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
  }
  if (['integer_expression', 'float_expression', 'path_expression', 'spath_expression', 'uri_expression'].includes(value.type)) return value.text;
  if (value.type === 'variable_expression') return value.text;
  return undefined;
}

class Outline {
  /** Symbols found inside an expression, added to `level`. */
  expression(node: Node | null, level: Level, depth: number): void {
    const n = unparenthesize(node);
    if (!n || depth > 200) return;
    switch (n.type) {
      case 'function_expression':
        this.formals(n, level);
        this.expression(n.childForFieldName('body'), level, depth + 1);
        return;
      case 'let_expression':
        this.bindings(bindingSetOf(n), level, 'variable', depth);
        this.expression(n.childForFieldName('body'), level, depth + 1);
        return;
      case 'with_expression':
      case 'assert_expression':
        this.expression(n.childForFieldName('body'), level, depth + 1);
        return;
      case 'attrset_expression':
      case 'rec_attrset_expression':
      case 'let_attrset_expression':
        this.bindings(bindingSetOf(n), level, undefined, depth);
        return;
      case 'apply_expression':
        this.expression(n.childForFieldName('function'), level, depth + 1);
        this.expression(n.childForFieldName('argument'), level, depth + 1);
        return;
      case 'list_expression':
        for (const el of n.childrenForFieldName('element')) this.expression(el, level, depth + 1);
        return;
      case 'binary_expression':
        this.expression(n.childForFieldName('left'), level, depth + 1);
        this.expression(n.childForFieldName('right'), level, depth + 1);
        return;
      case 'if_expression':
        this.expression(n.childForFieldName('consequence'), level, depth + 1);
        this.expression(n.childForFieldName('alternative'), level, depth + 1);
        return;
    }
  }

  private formals(fn: Node, level: Level): void {
    const universal = fn.childForFieldName('universal');
    const formals = fn.childForFieldName('formals');
    const add = (name: Node, span: Node) => level.add({
      name: name.text, detail: 'argument', kind: 'variable',
      start: span.startIndex, end: span.endIndex, selStart: name.startIndex, selEnd: name.endIndex,
    }, false);
    if (universal && !universal.isMissing) add(universal, universal);
    for (const formal of formals?.childrenForFieldName('formal') ?? []) {
      const name = formal?.childForFieldName('name');
      if (formal && name && !name.isMissing) add(name, formal);
    }
  }

  private bindings(set: Node | null, level: Level, kind: SymbolKind | undefined, depth: number): void {
    for (const b of set?.childrenForFieldName('binding') ?? []) {
      if (!b) continue;
      if (b.type !== 'binding') {
        for (const attr of attrsOf(b.childForFieldName('attrs'))) {
          if (attr.isMissing) continue;
          level.add({
            name: staticAttrName(attr) ?? attr.text, detail: 'inherited', kind: kind ?? 'field',
            start: attr.startIndex, end: attr.endIndex, selStart: attr.startIndex, selEnd: attr.endIndex,
          }, true);
        }
        continue;
      }
      const attrs = attrsOf(b.childForFieldName('attrpath'));
      if (attrs.length === 0 || attrs.some(a => a.isMissing)) continue;
      const value = unparenthesize(b.childForFieldName('expression'));
      let current = level;
      attrs.forEach((attr, i) => {
        const last = i === attrs.length - 1;
        const name = staticAttrName(attr) ?? attr.text;
        const draft = current.add({
          name,
          detail: last ? detailOf(value) : undefined,
          kind: last ? (kind ?? kindOfValue(value)) : 'object',
          start: b.startIndex, end: b.endIndex, selStart: attr.startIndex, selEnd: attr.endIndex,
        }, true);
        if (last) this.expression(value, draft.children, depth + 1);
        current = draft.children;
      });
    }
  }
}

/** A name an outline can show: editors reject an empty one (`"" = 1;`), so it shows quoted. */
function shownName(name: string): string {
  return name.trim() === '' ? JSON.stringify(name) : name;
}

function finish(level: Level, doc: NixDocument): NixSymbol[] {
  return level.items.map(d => ({
    name: shownName(d.name),
    ...(d.detail ? { detail: d.detail } : {}),
    kind: d.kind,
    range: doc.lines.rangeOf(d.start, d.end),
    selectionRange: doc.lines.rangeOf(d.selStart, d.selEnd),
    children: finish(d.children, doc),
  }));
}

/** In a flake.nix each input shows as a package, with its url as detail. */
function markFlakeInputs(level: Level): void {
  const inputs = level.items.find(d => d.name === 'inputs');
  if (!inputs) return;
  inputs.kind = 'module';
  for (const input of inputs.children.items) {
    input.kind = 'package';
    input.detail ??= input.children.items.find(c => c.name === 'url')?.detail;
  }
}

/** The document's outline. */
export function documentSymbols(doc: NixDocument): NixSymbol[] {
  const level = new Level();
  new Outline().expression(doc.tree.rootNode.childForFieldName('expression'), level, 0);
  if (/(^|\/)flake\.nix$/.test(doc.uri)) markFlakeInputs(level);
  return finish(level, doc);
}
