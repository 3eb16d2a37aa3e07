import {
  DiagnosticSeverity, DiagnosticTag, FoldingRangeKind, SymbolKind,
  type Diagnostic, type DocumentSymbol, type FoldingRange, type SelectionRange,
} from 'vscode-languageserver';
import type { FoldingRange as NixFoldingRange } from '../features/folding';
import type { SelectionRange as NixSelectionRange } from '../features/selectionRanges';
import type { NixSymbol, SymbolKind as NixSymbolKind } from '../features/symbols';
import type { Finding, Severity, Tag } from '../rules/types';

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
    ...(f.data !== undefined ? { data: f.data } : {}),
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
