#!/usr/bin/env node
import {
  CodeActionKind, createConnection, FileChangeType, IPCMessageReader, IPCMessageWriter, LSPErrorCodes, ProposedFeatures, ResponseError,
  StreamMessageReader, StreamMessageWriter, TextDocumentSyncKind, type Connection, type InitializeResult, type Message, type ResponseMessage,
} from 'vscode-languageserver/node';
import { format } from 'util';
import { DEFAULT_SETTINGS, parseSettings, type ServerSettings } from './config';
import { codeActions } from './features/codeActions';
import { tooLarge } from './features/diagnostics';
import { complete, type CompletionEntry } from './features/completion';
import { definition } from './features/definition';
import { inputHover } from './features/inputNavigation';
import { DocumentDiagnostics } from './features/incrementalDiagnostics';
import { highlights } from './features/highlights';
import { hover } from './features/hover';
import { packageDetailMarkdown } from './features/optionDocs';
import { references } from './features/references';
import { foldingRanges } from './features/folding';
import { refactors } from './features/refactors';
import { selectionRanges } from './features/selectionRanges';
import { documentSymbols } from './features/symbols';
import { isWasmFault } from './parse/language';
import { loadParser } from './parse/native';
import { DocumentStore } from './parse/store';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { OptionsService, type ServiceState } from './options/service';
import {
  fromDiagnostic, toCodeAction, toCompletionList, toDiagnostic, toDocumentation, toDocumentSymbol, toFoldingRange, toHighlight, toHover,
  toLocation, toRefactorAction, toReferenceLocation, toSelectionRange, SEMANTIC_TOKENS_LEGEND, type ResolveData,
} from './protocol/convert';
import { filePathOf } from './analysis/definitions';
import { Arrivals } from './protocol/arrivals';
import { registerEditorHandlers } from './protocol/editorHandlers';
import { FrameFilter } from './protocol/frames';
import { pathKind, readTextFile } from './util/files';
import { collectNixFiles } from './util/nixFiles';
import { Project } from './workspace/project';
import { BackgroundParses } from './workspace/backgroundParse';
import { DiagnosticsScheduler } from './workspace/scheduler';
import { TreeVerifier } from './workspace/verifier';
import { Logger } from './util/logger';
import { GarbageLimit } from './util/memory';
import { VERSION } from './version';

/** Workspace files read for cross-file checks; past this, only open files and their imports count. */
const MAX_WORKSPACE_FILES = 3000;

/** file path -> file: URI, remembered: the project asks for thousands of paths on every analysis. */
const uris = new Map<string, string>();
function fileUri(file: string): string {
  let uri = uris.get(file);
  if (uri === undefined) {
    if (uris.size > 100_000) uris.clear();
    uris.set(file, (uri = pathToFileURL(file).href));
  }
  return uri;
}

/** Wiring only: capabilities, and one table of handlers that call the features. */
function start(connection: Connection, arrivals?: Arrivals): void {
  const log = new Logger(connection.console);
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let store: DocumentStore | undefined;
  let parses: BackgroundParses | undefined;
  let options: OptionsService | undefined;
  let project: Project | undefined;
  let workspaceFiles: string[] = [];
  let workspaceTruncated = false;
  let canRefreshHints = false;
  const published = new Map<string, number>();
  const garbage = new GarbageLimit();
  const workspace: Omit<ServiceState, 'settings'> = { folders: [], trusted: false };
  const reloadOptions = (fresh = false) => {
    void options?.reload({ ...workspace, settings }, fresh).catch(e => log.error(`loading options failed: ${e instanceof Error ? e.stack : String(e)}`));
  };

  /**
   * Run a handler; a failure is logged and answered with `fallback`, never a crash. A wasm fault
   * while working on `uri` leaves its trees untrusted: the document is parsed afresh and checked
   * again (once per version, so a fault that comes back does not loop).
   */
  const guard = <T>(what: string, fallback: T, fn: () => T, uri?: string): T => {
    try {
      return fn();
    } catch (e) {
      failed(what, e, uri);
      return fallback;
    }
  };
  const failed = (what: string, e: unknown, uri?: string) => {
    log.error(`${what} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    if (uri && isWasmFault(e)) recover(uri);
  };
  const recovered = new Map<string, number>();
  const recover = (uri: string) => {
    const doc = store?.get(uri);
    if (!doc) return;
    store!.renew(uri);
    const check = checks.get(uri);
    checks.delete(uri);
    try {
      check?.reset();
    } catch {
      // trees that met the fault may not free cleanly; they are dropped all the same
    }
    if (recovered.get(uri) === doc.version) return;
    recovered.set(uri, doc.version);
    log.warn(`${uri}: parsing it again from scratch after a fault in tree-sitter`);
    scheduler.changed(uri, []);
  };

  const publish = (uri: string) => {
    const doc = store?.get(uri);
    if (!doc) return;
    // a large document still being parsed in the background is checked once it is parsed
    if (parses?.whenParsed(uri, () => publish(uri))) return;
    const started = performance.now();
    const diagnostics = guard(`diagnostics for ${uri}`, [], () => findingsOf(doc).map(toDiagnostic), uri);
    scheduler.took(uri, performance.now() - started);
    published.set(uri, doc.version);
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
    if (tooLarge(doc.text, settings.maxFileChars)) garbage.settle();
    verifier.busy(uri);
  };

  /** Per open document: what its last check found, so an edit re-checks only what it touched. */
  const checks = new Map<string, DocumentDiagnostics>();
  const findingsOf = (doc: NonNullable<ReturnType<DocumentStore['get']>>) => {
    let check = checks.get(doc.uri);
    if (!check) checks.set(doc.uri, (check = new DocumentDiagnostics(undefined, (tree, text) => store!.parser.copyFlat(tree, text))));
    return check.check(doc, { ignore: settings.ignore, severity: settings.severity, maxChars: settings.maxFileChars },
      () => (project && options ? project.contextFor(doc, settings.nixosRelease, options.knowledge, settings.staleInputDays) : undefined));
  };

  const scheduler = new DiagnosticsScheduler(publish, () => parses?.busy ?? false);
  /** A tree re-parsed into broken text is compared with a parse from scratch once typing pauses; if it differs, every answer is renewed. */
  const verifier = new TreeVerifier(uri => {
    if (parses?.busy || scheduler.due(uri)) return 'later';
    guard(`verifying the parse of ${uri}`, undefined, () => {
      if (!store?.verify(uri)) return;
      checks.get(uri)?.reset();
      checks.delete(uri);
      editor.forget(uri);
      project?.changed();
      scheduleAll(uri);
    }, uri);
    return 'done';
  });
  /** A change in one file can change what a configuration holds: check every open document again, that one first. */
  const scheduleAll = (changed?: string) => scheduler.changed(changed, store?.uris() ?? []);

  const scanWorkspace = () => {
    const { files, truncated } = collectNixFiles(workspace.folders, MAX_WORKSPACE_FILES);
    workspaceFiles = files;
    workspaceTruncated = truncated;
    if (truncated) log.info(`cross-file checks read the first ${MAX_WORKSPACE_FILES} .nix files of the workspace, and all of the flake each open file belongs to; a module whose importer was not read counts as unknown`);
  };

  const applySettings = (raw: unknown) => {
    const { settings: next, problems } = parseSettings(raw);
    settings = next;
    log.level = next.logLevel;
    for (const p of problems) log.warn(`setting ignored: ${p}`);
  };

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    const init = params.initializationOptions as { settings?: unknown; trusted?: boolean; cacheDir?: string } | undefined;
    applySettings(init?.settings);
    canRefreshHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    // Only a client that says so (VS Code after workspace trust) lets us evaluate the workspace.
    workspace.trusted = init?.trusted === true;
    workspace.folders = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []))
      .filter(f => f.uri.startsWith('file:'))
      .map(f => fileURLToPath(f.uri));
    const parser = await loadParser(__dirname, message => log.info(message), message => log.warn(message));
    store = new DocumentStore(parser);
    const docs = store;
    parses = new BackgroundParses(docs, (uri, e) => failed(`parsing ${uri}`, e, uri), uri => scheduler.urgent(uri));
    scanWorkspace();
    project = new Project(parser, {
      read: file => readTextFile(file),
      files: () => [...workspaceFiles, ...docs.uris().filter(u => u.startsWith('file:')).map(filePathOf)],
      open: file => docs.get(fileUri(file)),
      maxChars: () => settings.maxFileChars,
      partial: () => workspaceTruncated,
    });
    const cacheDir = init?.cacheDir ?? path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'nix-ai');
    options = new OptionsService(parser, {
      log: (level, message) => log[level](message),
      source: source => void connection.sendNotification('nixAi/knowledge', source),
      ask: async (message, choices) => (await connection.window.showInformationMessage(message, ...choices.map(title => ({ title }))))?.title,
      warn: message => void connection.window.showWarningMessage(message),
      progress: (title, cancel) => {
        const reporter = connection.window.createWorkDoneProgress();
        let ended = false;
        void reporter.then(r => {
          if (ended) return r.done();
          r.begin(title, undefined, undefined, true);
          r.token.onCancellationRequested(() => cancel.abort());
        });
        return {
          report: message => void reporter.then(r => !ended && r.report(message)),
          done: () => {
            ended = true;
            void reporter.then(r => r.done());
          },
        };
      },
    }, path.join(cacheDir, 'options'), os.hostname());
    log.info(`nix-ai-ls ${VERSION} ready (whole files parsed by ${parser.flatBy === 'native' ? 'the native parser' : 'web-tree-sitter'})`);
    return {
      serverInfo: { name: 'nix-ai-ls', version: VERSION },
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        completionProvider: { triggerCharacters: ['.', '"'], resolveProvider: true },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentFormattingProvider: true,
        documentLinkProvider: { resolveProvider: false },
        inlayHintProvider: true,
        workspaceSymbolProvider: true,
        signatureHelpProvider: { triggerCharacters: [' '] },
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: { delta: true }, range: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.RefactorExtract] },
      },
    };
  });

  connection.onInitialized(() => reloadOptions());
  connection.onShutdown(() => {
    shutdownReceived = true;
  });

  connection.onDidChangeConfiguration(params => {
    const all = params.settings as { nixAi?: unknown } | undefined;
    if (all?.nixAi === undefined) return;
    const before = JSON.stringify([settings.options, settings.nixPath]);
    applySettings(all.nixAi);
    scheduleAll();
    if (canRefreshHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
    if (JSON.stringify([settings.options, settings.nixPath]) !== before) reloadOptions();
  });

  connection.onNotification('nixAi/workspaceTrusted', () => {
    workspace.trusted = true;
    reloadOptions();
  });
  connection.onNotification('nixAi/reloadOptions', () => reloadOptions(true));
  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (changes.some(c => /\/flake\.(lock|nix)$/.test(c.uri))) reloadOptions();
    if (changes.some(c => c.type !== FileChangeType.Changed)) scanWorkspace();
    for (const c of changes) if (c.uri.startsWith('file:')) project?.invalidate(filePathOf(c.uri));
    scheduleAll();
  });

  connection.onDidOpenTextDocument(({ textDocument: d }) => guard('open', undefined, () => {
    store?.open(d.uri, d.version, d.text);
    project?.changed();
    scheduleAll(d.uri);
  }));

  connection.onDidChangeTextDocument(({ textDocument: d, contentChanges }) => guard('change', undefined, () => {
    // the tree is parsed when first read (a request or the check), not per keystroke
    store?.change(d.uri, d.version, contentChanges.map(c => ('range' in c ? { range: c.range, text: c.text } : { text: c.text })));
    // a parse of the old text under way is dropped; the check of the new one starts the next
    parses?.forget(d.uri);
    project?.changed(filePathOf(d.uri));
    scheduleAll(d.uri);
    verifier.changed(d.uri);
  }));

  connection.onDidCloseTextDocument(({ textDocument: d }) => guard('close', undefined, () => {
    scheduler.forget(d.uri);
    verifier.forget(d.uri);
    parses?.forget(d.uri);
    store?.close(d.uri);
    published.delete(d.uri);
    checks.get(d.uri)?.reset();
    checks.delete(d.uri);
    editor.forget(d.uri);
    tooLargeSaid.delete(d.uri);
    recovered.delete(d.uri);
    if (d.uri.startsWith('file:')) project?.invalidate(filePathOf(d.uri));
    void connection.sendDiagnostics({ uri: d.uri, diagnostics: [] });
    scheduleAll();
  }));

  const withDoc = <T>(uri: string, what: string, fallback: T, fn: (doc: NonNullable<ReturnType<DocumentStore['get']>>) => T): T | ResponseError => {
    const doc = store?.get(uri);
    if (!doc) return fallback;
    // a newer version is already waiting in the queue: the answer would be about old text
    if (arrivals?.newerThan(uri, doc.version)) return new ResponseError(LSPErrorCodes.ContentModified, 'the document changed since this request was sent');
    return guard(`${what} for ${uri}`, fallback, () => {
      // what the last check read at the top of a large file: a request need not read it again
      // (once per tree: the units and the file context are remembered per tree)
      checks.get(uri)?.primeContext(doc);
      return fn(doc);
    }, uri);
  };

  connection.onCodeAction(({ textDocument, context, range }) =>
    withDoc(textDocument.uri, 'code actions', [], doc => {
      const wants = (kind: string) => !context.only || context.only.some(k => kind === k || kind.startsWith(`${k}.`));
      const rewrites = wants(CodeActionKind.RefactorRewrite) || wants(CodeActionKind.RefactorExtract)
        ? refactors(doc, doc.lines.offsetAt(range.start), doc.lines.offsetAt(range.end)).filter(r => wants(r.kind)).map(r => toRefactorAction(r, doc.uri, doc.lines))
        : [];
      if (!wants(CodeActionKind.QuickFix)) return rewrites;
      const ours = context.diagnostics.filter(d => d.source === 'nix-ai').map(fromDiagnostic);
      // Fixes stored in a diagnostic were computed for the version it was published for; after
      // an edit that has not been checked yet, take them from a fresh check instead.
      if (published.get(doc.uri) !== doc.version) {
        const fresh = findingsOf(doc);
        for (const d of ours) {
          const same = fresh.find(f => f.code === d.code && f.range.start.line === d.range.start.line);
          d.fixes = same?.fixes;
        }
      }
      return [...codeActions(doc, ours).map(a => toCodeAction(a, doc.uri)), ...rewrites];
    }));

  /**
   * Answers that read the whole file are not given past the size limit (a 10 MB outline took
   * 11 s and 2.4 GB): no answer, and the editor falls back to its own (VS Code folds by indentation).
   */
  const wholeFile = <T>(uri: string, what: string, fn: (doc: NonNullable<ReturnType<DocumentStore['get']>>) => T): T | null | ResponseError =>
    withDoc(uri, what, null, doc => {
      if (!tooLarge(doc.text, settings.maxFileChars)) return fn(doc);
      if (!tooLargeSaid.has(uri)) log.info(`${uri} is over nixAi.maxFileSizeMB: outline, folding, references and highlights are off in it`);
      tooLargeSaid.add(uri);
      return null;
    });
  const tooLargeSaid = new Set<string>();

  connection.onDocumentSymbol(({ textDocument }) =>
    wholeFile(textDocument.uri, 'symbols', doc => documentSymbols(doc).map(toDocumentSymbol)));
  connection.onFoldingRanges(({ textDocument }) =>
    wholeFile(textDocument.uri, 'folding', doc => foldingRanges(doc).map(toFoldingRange)));
  connection.onSelectionRanges(({ textDocument, positions }) =>
    withDoc(textDocument.uri, 'selection ranges', [], doc => selectionRanges(doc, positions).map(toSelectionRange)));

  /** What the document's flake inputs hold (files on disk only: an unsaved buffer has no flake). */
  const inputsOf = (doc: { uri: string }) => (project && doc.uri.startsWith('file:') ? project.inputLookup(filePathOf(doc.uri)) : undefined);

  /** The last completion list's entries: a long list's documentation is sent on resolve. */
  let lastList: { id: number; entries: CompletionEntry[] } = { id: 0, entries: [] };
  connection.onCompletion(async ({ textDocument, position }) => {
    const ask = () => withDoc(textDocument.uri, 'completion', null, doc => ({ result: complete(store!.parser, doc, doc.lines.offsetAt(position), options!.knowledge, undefined, undefined, inputsOf(doc)), doc }));
    let found = ask();
    // a nested package set being listed (`pkgs.python3Packages.`): answer once it is there
    if (found && !(found instanceof ResponseError) && found.result.waitFor) {
      const version = found.doc.version;
      await found.result.waitFor;
      found = ask();
      if (found && !(found instanceof ResponseError) && found.doc.version !== version) return new ResponseError(LSPErrorCodes.ContentModified, 'the document changed while the packages were listed');
    }
    if (!found || found instanceof ResponseError) return found;
    lastList = { id: lastList.id + 1, entries: found.result.items };
    return toCompletionList(found.result, found.doc.lines, lastList.id);
  });
  connection.onCompletionResolve(async item => {
    const data = item.data as ResolveData | undefined;
    const entry = data?.list === lastList.id ? lastList.entries[data.item] : undefined;
    const kb = options?.knowledge;
    let markdown = entry && guard('completion resolve', undefined, () => entry.documentation ?? entry.later?.());
    if (entry?.package && kb?.packageDetails) {
      const detail = await kb.packageDetails.detail(entry.package).catch(() => undefined);
      markdown = packageDetailMarkdown(['pkgs', ...entry.package].join('.'), detail, kb.packages.get(entry.package), kb.packagesFrom);
    }
    return markdown ? { ...item, documentation: toDocumentation(markdown) } : item;
  });
  connection.onHover(async ({ textDocument, position }) => {
    const found = withDoc(textDocument.uri, 'hover', null, doc => {
      const configs = project ? project.configurationsNow(filePathOf(doc.uri)) : [];
      const offset = doc.lines.offsetAt(position);
      const inputs = inputsOf(doc);
      const h = (inputs && inputHover(doc, offset, inputs, Date.now())) ?? hover(doc, offset, options!.knowledge, configs);
      return h && { h, lines: doc.lines };
    });
    if (!found || found instanceof ResponseError) return found;
    const { h, lines } = found;
    // a package of the user's nixpkgs seen for the first time: ask it (once; then from the cache).
    // A cancelled hover stops waiting, not the evaluation: the next hover finds its answer.
    const kb = options!.knowledge;
    if (h.package && kb.packageDetails) {
      const detail = await kb.packageDetails.detail(h.package.path).catch(() => undefined);
      h.markdown = packageDetailMarkdown(h.package.shown, detail, kb.packages.get(h.package.path), kb.packagesFrom);
    }
    return toHover(h, lines);
  });
  connection.onDefinition(({ textDocument, position }) =>
    withDoc(textDocument.uri, 'definition', null, doc => {
      const l = definition(doc, doc.lines.offsetAt(position), options!.knowledge, readTextFile, { kind: pathKind, home: os.homedir() }, inputsOf(doc));
      return l ? toLocation(l, doc.uri, doc.lines) : null;
    }));
  connection.onReferences(({ textDocument, position, context }) =>
    wholeFile(textDocument.uri, 'references', doc =>
      references(doc, doc.lines.offsetAt(position), context.includeDeclaration).map(o => toReferenceLocation(o, doc.uri, doc.lines))));
  connection.onDocumentHighlight(({ textDocument, position }) =>
    wholeFile(textDocument.uri, 'highlights', doc => highlights(doc, doc.lines.offsetAt(position)).map(o => toHighlight(o, doc.lines))));

  const editor = registerEditorHandlers(connection, {
    log, workspace, fileUri, guard, withDoc, wholeFile,
    settings: () => settings, store: () => store, project: () => project, options: () => options, workspaceFiles: () => workspaceFiles,
  });

  connection.listen();
}

function main(argv: string[]): void {
  if (argv.includes('--version')) {
    process.stdout.write(`nix-ai-ls ${VERSION}\n`);
    return;
  }
  if (!argv.some(a => /^--(stdio|node-ipc|socket|pipe)/.test(a))) {
    process.stderr.write('usage: nix-ai-ls --stdio\n  A Nix language server speaking LSP over standard input and output.\n');
    process.exitCode = 2;
    return;
  }
  // web-tree-sitter frees trees from a FinalizationRegistry, outside any handler: a wasm fault
  // there is logged and the server goes on (each document recovers when next read); anything
  // else is a bug that ends the process, as it would without this handler
  process.on('uncaughtException', e => {
    process.stderr.write(`nix-ai-ls: ${isWasmFault(e) ? 'tree-sitter faulted outside a request' : 'uncaught error'}: ${e.stack ?? e.message}\n`);
    if (!isWasmFault(e)) process.exit(1);
  });
  // A request still waiting in the queue when its cancellation arrives is answered at once.
  const strategy = { cancelUndispatched: cancelled };
  const arrivals = new Arrivals();
  if (argv.includes('--stdio')) {
    // stdout carries the protocol: anything a library prints goes to stderr instead
    for (const k of ['log', 'info', 'debug', 'warn'] as const) console[k] = (...a: unknown[]) => void process.stderr.write(`${format(...a)}\n`);
    const input = process.stdin.pipe(new FrameFilter(message => void process.stderr.write(`nix-ai-ls: ${message}\n`)));
    // the editor closing our input means it is gone
    input.on('end', () => process.exit(shutdownReceived ? 0 : 1));
    start(createConnection(ProposedFeatures.all, arrivals.watch(new StreamMessageReader(input)), new StreamMessageWriter(process.stdout), strategy), arrivals);
  } else if (argv.includes('--node-ipc')) {
    start(createConnection(ProposedFeatures.all, arrivals.watch(new IPCMessageReader(process)), new IPCMessageWriter(process), strategy), arrivals);
  } else {
    // --socket=PORT / --pipe=NAME: the editor listens and we connect, as vscode-languageclient does
    const port = transportArg(argv, 'socket');
    const where = port ?? transportArg(argv, 'pipe')!;
    const socket = port !== undefined && /^\d+$/.test(port) ? net.connect(Number(port), '127.0.0.1') : net.connect(where);
    socket.on('error', e => {
      process.stderr.write(`nix-ai-ls: cannot reach the editor at ${where}: ${e.message}\n`);
      process.exit(1);
    });
    const input = socket.pipe(new FrameFilter(message => void process.stderr.write(`nix-ai-ls: ${message}\n`), 'the socket'));
    input.on('end', () => process.exit(shutdownReceived ? 0 : 1));
    start(createConnection(ProposedFeatures.all, arrivals.watch(new StreamMessageReader(input)), new StreamMessageWriter(socket), strategy), arrivals);
  }
}

/** The value of `--name=value` or `--name value`. */
function transportArg(argv: string[], name: string): string | undefined {
  const i = argv.findIndex(a => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

/** Set by the shutdown request: an input that ends after it ends the server cleanly. */
let shutdownReceived = false;

/** The answer to a request cancelled before it ran. */
function cancelled(message: Message): ResponseMessage {
  const id = 'id' in message ? (message as { id: number | string | null }).id : null;
  return { jsonrpc: '2.0', id, error: { code: LSPErrorCodes.RequestCancelled, message: 'request cancelled' } };
}

main(process.argv.slice(2));
