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
  out.push(await tokensLine(p, allPackagesLike));
  return { lines: out, targets: [] };
}

/** Semantic tokens as the server answers them: a whole file up to its limit, a screen of a larger one. */
async function tokensLine(p, allPackagesLike) {
  const { createDocument, flatDocument } = require(path.join(root, 'out/server/src/parse/documents.js'));
  const { semanticTokens } = require(path.join(root, 'out/server/src/features/semanticTokens.js'));
  const small = createDocument(p, 'file:///bench/small.nix', 1, allPackagesLike(100_000, 3));
  const large = createDocument(p, 'file:///bench/large.nix', 1, allPackagesLike());
  const whole = [];
  const screen = [];
  for (let i = 0; i < 20; i++) {
    let t = performance.now();
    semanticTokens({ ...flatDocument(small.uri, p.copyFlat(small.tree, small.text)), lines: small.lines });
    whole.push(performance.now() - t);
    const line = Math.floor((i + 1) * large.lines.lineCount / 22);
    const start = large.lines.offsetAt({ line, character: 0 });
    const end = large.lines.offsetAt({ line: line + 60, character: 0 });
    t = performance.now();
    semanticTokens(large, [], start, end);
    screen.push(performance.now() - t);
  }
  small.tree.delete();
  large.tree.delete();
  return `semantic tokens: whole 0.1 MB file (flat copy included) ${stats(whole)}; 60 lines of the 0.8 MB file ${stats(screen)}`;
}
