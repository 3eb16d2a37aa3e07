import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeActions } from '../../server/src/features/codeActions';
import { complete } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { diagnose } from '../../server/src/features/diagnostics';
import { foldingRanges } from '../../server/src/features/folding';
import { highlights } from '../../server/src/features/highlights';
import { hover } from '../../server/src/features/hover';
import { references } from '../../server/src/features/references';
import { selectionRanges, type SelectionRange } from '../../server/src/features/selectionRanges';
import { documentSymbols } from '../../server/src/features/symbols';
import { createKnowledge } from '../../server/src/options/knowledge';
import { invalidAnswer } from '../fuzz/validate';
import { parseDoc, parser } from '../helpers';

/** Documents nested far deeper than any real file (the deepest of 10,992 is 75 nodes), and an offset deep inside each. */
const DEEP = 20_000;
const HOSTILE: Record<string, [string, number]> = {
  lists: ['['.repeat(DEEP) + 'x' + ']'.repeat(DEEP), DEEP],
  parens: ['('.repeat(DEEP) + 'x' + ')'.repeat(DEEP), DEEP],
  sets: ['{ a = '.repeat(3000) + 'x' + '; }'.repeat(3000), 6 * 3000],
  lets: ['let a = '.repeat(3000) + 'x' + ' in a'.repeat(3000), 8 * 3000],
  functions: ['x: '.repeat(3000) + 'y', 3 * 3000],
  applications: ['f '.repeat(DEEP) + 'x', 0],
  conditions: ['if a then '.repeat(3000) + 'x' + ' else y'.repeat(3000), 10 * 3000],
  interpolations: ['"${'.repeat(3000) + 'x' + '}"'.repeat(3000), 3 * 3000],
  // error recovery keeps this one flat: no depth to check, but nothing may throw either
  unclosed: ['[ { a = ('.repeat(3000), 9 * 1500],
};

for (const [name, [text, deep]] of Object.entries(HOSTILE)) {
  test(`nested ${name}: every feature answers, with valid answers`, { timeout: 60_000 }, async () => {
    const doc = await parseDoc(text);
    const kb = createKnowledge();
    const p = await parser();
    const findings = diagnose(doc);
    codeActions(doc, findings);
    for (const offset of [0, deep, text.length]) {
      complete(p, doc, offset, kb);
      hover(doc, offset, kb, []);
      definition(doc, offset, kb, () => undefined);
      references(doc, offset, true);
      highlights(doc, offset);
      const selection = selectionRanges(doc, [doc.lines.positionAt(offset)]);
      assert.equal(invalidAnswer('selection', selection, doc), undefined);
      let depth = 0;
      for (let r: SelectionRange | undefined = selection[0]; r?.parent; r = r.parent) depth++;
      if (offset === deep && name !== 'unclosed') assert.ok(depth >= 1000, `selection ranges reach the top (${depth})`);
    }
    // names not empty, selections inside their ranges, folds in order: the fuzzer's validator
    assert.equal(invalidAnswer('symbols', documentSymbols(doc), doc), undefined);
    assert.equal(invalidAnswer('folding', foldingRanges(doc), doc), undefined);
    assert.equal(invalidAnswer('diagnostics', findings, doc), undefined);
  });
}

test('a name under more scopes than the climb limit is unknown, never reported as undefined', async () => {
  const scopes = (n: number, name: string) => `let x = 1; in ${'let a = 1; in '.repeat(n)}${name}`;
  const undefinedNames = async (text: string) => diagnose(await parseDoc(text)).filter(f => f.code === 'undefined-name').length;
  assert.equal(await undefinedNames(scopes(20, 'y')), 1);
  assert.equal(await undefinedNames(scopes(20, 'x')), 0);
  assert.equal(await undefinedNames(scopes(300, 'y')), 0);
  assert.equal(await undefinedNames(scopes(300, 'x')), 0);
  // nesting without scopes in between is climbed in one step per scope: still exact
  assert.equal(await undefinedNames(`let x = 1; in ${'['.repeat(400)}y${']'.repeat(400)}`), 1);
});
