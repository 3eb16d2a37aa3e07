import type { NixDocument } from '../parse/documents';
import { nodesOfType } from '../parse/syntaxTree';
import { RULES } from '../rules';
import type { Finding, Rule } from '../rules/types';

export interface DiagnosticOptions {
  /** Codes the user silenced in settings or on the command line. */
  ignore?: ReadonlySet<string>;
  rules?: readonly Rule[];
}

const COMMENT = new Set(['comment']);
const IGNORE_COMMENT = /nix-ai:\s*ignore\s+([a-z0-9-]+(?:[\s,]+[a-z0-9-]+)*)/;

/**
 * Lines silenced by a `# nix-ai: ignore code ...` comment: the comment's own line and, for a
 * comment alone on its line, the line after it.
 */
function inlineIgnores(doc: NixDocument): Map<number, Set<string>> {
  const byLine = new Map<number, Set<string>>();
  if (!doc.text.includes('nix-ai:')) return byLine;
  for (const comment of nodesOfType(doc.tree.rootNode, COMMENT)) {
    const m = IGNORE_COMMENT.exec(comment.text);
    if (!m) continue;
    const codes = m[1].split(/[\s,]+/);
    const line = doc.lines.positionAt(comment.startIndex).line;
    const lineStart = doc.lines.offsetAt({ line, character: 0 });
    const alone = doc.text.slice(lineStart, comment.startIndex).trim() === '';
    for (const l of alone ? [line, line + 1] : [line]) {
      const set = byLine.get(l) ?? new Set<string>();
      codes.forEach(c => set.add(c));
      byLine.set(l, set);
    }
  }
  return byLine;
}

/** Every finding of every rule for one document, in document order within each rule. */
export function diagnose(doc: NixDocument, options: DiagnosticOptions = {}): Finding[] {
  const ignore = options.ignore ?? new Set<string>();
  const inline = inlineIgnores(doc);
  const findings: Finding[] = [];
  for (const rule of options.rules ?? RULES) {
    if (ignore.has(rule.code)) continue;
    for (const f of rule.check(doc)) {
      const range = doc.lines.rangeOf(f.start, f.end);
      if (inline.get(range.start.line)?.has(rule.code)) continue;
      findings.push({
        code: rule.code,
        severity: f.severity ?? rule.severity,
        range,
        message: f.message,
        ...(f.tags ? { tags: f.tags } : {}),
        ...(f.data !== undefined ? { data: f.data } : {}),
      });
    }
  }
  return findings;
}
