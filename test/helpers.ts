import * as fs from 'fs';
import * as path from 'path';
import { analyzeWorkspace, type WorkspaceAnalysis } from '../server/src/analysis/configuration';
import { moduleFacts } from '../server/src/analysis/definitions';
import { diagnose } from '../server/src/features/diagnostics';
import { createDocument, type EditableDocument, type NixDocument } from '../server/src/parse/documents';
import { loadNixParser, type NixParser } from '../server/src/parse/language';
import type { Position } from '../server/src/parse/lineIndex';
import type { Finding } from '../server/src/rules/types';
import { bundledWasm } from '../server/src/wasmPaths';
import { allPackagesLike, crate2nixLike, random } from './generated';

/** The checkout's root (tests run from out/test/...). */
export const ROOT = path.resolve(__dirname, '..', '..');

let parserPromise: Promise<NixParser> | undefined;

/** The real parser: our grammar .wasm from build/ and web-tree-sitter's runtime. */
export function parser(): Promise<NixParser> {
  parserPromise ??= loadNixParser(bundledWasm(__dirname));
  return parserPromise;
}

export async function parseDoc(text: string, uri = 'file:///test.nix'): Promise<EditableDocument> {
  return createDocument(await parser(), uri, 1, text);
}

/** A fixture with a `$0` cursor marker: the text without it and the marker's position. */
export async function withCursor(marked: string, uri?: string): Promise<{ doc: EditableDocument; position: Position; offset: number }> {
  const offset = marked.indexOf('$0');
  if (offset === -1) throw new Error('fixture has no $0 marker');
  const doc = await parseDoc(marked.slice(0, offset) + marked.slice(offset + 2), uri);
  return { doc, position: doc.lines.positionAt(offset), offset };
}

export async function findings(text: string, code?: string): Promise<Finding[]> {
  const all = diagnose(await parseDoc(text));
  return code ? all.filter(f => f.code === code) : all;
}

/** The text a finding covers. */
export function covered(doc: NixDocument, f: { range: { start: Position; end: Position } }): string {
  return doc.text.slice(doc.lines.offsetAt(f.range.start), doc.lines.offsetAt(f.range.end));
}

/** In-memory files under /ws, parsed, and the configuration model over them. */
export async function workspaceOf(files: Record<string, string>): Promise<{ analysis: WorkspaceAnalysis; docs: Map<string, NixDocument> }> {
  const docs = new Map<string, NixDocument>();
  for (const [name, text] of Object.entries(files)) docs.set(`/ws/${name}`, await parseDoc(text, `file:///ws/${name}`));
  return { analysis: analyzeWorkspace(new Map([...docs].map(([f, d]) => [f, moduleFacts(d)]))), docs };
}

/** Every .nix file kept under test/, as [path from the repository root, text]. */
export function testNixFiles(): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const stack = [path.join(ROOT, 'test')];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.name.endsWith('.nix')) found.push([path.relative(ROOT, full), fs.readFileSync(full, 'utf8')]);
    }
  }
  return found.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Every .nix file the tests keep, and broken copies of some (a character dropped, a quote or brace added). */
export function treeTexts(): Array<[string, string]> {
  const found = testNixFiles();
  const rnd = random(17);
  const broken: Array<[string, string]> = [];
  for (const [name, text] of found.slice(0, 60)) {
    for (const insert of ['', '"', '{', '${', ';']) {
      const at = Math.floor(rnd() * text.length);
      broken.push([`${name} with "${insert}" at ${at}`, text.slice(0, at) + insert + text.slice(at + (insert ? 0 : 1))]);
    }
  }
  return [...found, ...broken, ['all-packages-like', allPackagesLike(60_000)], ['crate2nix-like', crate2nixLike(80_000)]];
}
