import { GLOBALS } from '../analysis/builtinRefs';
import { resolveName, ScopeCache, bindingDefinedBy } from '../analysis/scopes';
import type { Knowledge } from '../options/knowledge';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import { descendants } from '../parse/syntaxTree';
import type { Configuration } from '../analysis/configuration';
import { fileDefinitions } from '../rules/configRules';

/**
 * Semantic tokens: what each name is, which the TextMate grammar cannot know. The legend's order
 * is the wire format: append, never reorder.
 */
export const TOKEN_TYPES = ['variable', 'parameter', 'property', 'function', 'path', 'url', 'interpolation'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary', 'deprecated', 'fromWith', 'option'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface Token {
  start: number;
  end: number;
  type: TokenType;
  modifiers: TokenModifier[];
}

/** The option keys of this file, from its configurations: known ones, and whether they are deprecated. */
export interface OptionKey {
  start: number;
  end: number;
  deprecated: boolean;
}

const CONSTANTS = new Set(['true', 'false', 'null']);
const WANTED = new Set(['identifier', 'path_expression', 'hpath_expression', 'spath_expression', 'uri_expression', 'interpolation']);

/**
 * The tokens from `start` to `end` (the whole file when not given), in document order. Only the
 * nodes that overlap the range are entered, so a range request on a large file reads its screen.
 */
export function semanticTokens(doc: NixDocument, optionKeys: readonly OptionKey[] = [], start = 0, end = doc.text.length): Token[] {
  const scopes = new ScopeCache();
  const out: Token[] = [];
  const overlaps = (c: { startIndex: number; endIndex: number }) => c.endIndex >= start && c.startIndex <= end;
  let k = 0;
  const keys = optionKeys.filter(o => o.end >= start && o.start <= end);
  for (const node of descendants(doc.tree.rootNode, { enter: overlaps, wanted: c => WANTED.has(c.nodeType) && overlaps(c) })) {
    if (node.type === 'interpolation') {
      const open = node.child(0);
      const close = node.child(node.childCount - 1);
      if (open?.type === '${') out.push({ start: open.startIndex, end: open.endIndex, type: 'interpolation', modifiers: [] });
      if (close?.type === '}' && close.startIndex > open!.startIndex) out.push({ start: close.startIndex, end: close.endIndex, type: 'interpolation', modifiers: [] });
      continue;
    }
    if (node.type !== 'identifier') {
      const type = node.type === 'uri_expression' ? 'url' : 'path';
      // a path is one line: after an error, recovery can stretch its node over the lines that follow
      const piece = (from: number, to: number) => {
        const eol = doc.text.indexOf('\n', from);
        const end = eol >= 0 && eol < to ? eol : to;
        if (end > from) out.push({ start: from, end, type, modifiers: [] });
      };
      // `./${name}.nix`: the pieces between interpolations (whose own tokens come from the walk)
      let from = node.startIndex;
      for (const part of node.namedChildren) {
        if (part?.type !== 'interpolation') continue;
        piece(from, part.startIndex);
        from = part.endIndex;
      }
      piece(from, node.endIndex);
      continue;
    }
    while (k < keys.length && keys[k].end <= node.startIndex) k++;
    const key = k < keys.length && keys[k].start <= node.startIndex ? keys[k] : undefined;
    const t = identifierToken(node, scopes, key);
    if (t) out.push({ start: node.startIndex, end: node.endIndex, ...t });
  }
  // nodes tree-sitter made up to recover from an error are empty: they are no token
  return out.filter(t => t.end > t.start).sort((a, b) => a.start - b.start);
}

function identifierToken(ident: Node, scopes: ScopeCache, key: OptionKey | undefined): Omit<Token, 'start' | 'end'> | undefined {
  const parent = parentOf(ident);
  switch (parent?.type) {
    case 'variable_expression': {
      const r = resolveName(ident, scopes);
      if (r.kind === 'local') return { type: r.binding.kind === 'formal' || r.binding.kind === 'argument' ? 'parameter' : 'variable', modifiers: [] };
      // builtins are lexical: a `with` never hides one (true, false and null keep the grammar's colour)
      if (CONSTANTS.has(ident.text)) return undefined;
      if (ident.text === 'builtins' || GLOBALS.has(ident.text)) return { type: 'function', modifiers: ['defaultLibrary'] };
      if (r.kind === 'with') return { type: 'variable', modifiers: ['fromWith'] };
      return { type: 'variable', modifiers: [] };
    }
    case 'formal':
      return { type: 'parameter', modifiers: ['declaration'] };
    case 'function_expression':
      return { type: 'parameter', modifiers: ['declaration'] };
    case 'attrpath': {
      const owner = parentOf(parent);
      if (owner?.type === 'select_expression' || owner?.type === 'has_attr_expression') {
        const base = owner.childForFieldName('expression');
        const builtin = base?.type === 'variable_expression' && base.text === 'builtins' && parent.namedChild(0)?.id === ident.id;
        return builtin ? { type: 'function', modifiers: ['defaultLibrary'] } : { type: 'property', modifiers: [] };
      }
      if (key) return { type: 'property', modifiers: key.deprecated ? ['option', 'deprecated'] : ['option'] };
      const defined = bindingDefinedBy(ident, scopes);
      if (defined?.kind === 'let') return { type: 'variable', modifiers: ['declaration'] };
      return { type: 'property', modifiers: defined ? ['declaration'] : [] };
    }
    case 'inherited_attrs':
      return { type: 'property', modifiers: [] };
    default:
      return undefined;
  }
}

/** The keys of this file that set an option the option set knows (deprecated ones marked). */
export function optionKeysOf(doc: NixDocument, knowledge: Knowledge, configurations: readonly Configuration[]): OptionKey[] {
  const out: OptionKey[] = [];
  for (const { def } of fileDefinitions(doc, { configurations })) {
    const o = knowledge.options(def.set).get(def.path);
    if (!o) continue;
    out.push({ start: def.key.start, end: def.key.end, deprecated: o.status === 'renamed' || o.status === 'deprecated' || o.status === 'removed' });
  }
  return out.sort((a, b) => a.start - b.start);
}
