import {
  SemanticTokensBuilder, CodeActionKind, CompletionItemKind, CompletionItemTag, DiagnosticSeverity, DiagnosticTag, DocumentHighlightKind, FoldingRangeKind,
  InsertTextFormat, MarkupKind, SymbolKind,
  type CodeAction, type CompletionItem, type CompletionList, type Diagnostic, type DocumentHighlight, type DocumentSymbol,
  type FoldingRange, type Hover, type Location, type Range, type SelectionRange, type TextEdit, type WorkspaceEdit, type DocumentLink, type InlayHint, type SignatureHelp, type SymbolInformation,
} from 'vscode-languageserver';
import type { CompletionEntry, CompletionResult, EntryKind } from '../features/completion';
import type { Location as NixLocation } from '../features/definition';
import type { HoverResult } from '../features/hover';
import type { Occurrence } from '../features/references';
import type { Link } from '../features/links';
import type { InlayHint as NixInlayHint } from '../features/inlayHints';
import type { Signature } from '../features/signatureHelp';
import type { Refactor } from '../features/refactors';
import type { WorkspaceSymbol as NixWorkspaceSymbol, WorkspaceSymbolKind } from '../features/workspaceSymbols';
import { TOKEN_MODIFIERS, TOKEN_TYPES, type Token } from '../features/semanticTokens';
import type { LineIndex } from '../parse/lineIndex';
import { pathToFileURL } from 'url';
import type { FoldingRange as NixFoldingRange } from '../features/folding';
import type { SelectionRange as NixSelectionRange } from '../features/selectionRanges';
import type { NixSymbol, SymbolKind as NixSymbolKind } from '../features/symbols';
import type { Action, DiagnosticRef } from '../features/codeActions';
import type { Edit, Finding, FindingFix, Severity, Tag } from '../rules/types';

/**
 * The only place that turns our plain results into LSP types. Our ranges already count UTF-16
 * code units (web-tree-sitter and JavaScript strings do), the encoding LSP uses by default.
 */

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const TAG: Record<Tag, DiagnosticTag> = {
  unnecessary: DiagnosticTag.Unnecessary,
  deprecated: DiagnosticTag.Deprecated,
};

export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'nix-ai',
    message: f.message,
    ...(f.tags ? { tags: f.tags.map(t => TAG[t]) } : {}),
    ...(f.fixes ? { data: { fixes: f.fixes } } : {}),
  };
}

/** The fixes a diagnostic carries back from the editor (see toDiagnostic). */
export function fromDiagnostic(d: Diagnostic): DiagnosticRef & { original: Diagnostic } {
  const data = d.data as { fixes?: FindingFix[] } | undefined;
  return { code: String(d.code ?? ''), range: d.range, original: d, ...(Array.isArray(data?.fixes) ? { fixes: data.fixes } : {}) };
}

/** A quick fix, linked to the diagnostic exactly as the editor sent it. */
export function toCodeAction(a: Action<DiagnosticRef & { original: Diagnostic }>, uri: string): CodeAction {
  return {
    title: a.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [a.diagnostic.original],
    ...(a.preferred ? { isPreferred: true } : {}),
    ...(a.edits.length ? { edit: { changes: { [uri]: a.edits } } } : {}),
    ...(a.command ? { command: { title: a.title, command: a.command.id, arguments: a.command.args } } : {}),
  };
}

const SYMBOL_KIND: Record<NixSymbolKind, SymbolKind> = {
  object: SymbolKind.Object,
  function: SymbolKind.Function,
  variable: SymbolKind.Variable,
  field: SymbolKind.Field,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  array: SymbolKind.Array,
  package: SymbolKind.Package,
  module: SymbolKind.Module,
  file: SymbolKind.File,
  null: SymbolKind.Null,
};

export function toDocumentSymbol(s: NixSymbol): DocumentSymbol {
  return {
    name: s.name,
    ...(s.detail ? { detail: s.detail } : {}),
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children.map(toDocumentSymbol),
  };
}

export function toFoldingRange(r: NixFoldingRange): FoldingRange {
  return { startLine: r.startLine, endLine: r.endLine, ...(r.kind ? { kind: r.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region } : {}) };
}

export function toSelectionRange(r: NixSelectionRange): SelectionRange {
  return { range: r.range, ...(r.parent ? { parent: toSelectionRange(r.parent) } : {}) };
}

const COMPLETION_KIND: Record<EntryKind, CompletionItemKind> = {
  option: CompletionItemKind.Property,
  group: CompletionItemKind.Module,
  value: CompletionItemKind.Value,
  package: CompletionItemKind.Reference,
  packageSet: CompletionItemKind.Folder,
  builtin: CompletionItemKind.Function,
  function: CompletionItemKind.Function,
  local: CompletionItemKind.Variable,
  keyword: CompletionItemKind.Keyword,
};

/** Lists longer than this send each item's documentation when the editor shows it (completionItem/resolve). */
export const RESOLVE_FROM = 50;

/** What a resolve request carries back: which list, which item. */
export interface ResolveData {
  list: number;
  item: number;
}

/** `list`: this list's number, for finding its entries again on resolve. */
export function toCompletionList(r: CompletionResult, lines: LineIndex, list = 0): CompletionList {
  const long = r.items.length > RESOLVE_FROM;
  return { isIncomplete: r.incomplete, items: r.items.map((e, item) => toCompletionItem(e, lines, { list, item }, long)) };
}

export function toDocumentation(markdown: string): CompletionItem['documentation'] {
  return { kind: MarkupKind.Markdown, value: markdown };
}

/**
 * An item's documentation now, and what finds its entry on resolve: always for a package (whose
 * details are asked of the user's nixpkgs then), and in a long list for every documented item.
 */
function documentationOf(e: CompletionEntry, resolve: ResolveData, long: boolean): Pick<CompletionItem, 'documentation' | 'data'> {
  const data = e.package || (long && (e.documentation || e.later)) ? { data: resolve } : {};
  if (long) return data;
  const markdown = e.documentation ?? e.later?.();
  return markdown ? { documentation: toDocumentation(markdown), ...data } : data;
}

function toCompletionItem(e: CompletionEntry, lines: LineIndex, resolve: ResolveData, long: boolean): CompletionItem {
  const range = { start: lines.positionAt(e.start), end: lines.positionAt(e.end) };
  return {
    label: e.label,
    kind: COMPLETION_KIND[e.kind],
    ...(e.detail ? { detail: e.detail } : {}),
    ...documentationOf(e, resolve, long),
    ...(e.sortText ? { sortText: e.sortText } : {}),
    ...(e.filterText ? { filterText: e.filterText } : {}),
    ...(e.deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
    textEdit: { range, newText: e.insertText ?? e.label },
    insertTextFormat: e.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    ...(e.retrigger ? { command: { title: 'suggest', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

export function toHover(h: HoverResult, lines: LineIndex): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: toRange(h, lines) };
}

function toRange(r: { start: number; end: number }, lines: LineIndex): Range {
  return { start: lines.positionAt(r.start), end: lines.positionAt(r.end) };
}

export function toLocation(l: NixLocation, uri: string, lines: LineIndex): Location {
  if (l.kind === 'here') return { uri, range: toRange(l, lines) };
  const at = { line: l.line, character: l.character ?? 0 };
  return { uri: pathToFileURL(l.path).href, range: { start: at, end: at } };
}

export function toReferenceLocation(o: Occurrence, uri: string, lines: LineIndex): Location {
  return { uri, range: toRange(o, lines) };
}

export function toHighlight(o: Occurrence, lines: LineIndex): DocumentHighlight {
  return { range: toRange(o, lines), kind: o.definition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read };
}

export function toTextEdit(e: Edit, lines: LineIndex): TextEdit {
  return { range: toRange(e, lines), newText: e.newText };
}

export function toWorkspaceEdit(edits: Edit[], uri: string, lines: LineIndex): WorkspaceEdit {
  return { changes: { [uri]: edits.map(e => toTextEdit(e, lines)) } };
}

export function toRenameTarget(t: { start: number; end: number; placeholder: string }, lines: LineIndex): { range: Range; placeholder: string } {
  return { range: toRange(t, lines), placeholder: t.placeholder };
}

export function toDocumentLink(l: Link, lines: LineIndex): DocumentLink {
  return { range: toRange(l, lines), target: l.target, ...(l.tooltip ? { tooltip: l.tooltip } : {}) };
}

export const SEMANTIC_TOKENS_LEGEND = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };
const TYPE_INDEX = new Map<string, number>(TOKEN_TYPES.map((t, i) => [t, i]));
const MODIFIER_BIT = new Map<string, number>(TOKEN_MODIFIERS.map((m, i) => [m, 1 << i]));

/** Our tokens into the builder, in LSP's relative encoding (a token never spans lines). */
export function pushTokens(builder: SemanticTokensBuilder, tokens: readonly Token[], lines: LineIndex): SemanticTokensBuilder {
  for (const t of tokens) {
    const at = lines.positionAt(t.start);
    const bits = t.modifiers.reduce((sum, m) => sum | MODIFIER_BIT.get(m)!, 0);
    builder.push(at.line, at.character, t.end - t.start, TYPE_INDEX.get(t.type)!, bits);
  }
  return builder;
}

export function toInlayHint(h: NixInlayHint, lines: LineIndex): InlayHint {
  return { position: lines.positionAt(h.at), label: h.label, paddingLeft: true, ...(h.tooltip ? { tooltip: h.tooltip } : {}) };
}

export function toSignatureHelp(s: Signature): SignatureHelp {
  return {
    signatures: [{ label: s.label, documentation: { kind: MarkupKind.Markdown, value: s.documentation }, parameters: s.parameters.map(label => ({ label })) }],
    activeSignature: 0,
    activeParameter: s.active,
  };
}

const WORKSPACE_SYMBOL_KIND: Record<WorkspaceSymbolKind, SymbolKind> = {
  configuration: SymbolKind.Class,
  module: SymbolKind.Module,
  option: SymbolKind.Property,
  package: SymbolKind.Package,
  devShell: SymbolKind.Event,
};

export function toWorkspaceSymbol(s: NixWorkspaceSymbol, uri: string): SymbolInformation {
  return { name: s.name, kind: WORKSPACE_SYMBOL_KIND[s.kind], containerName: s.container, location: { uri, range: s.range } };
}

export function toRefactorAction(r: Refactor, uri: string, lines: LineIndex): CodeAction {
  return { title: r.title, kind: r.kind, edit: toWorkspaceEdit(r.edits, uri, lines) };
}
