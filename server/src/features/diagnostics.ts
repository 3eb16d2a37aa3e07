import * as path from 'path';
import { analyzeWorkspace } from '../analysis/configuration';
import { filePathOf, moduleFacts } from '../analysis/definitions';
import { detectRelease } from '../analysis/release';
import { ScopeCache } from '../analysis/scopes';
import { createKnowledge, type Knowledge } from '../options/knowledge';
import type { NixDocument } from '../parse/documents';
import { nodesIn } from '../parse/nodeIndex';
import { RULES } from '../rules';
import type { Finding, Fix, FindingFix, Rule, RuleContext, RuleFinding, Severity } from '../rules/types';
import { fileTooLarge, tooLargeFinding } from '../rules/fileTooLarge';
import { syntaxError, syntaxProblems } from '../rules/syntaxError';
import { isGenerated } from '../rules/unusedBinding';

export interface DiagnosticOptions {
  /** Codes the user silenced in settings or on the command line. */
  ignore?: ReadonlySet<string>;
  /** Per-code severity from settings; 'off' silences the code. */
  severity?: Readonly<Record<string, Severity | 'off'>>;
  rules?: readonly Rule[];
  /** What the workspace knows; whatever is left out is worked out from the document alone. */
  context?: Partial<Omit<RuleContext, 'scopes'>>;
  /** A longer text (in UTF-16 code units) gets its syntax checked only, and one finding that says so. */
  maxChars?: number;
}

const IGNORE_COMMENT = /nix-ai:\s*ignore\s+([a-z0-9-]+(?:[\s,]+[a-z0-9-]+)*)/;

/**
 * Lines silenced by a `# nix-ai: ignore code ...` comment: the comment's own line and, for a
 * comment alone on its line, the line after it.
 */
export function inlineIgnores(doc: NixDocument): Map<number, Set<string>> {
  const byLine = new Map<number, Set<string>>();
  if (!doc.text.includes('nix-ai:')) return byLine;
  for (const comment of nodesIn(doc, 'comment')) {
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

let defaultKnowledge: Knowledge | undefined;

/** The rule context for a document checked on its own: a flake.nix is pure, nothing else is known. */
export function ruleContext(doc: NixDocument, given: DiagnosticOptions['context'] = {}): RuleContext {
  const file = filePathOf(doc.uri);
  const alone = given.configurations ? undefined : analyzeWorkspace(new Map([[file, moduleFacts(doc)]]));
  return {
    pure: given.pure ?? path.basename(file) === 'flake.nix',
    ...(given.inFlake ? { inFlake: true } : {}),
    ...(given.defaultUse ? { defaultUse: given.defaultUse } : {}),
    release: given.release ?? detectRelease('auto', undefined),
    knowledge: given.knowledge ?? (defaultKnowledge ??= createKnowledge()),
    configurations: given.configurations ?? alone!.configurationsOf(file),
    scopes: new ScopeCache(),
    file,
    ...(given.lock ? { lock: given.lock } : {}),
    ...(given.now !== undefined ? { now: given.now } : {}),
    ...(given.staleAfterDays !== undefined ? { staleAfterDays: given.staleAfterDays } : {}),
  };
}

function toFindingFix(doc: NixDocument, fix: Fix): FindingFix {
  return {
    title: fix.title,
    edits: fix.edits.map(e => ({ range: doc.lines.rangeOf(e.start, e.end), newText: e.newText })),
    safe: fix.safe ?? false,
    preferred: fix.preferred ?? false,
  };
}

/** The rules a check runs: all (or the given ones) but those silenced in settings. */
export function activeRules(options: DiagnosticOptions): Rule[] {
  const ignore = options.ignore ?? new Set<string>();
  return (options.rules ?? RULES).filter(r => !ignore.has(r.code) && options.severity?.[r.code] !== 'off');
}

/**
 * A rule's findings as every feature sees them: in document order (ties keep the rule's order),
 * with severity overrides applied and lines silenced by a comment left out.
 */
export function toFindings(doc: NixDocument, rule: Rule, found: readonly RuleFinding[], options: DiagnosticOptions, inline: Map<number, Set<string>>): Finding[] {
  const override = options.severity?.[rule.code];
  const out: Finding[] = [];
  const errorsOnly = rule.errorsOnlyInGenerated && found.length > 0 && isGenerated(doc);
  for (const f of [...found].sort((a, b) => a.start - b.start)) {
    if (errorsOnly && (f.severity ?? rule.severity) !== 'error') continue;
    const range = doc.lines.rangeOf(f.start, f.end);
    if (inline.get(range.start.line)?.has(rule.code)) continue;
    out.push({
      code: rule.code,
      severity: override && override !== 'off' ? override : f.severity ?? rule.severity,
      range,
      message: f.message,
      ...(f.tags ? { tags: f.tags } : {}),
      ...(f.fixes?.length ? { fixes: f.fixes.map(x => toFindingFix(doc, x)) } : {}),
    });
  }
  return out;
}

/** Every finding of every rule for one document, in document order within each rule. */
export function diagnose(doc: NixDocument, options: DiagnosticOptions = {}): Finding[] {
  // An encrypted (git-crypt) or binary file is not Nix text: say so once instead of reading noise.
  if (isBinary(doc.text)) return notText(doc, options);
  if (tooLarge(doc.text, options.maxChars)) return syntaxOnly(doc, options);
  const inline = inlineIgnores(doc);
  const ctx = ruleContext(doc, options.context);
  return activeRules(options).flatMap(rule => toFindings(doc, rule, rule.check(doc, ctx), options, inline));
}

/** What a file over the size limit gets: the finding that says so, and its syntax problems (`problems` when the caller has them). */
export function syntaxOnly(doc: NixDocument, options: DiagnosticOptions, problems: (doc: NixDocument) => RuleFinding[] = syntaxProblems): Finding[] {
  const inline = inlineIgnores(doc);
  const active = new Set(activeRules(options).map(r => r.code));
  return [
    ...(active.has(fileTooLarge.code) ? toFindings(doc, fileTooLarge, [tooLargeFinding(doc, options.maxChars!)], options, inline) : []),
    ...(active.has(syntaxError.code) ? toFindings(doc, syntaxError, problems(doc), options, inline) : []),
  ];
}

/** Is the text over the size past which only its syntax is checked (nixAi.maxFileSizeMB; no limit when undefined)? */
export function tooLarge(text: string, maxChars: number | undefined): boolean {
  return maxChars !== undefined && text.length > maxChars;
}

/**
 * Binary or encrypted: git-crypt's header, or NUL bytes among many other control characters. Nix
 * itself parses a stray NUL inside a string, so one alone does not make a file binary.
 */
export function isBinary(text: string): boolean {
  if (text.startsWith('\0GITCRYPT')) return true;
  const head = text.slice(0, 8192);
  if (!head.includes('\0')) return false;
  const control = head.match(/[\0-\x08\x0e-\x1f\ufffd]/g)?.length ?? 0;
  return control >= 8 && control > head.length / 20;
}

export function notText(doc: NixDocument, options: DiagnosticOptions): Finding[] {
  if (options.ignore?.has('syntax-error') || options.severity?.['syntax-error'] === 'off') return [];
  return [{
    code: 'syntax-error',
    severity: options.severity?.['syntax-error'] ?? 'error',
    range: doc.lines.rangeOf(0, Math.min(doc.text.length, doc.text.indexOf('\n') === -1 ? doc.text.length : doc.text.indexOf('\n'))),
    message: 'this is not a Nix text file: it holds NUL bytes (binary, or encrypted, e.g. by git-crypt); nothing else in it is checked',
  }];
}
