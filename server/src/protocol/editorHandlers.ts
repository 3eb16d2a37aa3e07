import * as os from 'os';
import * as path from 'path';
import {
  ErrorCodes, LSPErrorCodes, ResponseError, SemanticTokensBuilder, type Connection, type SemanticTokens,
} from 'vscode-languageserver/node';
import { filePathOf } from '../analysis/definitions';
import { parseLock } from '../analysis/flakeLock';
import type { ServerSettings } from '../config';
import { tooLarge } from '../features/diagnostics';
import { format as formatText } from '../features/formatting';
import { inlayHints } from '../features/inlayHints';
import { documentLinks } from '../features/links';
import { prepareRename, rename } from '../features/rename';
import { optionKeysOf, semanticTokens } from '../features/semanticTokens';
import { signatureHelp } from '../features/signatureHelp';
import { workspaceSymbols } from '../features/workspaceSymbols';
import { createKnowledge } from '../options/knowledge';
import type { OptionsService } from '../options/service';
import { flatView, readDocument } from '../parse/documents';
import { breaksParse } from '../parse/language';
import { LineIndex } from '../parse/lineIndex';
import type { DocumentStore } from '../parse/store';
import { pathKind, readTextFile } from '../util/files';
import type { Logger } from '../util/logger';
import type { Project } from '../workspace/project';
import {
  pushTokens, toDocumentLink, toInlayHint, toRenameTarget, toSignatureHelp, toTextEdit, toWorkspaceEdit, toWorkspaceSymbol,
} from './convert';

type Doc = NonNullable<ReturnType<DocumentStore['get']>>;

/** What the handlers here need from the server: its state (read when a request comes) and its wrappers. */
export interface HandlerHost {
  log: Logger;
  workspace: { folders: string[] };
  settings(): ServerSettings;
  store(): DocumentStore | undefined;
  project(): Project | undefined;
  options(): OptionsService | undefined;
  workspaceFiles(): readonly string[];
  fileUri(file: string): string;
  guard<T>(what: string, fallback: T, fn: () => T, uri?: string): T;
  withDoc<T>(uri: string, what: string, fallback: T, fn: (doc: Doc) => T): T | ResponseError;
  wholeFile<T>(uri: string, what: string, fn: (doc: Doc) => T): T | null | ResponseError;
}

/** Past this many characters semantic tokens are given for ranges only: a whole 0.1 MB file takes about 30 ms, 0.8 MB 140 ms. */
const FULL_TOKENS_CHARS = 100_000;
const CATALOG_ONLY = createKnowledge();

/**
 * The handlers of the editing features: rename, links, semantic tokens, workspace symbols,
 * signature help, inlay hints and formatting. Each calls its feature and converts the answer.
 */
export function registerEditorHandlers(connection: Connection, host: HandlerHost): { forget(uri: string): void } {
  const knowledge = () => host.options()?.knowledge ?? CATALOG_ONLY;
  /** The configurations a file is part of, when the project can say. */
  const configurationsOf = (doc: Doc) => {
    const project = host.project();
    return project && doc.uri.startsWith('file:') ? project.contextFor(doc, host.settings().nixosRelease, knowledge()).configurations : undefined;
  };

  // a refusal is an error with the reason: editors show it where the new name was typed
  const refusal = (message: string) => new ResponseError(ErrorCodes.InvalidRequest, message);
  connection.onPrepareRename(({ textDocument, position }) =>
    host.wholeFile(textDocument.uri, 'prepare rename', doc => {
      const t = prepareRename(doc, doc.lines.offsetAt(position));
      if (!t) return null;
      return 'refused' in t ? refusal(t.refused) : toRenameTarget(t, doc.lines);
    }));
  connection.onRenameRequest(({ textDocument, position, newName }) =>
    host.wholeFile(textDocument.uri, 'rename', doc => {
      const r = rename(doc, doc.lines.offsetAt(position), newName.trim());
      if (!r) return null;
      return 'refused' in r ? refusal(r.refused) : toWorkspaceEdit(r.edits, doc.uri, doc.lines);
    }));

  connection.onDocumentLinks(({ textDocument }) =>
    host.wholeFile(textDocument.uri, 'links', doc => documentLinks(doc, pathKind, os.homedir()).map(l => toDocumentLink(l, doc.lines))));

  /**
   * Semantic tokens. The whole file is read on a flat copy of its tree (a third of the time); past
   * FULL_TOKENS_CHARS there is no whole-file answer and editors ask for the lines on screen.
   */
  const tokenBuilders = new Map<string, SemanticTokensBuilder>();
  // LSP allows null ("no answer for the whole file"); the library's types do not say so
  const NO_TOKENS = null as unknown as SemanticTokens;
  const tokensOf = (doc: Doc, start?: number, end?: number) => {
    const keys = optionKeysOf(doc, knowledge(), configurationsOf(doc) ?? []);
    const view = start === undefined ? flatView(doc, host.store()!.parser.copyFlat) : doc;
    return semanticTokens(view, keys, start, end);
  };
  const fullTokens = (uri: string, previous?: string) =>
    host.withDoc(uri, 'semantic tokens', NO_TOKENS, doc => {
      if (doc.text.length > FULL_TOKENS_CHARS) return NO_TOKENS;
      let builder = tokenBuilders.get(uri);
      if (!builder || previous === undefined) tokenBuilders.set(uri, (builder = new SemanticTokensBuilder()));
      else builder.previousResult(previous);
      pushTokens(builder, tokensOf(doc), doc.lines);
      return previous === undefined ? builder.build() : builder.buildEdits();
    });
  connection.languages.semanticTokens.on(({ textDocument }) => fullTokens(textDocument.uri) as SemanticTokens | ResponseError);
  connection.languages.semanticTokens.onDelta(({ textDocument, previousResultId }) => fullTokens(textDocument.uri, previousResultId));
  connection.languages.semanticTokens.onRange(({ textDocument, range }) =>
    host.withDoc(textDocument.uri, 'semantic tokens', NO_TOKENS, doc =>
      pushTokens(new SemanticTokensBuilder(), tokensOf(doc, doc.lines.offsetAt(range.start), doc.lines.offsetAt(range.end)), doc.lines).build()));

  connection.onWorkspaceSymbol(({ query }) => host.guard('workspace symbols', [], () => {
    const project = host.project();
    const store = host.store();
    if (!project || !store) return [];
    const docOf = (file: string) => {
      const open = store.get(host.fileUri(file));
      if (open) return open;
      const text = readTextFile(file);
      return text === undefined || tooLarge(text, host.settings().maxFileChars) ? undefined : readDocument(store.parser, host.fileUri(file), text);
    };
    const flakes = host.workspaceFiles().filter(f => path.basename(f) === 'flake.nix').flatMap(file => {
      const doc = docOf(file);
      return doc ? [{ file, doc }] : [];
    });
    const lines = new Map<string, LineIndex | undefined>();
    const linesOf = (file: string) => {
      if (!lines.has(file)) {
        const text = store.get(host.fileUri(file))?.text ?? readTextFile(file);
        lines.set(file, text === undefined ? undefined : new LineIndex(text));
      }
      return lines.get(file);
    };
    const label = (file: string) => {
      const folder = host.workspace.folders.find(f => file.startsWith(f + path.sep));
      return folder ? path.relative(folder, file) : file;
    };
    return workspaceSymbols(query, { facts: project.analyze().facts().values(), flakes, lines: linesOf, label }).map(s => toWorkspaceSymbol(s, host.fileUri(s.file)));
  }));

  connection.onSignatureHelp(({ textDocument, position }) =>
    host.withDoc(textDocument.uri, 'signature help', null, doc => {
      const s = signatureHelp(doc, doc.lines.offsetAt(position));
      return s ? toSignatureHelp(s) : null;
    }));

  connection.languages.inlayHint.on(({ textDocument, range }) =>
    host.withDoc(textDocument.uri, 'inlay hints', null, doc => {
      const file = doc.uri.startsWith('file:') ? filePathOf(doc.uri) : undefined;
      const lock = file && path.basename(file) === 'flake.nix' ? parseLock(host.project()?.flakeOf(file)?.lock) : undefined;
      const hints = inlayHints(doc, doc.lines.offsetAt(range.start), doc.lines.offsetAt(range.end), {
        lock, knowledge: knowledge(), configurations: configurationsOf(doc), kinds: host.settings().inlayHints, now: Date.now(),
      });
      return hints.map(h => toInlayHint(h, doc.lines));
    }));

  /** The formatter said once that it is missing; said again only after the setting changes. */
  let formatterMissing: string | undefined;
  connection.onDocumentFormatting(async ({ textDocument }, token) => {
    const doc = host.store()?.get(textDocument.uri);
    if (!doc) return null;
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const file = doc.uri.startsWith('file:') ? filePathOf(doc.uri) : undefined;
    const cwd = (file && host.workspace.folders.find(f => file.startsWith(f + path.sep))) ?? (file ? path.dirname(file) : os.homedir());
    const r = await formatText({
      text: doc.text, argv: host.settings().formatter, cwd, signal: abort.signal,
      breaks: (before, after) => host.guard('parsing formatter output', true, () => breaksParse(host.store()!.parser, before, after)),
    }).catch((e: unknown) => ({ kind: 'refused' as const, message: `formatting failed: ${e instanceof Error ? e.message : String(e)}` }));
    if (r.kind === 'edits') {
      // the text changed while the formatter ran: its answer is about old text
      if (host.store()?.get(doc.uri)?.version !== doc.version) return new ResponseError(LSPErrorCodes.ContentModified, 'the document changed while it was being formatted');
      return r.edits.map(e => toTextEdit(e, doc.lines));
    }
    if (r.kind === 'missing' && formatterMissing !== r.command) {
      formatterMissing = r.command;
      void connection.window.showWarningMessage(`${r.command} is not installed, so Nix files cannot be formatted. Install nixfmt, or set nixAi.formatter.command.`);
    } else if (r.kind === 'refused') {
      host.log.warn(r.message);
      void connection.window.showErrorMessage(r.message);
    }
    return null;
  });

  return { forget: uri => tokenBuilders.delete(uri) };
}
