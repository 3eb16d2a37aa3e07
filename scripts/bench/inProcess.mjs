// In-process figures on the generated large files: parse speed, an incremental reparse, and
// every rule over the whole file (the work a full diagnostics pass does), on tree-sitter's tree and on
// the flat copy the CLI reads.
import path from 'node:path';
import { require, root, stats } from './common.mjs';

export async function inProcessSection() {
  const { parser } = require(path.join(root, 'out/test/helpers.js'));
  const { allPackagesLike, crate2nixLike } = require(path.join(root, 'out/test/generated.js'));
  const { createDocument, applyChanges, readDocument } = require(path.join(root, 'out/server/src/parse/documents.js'));
  const { diagnose } = require(path.join(root, 'out/server/src/features/diagnostics.js'));
  const p = await parser();
  const out = [];
  for (const [name, text] of [['all-packages-like', allPackagesLike()], ['crate2nix-like', crate2nixLike()]]) {
    let t = performance.now();
    let doc = createDocument(p, `file:///bench/${name}.nix`, 1, text);
    const parseMs = performance.now() - t;
    // type a character into a binding and take it out again: valid text both ways
    const at = doc.lines.positionAt(text.indexOf(' = ', text.length >> 1));
    const reparse = [];
    for (let i = 0; i < 40; i++) {
      const range = i % 2 ? { start: at, end: { line: at.line, character: at.character + 1 } } : { start: at, end: at };
      t = performance.now();
      const next = applyChanges(p, doc, doc.version + 1, [{ range, text: i % 2 ? '' : 'x' }]);
      reparse.push(performance.now() - t);
      doc.tree.delete();
      doc = next;
    }
    const passes = [];
    let findings = 0;
    for (let i = 0; i < 3; i++) {
      const fresh = createDocument(p, doc.uri, 1, text);
      t = performance.now();
      findings = diagnose(fresh).length;
      passes.push(performance.now() - t);
      fresh.tree.delete();
    }
    doc.tree.delete();
    // the CLI's way: parse, copy the tree into arrays, every rule
    const flat = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      diagnose(readDocument(p, doc.uri, text));
      flat.push(performance.now() - t);
    }
    out.push(`${name} (${(text.length / 1e6).toFixed(2)} MB): parse ${parseMs.toFixed(0)} ms = ${(text.length / 1e6 / (parseMs / 1000)).toFixed(1)} MB/s; edit + incremental reparse ${stats(reparse)}; every rule, whole file (${findings} findings) ${stats(passes)}; parse + flat copy + every rule ${stats(flat)}`);
  }
  return { lines: out, targets: [] };
}
