import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { diagnose } from '../../server/src/features/diagnostics';
import { undefinedName } from '../../server/src/rules/undefinedName';
import { tmpDir } from '../fixtureWorkspace';
import { ROOT, parseDoc } from '../helpers';
import { requireNix } from './nixTool';

/**
 * undefined-name against Nix itself: `nix-instantiate --parse` resolves every variable, so a file
 * it accepts has no undefined name, and one it rejects with "undefined variable 'x'" has x. Over
 * every .nix file of the checkout and generated files with deep and wide scopes.
 */
const ENV = { ...process.env, NIX_CONFIG: 'build-users-group =\nsubstituters =' };
const SKIP = new Set(['node_modules', 'out', 'dist', 'build', '.git']);

function nixFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) nixFiles(full, out);
    else if (e.name.endsWith('.nix')) out.push(full);
  }
  return out;
}

/** What Nix says: 'ok', the undefined name, or 'syntax' for any other error. */
function nixVerdict(file: string): { kind: 'ok' } | { kind: 'undefined'; name: string } | { kind: 'syntax' } {
  const r = spawnSync('nix-instantiate', ['--parse', file], { env: ENV, encoding: 'utf8' });
  if (r.status === 0) return { kind: 'ok' };
  const m = /undefined variable '([^']+)'/.exec(r.stderr ?? '');
  return m ? { kind: 'undefined', name: m[1] } : { kind: 'syntax' };
}

async function ourNames(file: string): Promise<string[]> {
  const doc = await parseDoc(fs.readFileSync(file, 'utf8'), pathToFileURL(file).href);
  const names = diagnose(doc, { rules: [undefinedName] }).map(f => /undefined variable '([^']+)'/.exec(f.message)?.[1] ?? f.message);
  doc.tree.delete();
  return names;
}

/** Generated files: scopes nested deep and wide, legacy let, rec sets extended later, with, inherit. */
function generated(): string[] {
  const dir = tmpDir('undefined-name');
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const deepLet = Array.from({ length: 300 }, (_, i) => `let v${i} = ${i === 0 ? '0' : `v${i - 1} + 1`}; in`).join('\n') + '\nv299\n';
  const wide = `rec {\n${Array.from({ length: 3000 }, (_, i) => `  p${i} = ${i % 7 === 0 ? 'callPackage' : 'f'} ./pkgs/p${i} { inherit p${(i + 1) % 3000}; };`).join('\n')}\n  callPackage = f: a: a;\n  f = callPackage;\n}\n`;
  const mixed = `{ lib, pkgs, ... }@args:\nlet\n  inherit (lib) mkIf;\n  cfg = args.config;\nin with pkgs; {\n  a = mkIf cfg.x [ hello ];\n  b = let { body = c; c = d; d = 1; };\n  e = rec { f = g; } // { g = 1; };\n  h = { i = rec { j = k; }; i.k = j; };\n  l = { m ? n, n ? 1 }: m;\n}\n`;
  const undefinedTail = `let a = 1; in { b = a; c = missingName; }\n`;
  return [write('deep-let.nix', deepLet), write('wide-rec.nix', wide), write('mixed-scopes.nix', mixed), write('undefined-tail.nix', undefinedTail)];
}

test('undefined-name agrees with nix-instantiate --parse on every .nix file here and on generated files', async () => {
  requireNix();
  const files = [...nixFiles(ROOT), ...generated()];
  assert.ok(files.length >= 150, `${files.length} files`);
  const wrong: string[] = [];
  let accepted = 0;
  let undefinedFiles = 0;
  for (const file of files) {
    const nix = nixVerdict(file);
    if (nix.kind === 'syntax') continue;
    const ours = await ourNames(file);
    const name = path.relative(ROOT, file);
    if (nix.kind === 'ok') {
      accepted++;
      if (ours.length) wrong.push(`${name}: Nix accepts it, we report ${ours.join(', ')}`);
    } else {
      undefinedFiles++;
      if (!ours.includes(nix.name)) wrong.push(`${name}: Nix reports '${nix.name}' undefined, we report ${ours.join(', ') || 'nothing'}`);
    }
  }
  console.log(`undefined-name vs nix-instantiate --parse: ${accepted} accepted files, ${undefinedFiles} with an undefined variable, ${wrong.length} disagreements`);
  assert.ok(undefinedFiles >= 2, 'the corpus holds files with an undefined variable, so the comparison can fail');
  assert.deepEqual(wrong, []);
});
