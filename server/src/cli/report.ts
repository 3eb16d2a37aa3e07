import type { Finding } from '../rules/types';

export interface FileReport {
  path: string;
  diagnostics: Finding[];
  /** Set when the file could not be read; then there are no diagnostics. */
  error?: string;
}

/** Reports in path order (by code unit, as the CLI has always printed them). */
export function byPath(a: FileReport, b: FileReport): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** `path:line:col: severity code message`, 1-based, one line per finding. */
export function formatText(reports: FileReport[]): string {
  const lines: string[] = [];
  for (const r of reports) {
    if (r.error) lines.push(`${r.path}: error cannot-read ${r.error}`);
    for (const d of r.diagnostics) {
      lines.push(`${r.path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code} ${d.message}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * The JSON report: version 1, 0-based LSP positions counted in UTF-16 code units. A diagnostic
 * with fixes lists them as text edits against the file as it was checked.
 */
export function formatJson(reports: FileReport[]): string {
  return `${JSON.stringify(jsonReport(reports), null, 2)}\n`;
}

export function jsonReport(reports: FileReport[]) {
  return {
    version: 1,
    files: reports.map(r => ({
      path: r.path,
      ...(r.error ? { error: r.error } : {}),
      diagnostics: r.diagnostics.map(d => ({
        code: d.code, severity: d.severity, range: d.range, message: d.message,
        ...(d.fixes?.length ? { fixes: d.fixes.map(f => ({ title: f.title, safe: f.safe, edits: f.edits })) } : {}),
      })),
    })),
  };
}

export function summary(reports: FileReport[]): string {
  const all = reports.flatMap(r => r.diagnostics);
  const count = (s: string) => all.filter(d => d.severity === s).length;
  const unreadable = reports.filter(r => r.error).length;
  return `${reports.length} file(s) checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('information') + count('hint')} note(s)` +
    (unreadable ? `, ${unreadable} unreadable` : '');
}
