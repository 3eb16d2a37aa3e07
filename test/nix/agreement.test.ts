import assert from 'node:assert/strict';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { diagnose } from '../../server/src/features/diagnostics';
import { ROOT, parseDoc } from '../helpers';
import { nixParse, requireNix } from './nixTool';

const CORPUS = path.join(ROOT, 'test', 'nix-corpus');
const files = (dir: string) => fs.readdirSync(path.join(CORPUS, dir)).filter(f => f.endsWith('.nix')).sort().map(f => path.join(CORPUS, dir, f));

/** Our codes for what Nix's parser rejects. */
const PARSE_ERRORS = new Set(['syntax-error', 'duplicate-key']);

async function ourSyntaxErrors(file: string): Promise<string[]> {
  const doc = await parseDoc(fs.readFileSync(file, 'utf8'), `file://${file}`);
  return diagnose(doc).filter(f => PARSE_ERRORS.has(f.code)).map(f => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`);
}

test('our syntax check agrees with nix-instantiate --parse on every corpus file', async () => {
  requireNix();
  const all = [...files('valid'), ...files('invalid')];
  assert.ok(all.length >= 80, `the corpus should hold at least 80 files, it has ${all.length}`);
  const disagreements: string[] = [];
  const mislabelled: string[] = [];
  for (const file of all) {
    const nix = nixParse(file);
    const ours = await ourSyntaxErrors(file);
    const name = path.relative(CORPUS, file);
    if (nix.ok !== (ours.length === 0)) {
      disagreements.push(`${name}: nix ${nix.ok ? 'accepts' : `rejects (${nix.error})`}, we ${ours.length ? `report ${ours[0]}` : 'report nothing'}`);
    }
    if (nix.ok !== name.startsWith('valid')) mislabelled.push(`${name}: nix ${nix.ok ? 'accepts' : 'rejects'} it`);
  }
  const agreed = all.length - disagreements.length;
  console.log(`agreement with nix-instantiate --parse: ${agreed}/${all.length} files (${((100 * agreed) / all.length).toFixed(1)}%)`);
  assert.deepEqual(disagreements, []);
  assert.deepEqual(mislabelled, [], 'a corpus file is in the wrong folder');
});

test('files in nixfmt style (trailing commas in formals) get no syntax errors', async () => {
  const nixfmt = files('valid').filter(f => /trailing|nixfmt/.test(f));
  assert.ok(nixfmt.length >= 5);
  for (const file of nixfmt) assert.deepEqual(await ourSyntaxErrors(file), [], path.basename(file));
});

test('pipe operators: newer Nix accepts them, so we do, with a note that Nix 2.8 here rejects them', async () => {
  requireNix();
  for (const file of files('newer-nix')) {
    assert.deepEqual(await ourSyntaxErrors(file), [], path.basename(file));
    const doc = await parseDoc(fs.readFileSync(file, 'utf8'));
    assert.ok(diagnose(doc).some(f => f.code === 'pipe-operator'), `${path.basename(file)} gets a pipe-operator note`);
    assert.equal(nixParse(file).ok, false, `the installed Nix should reject ${path.basename(file)}`);
  }
});
