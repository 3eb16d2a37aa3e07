import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
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

/** How much the trees kept from the first pass may take (about 10 MB of Nix). */
const KEEP_TREES_BYTES = 64 * 1024 * 1024;

/**
 * Two passes: first the project reads what every file says about the others (plain facts), then
 * each file is checked with what its configurations make of it, and dropped. The second pass
 * reuses the first pass's trees while they fit in KEEP_TREES_BYTES and parses the rest again, so
 * memory does not grow with the whole input's trees.
 */
export function checkFiles(parser: NixParser, files: string[], args: CheckOptions, reports: FileReport[]): FileReport[] {
  const texts = new Map<string, string>();
  const shown = new Map<string, string>();
  // the trees of the first pass, read again by the second, up to a memory budget (then parsed again)
  const trees = new Map<string, FlatTree>();
  let kept = 0;
  for (const file of files) {
    const full = path.resolve(file);
    try {
      texts.set(full, fs.readFileSync(full, 'utf8'));
      shown.set(full, file);
    } catch (e) {
      reports.push({ path: file, diagnostics: [], error: (e as Error).message });
    }
  }
  const project = new Project(parser, {
    read: file => texts.get(file) ?? readTextFile(file),
    files: () => shown.keys(),
    open: () => undefined,
    checksAll: true,
    parse: (file, text) => {
      const doc = readDocument(parser, file, text);
      if (shown.has(file) && kept + doc.tree.bytes <= KEEP_TREES_BYTES) {
        trees.set(file, doc.tree.reopen());
        kept += doc.tree.bytes;
      }
      return doc;
    },
  });
  const knowledge = createKnowledge();
  const minimum = args.severity ? ORDER.indexOf(args.severity) : 0;
  const out: FileReport[] = [];
  for (const [full, file] of shown) {
    const tree = trees.get(full);
    trees.delete(full);
    const uri = pathToFileURL(full).href;
    const doc = tree ? flatDocument(uri, tree) : readDocument(parser, uri, texts.get(full)!);
    const diagnostics = diagnose(doc, { ignore: args.ignore, context: project.contextFor(doc, args.release, knowledge) })
      .filter(d => ORDER.indexOf(d.severity) >= minimum);
    out.push({ path: file, diagnostics });
  }
  return out;
}
