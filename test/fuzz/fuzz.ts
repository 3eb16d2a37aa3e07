/**
 * The fuzzer behind `npm run fuzz`: seeded random edits to real-shaped documents, each followed by
 * the incremental diagnostics compared with a fresh analysis of the same text, and by requests
 * of every kind at random positions (past the end of a line or of the file, inside a surrogate
 * pair), each answered on the edited document and on a fresh parse, compared, and checked for
 * validity. Then the hostile documents. Deterministic for a seed: a failure replays with it.
 */
import { codeActions } from '../../server/src/features/codeActions';
import { complete } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { diagnose } from '../../server/src/features/diagnostics';
import { foldingRanges } from '../../server/src/features/folding';
import { highlights } from '../../server/src/features/highlights';
import { hover } from '../../server/src/features/hover';
import { DocumentDiagnostics } from '../../server/src/features/incrementalDiagnostics';
import { references } from '../../server/src/features/references';
import { rename } from '../../server/src/features/rename';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { inlayHints } from '../../server/src/features/inlayHints';
import { signatureHelp } from '../../server/src/features/signatureHelp';
import { documentLinks } from '../../server/src/features/links';
import { refactors } from '../../server/src/features/refactors';
import { applyEdits } from '../renameCases';
import { selectionRanges } from '../../server/src/features/selectionRanges';
import { documentSymbols } from '../../server/src/features/symbols';
import { createKnowledge, type Knowledge } from '../../server/src/options/knowledge';
import { createDocument, type EditableDocument, type PendingDocument, type TextChange } from '../../server/src/parse/documents';
import { breaksParse, type NixParser } from '../../server/src/parse/language';
import type { Position } from '../../server/src/parse/lineIndex';
import type { Finding } from '../../server/src/rules/types';
import { DocumentStore } from '../../server/src/parse/store';
import { allPackagesLike, crate2nixLike, random } from '../generated';
import { testNixFiles } from '../helpers';
import { invalidAnswer } from './validate';

export interface FuzzOptions {
  seed: number;
  /** Stop after this many edits (and the hostile set). */
  edits: number;
  /** Or after this long, whichever comes first. */
  minutes?: number;
  /** Include the hostile documents that take seconds each (a 10 MB file, a 1 MB line). */
  large?: boolean;
  progress?: (line: string) => void;
}

export interface FuzzReport {
  edits: number;
  /** Edits whose re-parsed tree differed from a parse from scratch, and was replaced by it. */
  replacedTrees: number;
  requests: number;
  failures: string[];
  /** The slowest answer of each kind, on files up to 2 MB. */
  slowest: Map<string, { ms: number; where: string }>;
}

/** Pieces an editor types, a paste brings, or a broken file holds. */
const SNIPPETS = [
  '', ';', '}', '{', ']', '[', '(', ')', ' ', '\n', '\r\n', '"', "''", '${', '}', 'a = 1;', 'x', 'inherit lib;', 'pkgs.', 'with pkgs; ',
  'let q = 1; in ', 'builtins.getEnv "HOME"', '# c\n', '/* c */', ' = ', 'rec ', 'a.b.c', 'x: ', '{ a, ... }@args: ', '<nixpkgs>', './p',
  'é', '😀', '\uD83D', '\uDE00', '\0', '\uFEFF', 'hardware.nvidia.open = true;', 'services.ollama.acceleration = "cuda";', 'mkIf true { }',
];

const REQUESTS = [
  'completion', 'hover', 'definition', 'references', 'highlights', 'selection', 'symbols', 'folding', 'codeActions',
  'rename', 'semanticTokens', 'inlayHints', 'signatureHelp', 'links', 'refactors',
] as const;
type RequestKind = (typeof REQUESTS)[number];

/** What a request answers, as plain data: the same on an edited document and a fresh parse. */
function answer(kind: RequestKind, parser: NixParser, doc: EditableDocument, position: Position, kb: Knowledge, findings: Finding[]): unknown {
  const offset = doc.lines.offsetAt(position);
  switch (kind) {
    case 'completion': return complete(parser, doc, offset, kb).items.map(i => i.label);
    case 'hover': return hover(doc, offset, kb, []) ?? null;
    case 'definition': return definition(doc, offset, kb, () => undefined) ?? null;
    case 'references': return references(doc, offset, true);
    case 'highlights': return highlights(doc, offset);
    case 'selection': return selectionRanges(doc, [position]);
    case 'symbols': return documentSymbols(doc);
    case 'folding': return foldingRanges(doc);
    case 'codeActions': return codeActions(doc, findings).map(a => ({ title: a.title, edits: a.edits }));
    case 'rename': return rename(doc, offset, 'renamed') ?? null;
    case 'semanticTokens': return semanticTokens(doc);
    case 'inlayHints': return inlayHints(doc, 0, doc.text.length, { kinds: new Set(['bindingEnds']), now: 0 });
    case 'signatureHelp': return signatureHelp(doc, offset) ?? null;
    case 'links': return documentLinks(doc, () => undefined, '/home/fuzz');
    case 'refactors': {
      // at the cursor, and over the node there as a selection; a result must parse where the text did
      const node = doc.tree.rootNode.descendantForIndex(offset, offset);
      const found = [...refactors(doc, offset, offset), ...(node ? refactors(doc, node.startIndex, node.endIndex) : [])];
      return found.map(r => ({ title: r.title, edits: r.edits, breaks: breaksParse(parser, doc.text, applyEdits(doc.text, r.edits)) }));
    }
  }
}

/** A position an editor may send: mostly real ones, some past a line's or the file's end, some inside a surrogate pair. */
function positionIn(doc: EditableDocument, rnd: () => number): Position {
  const r = rnd();
  if (r < 0.05) return { line: doc.lines.lineCount + Math.floor(rnd() * 3), character: Math.floor(rnd() * 10) };
  const offset = Math.floor(rnd() * (doc.text.length + 1));
  const p = doc.lines.positionAt(offset);
  if (r < 0.15) return { line: p.line, character: p.character + 1 + Math.floor(rnd() * 200) };
  if (r < 0.2) {
    const pair = doc.text.search(/[\uD800-\uDBFF][\uDC00-\uDFFF]/);
    if (pair >= 0) return doc.lines.positionAt(pair + 1);
  }
  return p;
}

/** A random change: a snippet typed, pasted over a few characters, or a deletion. */
function randomChange(doc: EditableDocument, rnd: () => number): TextChange {
  const a = Math.floor(rnd() * (doc.text.length + 1));
  const b = Math.min(doc.text.length, a + (rnd() < 0.7 ? 0 : Math.floor(rnd() * 40)));
  const text = rnd() < 0.2 ? '' : SNIPPETS[Math.floor(rnd() * SNIPPETS.length)];
  return { range: doc.lines.rangeOf(a, b), text };
}

const plain = (findings: Finding[]) => JSON.stringify(findings.map(f => [f.code, f.severity, f.range, f.message]));

/** The documents the edits start from: the project's own .nix files and generated large ones. */
function startingTexts(): Array<[string, string]> {
  return [
    ...testNixFiles(),
    ['generated/all-packages-like.nix', allPackagesLike(60_000, 21)],
    ['generated/Cargo-like.nix', crate2nixLike(80_000, 22)],
  ];
}

/** Documents no editor should choke on. */
export function hostileTexts(large: boolean): Array<[string, string]> {
  const deep = 20_000;
  const quoteless = crate2nixLike(400_000, 23);
  const cut = quoteless.indexOf('"', 30_000);
  const out: Array<[string, string]> = [
    ['nested lists', '['.repeat(deep) + 'x' + ']'.repeat(deep)],
    ['nested sets', '{ a = '.repeat(5000) + 'x' + '; }'.repeat(5000)],
    ['nested parentheses', '('.repeat(deep) + 'x' + ')'.repeat(deep)],
    ['nested lets', 'let a = '.repeat(5000) + 'x' + ' in a'.repeat(5000)],
    ['invalid UTF-8 (as decoded)', Buffer.from([0x7b, 0x20, 0x61, 0x20, 0x3d, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x3b, 0x20, 0x7d]).toString('utf8')],
    ['binary', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
    ['NUL bytes', '{ a = "\0\0"; \0 b = 1; }'],
    ['a lone BOM', '\uFEFF'],
    ['CRLF only', '\r\n'.repeat(1000)],
    ['lone surrogates', '{ a = "\uD800"; b = "\uDC00x"; }'],
    ['an unbalanced quote early in a large file', quoteless.slice(0, cut) + quoteless.slice(cut + 1)],
    ["an unbalanced '' early in a large file", quoteless.slice(0, cut) + "''" + quoteless.slice(cut)],
  ];
  if (large) {
    out.push(['a 1 MB line', `{ a = [ ${'"x" '.repeat(250_000)}]; }`]);
    out.push(['10 MB', allPackagesLike(10_000_000, 24)]);
  }
  return out;
}

export async function fuzz(parser: NixParser, options: FuzzOptions): Promise<FuzzReport> {
  const rnd = random(options.seed);
  const kb = createKnowledge();
  const report: FuzzReport = { edits: 0, replacedTrees: 0, requests: 0, failures: [], slowest: new Map() };
  const deadline = options.minutes ? Date.now() + options.minutes * 60_000 : Infinity;
  const texts = startingTexts();
  const fail = (where: string, what: string) => {
    report.failures.push(`${where}: ${what}`);
  };
  const timed = <T>(kind: string, where: string, size: number, fn: () => T): T => {
    const t = performance.now();
    const result = fn();
    const ms = performance.now() - t;
    const slowest = report.slowest.get(kind);
    if (size <= 2_000_000 && (!slowest || ms > slowest.ms)) report.slowest.set(kind, { ms, where });
    return result;
  };

  /** Every kind of request at a position of `doc`: valid, and the same as on a fresh parse of its text (if given). */
  const ask = (doc: EditableDocument, fresh: EditableDocument | undefined, findings: Finding[], kinds: readonly RequestKind[], position: Position, where: string) => {
    for (const kind of kinds) {
      report.requests++;
      const at = `${where}, ${kind} at ${position.line}:${position.character}`;
      try {
        const got = timed(kind, at, doc.text.length, () => answer(kind, parser, doc, position, kb, findings));
        const invalid = invalidAnswer(kind, got, doc);
        if (invalid) fail(at, invalid);
        if (!fresh) continue;
        const expected = JSON.stringify(answer(kind, parser, fresh, position, kb, findings));
        if (JSON.stringify(got) !== expected) fail(at, `differs from a fresh parse: ${JSON.stringify(got).slice(0, 300)} vs ${expected.slice(0, 300)}`);
      } catch (e) {
        fail(at, `threw ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
  };

  let session = 0;
  while (report.edits < options.edits && Date.now() < deadline && report.failures.length === 0) {
    session++;
    const [name, start] = texts[Math.floor(rnd() * texts.length)];
    const uri = `file:///fuzz/${name}`;
    const store = new DocumentStore(parser);
    const checks = new DocumentDiagnostics(8, (tree, text) => parser.copyFlat(tree, text));
    // one session in five as a file over nixAi.maxFileSizeMB: the syntax check alone, kept between versions
    const limit = rnd() < 0.2 ? { maxChars: 0 } : {};
    let doc = store.open(uri, 1, start);
    checks.check(doc, limit);
    const steps = 5 + Math.floor(rnd() * 30);
    for (let step = 0; step < steps && report.edits < options.edits && report.failures.length === 0; step++) {
      const where = `session ${session} (${name}${limit.maxChars === 0 ? ', over the size limit' : ''}), edit ${step + 1}`;
      try {
        doc = store.change(uri, doc.version + 1, [randomChange(doc, rnd)])!;
        report.edits++;
        // one edit in four parsed in slices, as the server parses a large document
        if (rnd() < 0.25) {
          const budget = rnd() * 2;
          while (!(doc as PendingDocument).advance(budget));
        }
        let findings = timed('diagnostics', where, doc.text.length, () => checks.check(doc, limit));
        // a tree re-parsed into broken text answers at once, validly; once typing pauses the
        // server compares it with a parse from scratch and, if they differ, starts over from that
        const provisional = invalidAnswer('diagnostics', findings, doc);
        if (provisional) fail(where, `before the verifying parse: ${provisional}`);
        if (store.verify(uri)) {
          report.replacedTrees++;
          checks.reset();
          doc = store.get(uri)!;
          findings = checks.check(doc, limit);
        }
        const fresh = createDocument(parser, uri, doc.version, doc.text);
        try {
          const expected = diagnose(fresh, limit);
          if (plain(findings) !== plain(expected)) fail(where, `diagnostics differ from a fresh analysis:\n  got      ${plain(findings).slice(0, 400)}\n  expected ${plain(expected).slice(0, 400)}`);
          const invalid = invalidAnswer('diagnostics', findings, doc);
          if (invalid) fail(where, invalid);
          if (rnd() < 0.5) ask(doc, fresh, findings, [REQUESTS[Math.floor(rnd() * REQUESTS.length)]], positionIn(doc, rnd), where);
        } finally {
          fresh.tree.delete();
        }
      } catch (e) {
        fail(where, `threw ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
    store.close(uri);
    if (session % 20 === 0) options.progress?.(`${report.edits} edits, ${report.requests} requests`);
  }

  // the hostile set: opened, checked, every request at a few places, one edit in the middle
  for (const [name, text] of report.failures.length ? [] : hostileTexts(options.large ?? false)) {
    options.progress?.(`hostile: ${name}`);
    const where = `hostile document "${name}"`;
    try {
      const doc = createDocument(parser, 'file:///fuzz/hostile.nix', 1, text);
      // checked as the server checks an open document, and (when it is not huge) compared with the whole-file analysis
      const checks = new DocumentDiagnostics(undefined, (tree, t) => parser.copyFlat(tree, t));
      const findings = timed('diagnostics', where, text.length, () => checks.check(doc));
      checks.reset();
      const invalid = invalidAnswer('diagnostics', findings, doc);
      if (invalid) fail(where, invalid);
      if (text.length < 1_000_000 && plain(findings) !== plain(diagnose(doc))) fail(where, 'diagnostics differ from the whole-file analysis');
      for (const offset of [0, Math.floor(text.length / 2), text.length]) ask(doc, undefined, findings, REQUESTS, doc.lines.positionAt(offset), where);
      doc.tree.delete();
    } catch (e) {
      fail(where, `threw ${e instanceof Error ? e.stack : String(e)}`);
    }
  }
  return report;
}
