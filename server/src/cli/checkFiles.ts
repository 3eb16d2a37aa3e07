import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { ModuleFacts } from '../analysis/facts';
import { diagnose } from '../features/diagnostics';
import { createKnowledge } from '../options/knowledge';
import { flatDocument, readDocument } from '../parse/documents';
import type { FlatTree } from '../parse/flatTree';
import type { NixParser } from '../parse/language';
import type { Severity } from '../rules/types';
import { readTextFile } from '../util/files';
import { Project } from '../workspace/project';
import type { FileReport } from './report';

export const ORDER: Severity[] = ['hint', 'information', 'warning', 'error'];

/** What a check run is asked: the release to assume, codes to leave out, the lowest severity kept. */
export interface CheckOptions {
  release: string;
  ignore: ReadonlySet<string>;
  severity?: Severity;
}

/** How much the trees kept from the first pass may take (about 10 MB of Nix), shared by the workers. */
export const KEEP_TREES_BYTES = 64 * 1024 * 1024;

/**
 * A check of some files among all the files checked (all of them in one thread; a share of them
 * in each of the CLI's workers). Two passes: first the project reads what every file says about
 * the others (plain facts), then each file is checked with what its configurations make of it,
 * and dropped. The second pass reuses the first pass's trees while they fit in KEEP_TREES_BYTES
 * and parses the rest again, so memory does not grow with the whole input's trees.
 */
export class FileChecker {
  private readonly texts = new Map<string, string>();
  /** The files of this share that could be read: full path -> the path as given. */
  private readonly shown = new Map<string, string>();
  /** The trees of the first pass, read again by the second, up to a memory budget (then parsed again). */
  private readonly trees = new Map<string, FlatTree>();
  private kept = 0;
  /** This share's files that could not be read (full paths): no file of the check, as in one thread. */
  private readonly unread = new Set<string>();
  private readonly project: Project;

  /** `all`: every file checked (full paths); `mine`: the ones this checker reads and reports (as given). */
  constructor(private readonly parser: NixParser, all: readonly string[], mine: readonly string[], readonly unreadable: FileReport[], keepTrees = KEEP_TREES_BYTES) {
    for (const file of mine) {
      const full = path.resolve(file);
      try {
        this.texts.set(full, fs.readFileSync(full, 'utf8'));
        this.shown.set(full, file);
      } catch (e) {
        this.unread.add(full);
        unreadable.push({ path: file, diagnostics: [], error: (e as Error).message });
      }
    }
    this.project = new Project(parser, {
      read: file => this.texts.get(file) ?? readTextFile(file),
      files: () => all.filter(f => !this.unread.has(f)),
      open: () => undefined,
      checksAll: true,
      parse: (file, text) => {
        const doc = readDocument(parser, file, text);
        if (this.shown.has(file) && this.kept + doc.tree.bytes <= keepTrees) {
          this.trees.set(file, doc.tree.reopen());
          this.kept += doc.tree.bytes;
        }
        return doc;
      },
    });
  }

  /** The first pass over this share alone: each file's facts (for the other workers). */
  facts(): Array<[string, ModuleFacts | undefined]> {
    return [...this.shown.keys()].map(f => [f, this.project.diskFacts(f)]);
  }

  /** Facts the other workers read. */
  seed(facts: Iterable<readonly [string, ModuleFacts | undefined]>): void {
    this.project.seed(facts);
  }

  /** The second pass: this share's reports, in the order the files were given. */
  check(args: CheckOptions): FileReport[] {
    const knowledge = createKnowledge();
    const minimum = args.severity ? ORDER.indexOf(args.severity) : 0;
    const out: FileReport[] = [];
    for (const [full, file] of this.shown) {
      const tree = this.trees.get(full);
      this.trees.delete(full);
      const uri = pathToFileURL(full).href;
      const doc = tree ? flatDocument(uri, tree) : readDocument(this.parser, uri, this.texts.get(full)!);
      const diagnostics = diagnose(doc, { ignore: args.ignore, context: this.project.contextFor(doc, args.release, knowledge) })
        .filter(d => ORDER.indexOf(d.severity) >= minimum);
      out.push({ path: file, diagnostics });
    }
    return out;
  }
}

/** Check `files` in this thread: unreadable ones are added to `reports`, the rest returned. */
export function checkFiles(parser: NixParser, files: string[], args: CheckOptions, reports: FileReport[]): FileReport[] {
  return new FileChecker(parser, [...new Set(files.map(f => path.resolve(f)))], files, reports).check(args);
}
