import assert from 'node:assert/strict';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/features/semanticTokens';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { COMMANDS } from '../../client/src/commands';
import { parseSettings, SETTINGS } from '../../server/src/config';
import { RULES } from '../../server/src/rules';
import { ROOT } from '../helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

test("package.json's settings are exactly the config schema's, with the same types and defaults", () => {
  const declared = pkg.contributes.configuration.properties as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(declared).sort(), Object.keys(SETTINGS).sort());
  for (const [key, s] of Object.entries(SETTINGS)) {
    const d = declared[key];
    assert.equal(d.type, s.type, `${key}: type`);
    assert.deepEqual(d.default, s.default, `${key}: default`);
    assert.deepEqual(d.enum, 'enum' in s ? s.enum : undefined, `${key}: enum`);
    assert.equal(d.description, s.description, `${key}: description`);
    assert.equal(d.restricted, 'restricted' in s ? s.restricted : undefined, `${key}: restricted`);
  }
});

test("package.json's commands are exactly the client's command table", () => {
  const declared = (pkg.contributes.commands as Array<{ command: string }>).map(c => c.command).sort();
  assert.deepEqual(declared, Object.keys(COMMANDS).sort());
});

test('a bad setting is reported for its key; the other keys still apply', () => {
  const { settings, problems } = parseSettings({ logLevel: 'loud', diagnostics: { ignored: ['pipe-operator'] } });
  assert.equal(settings.logLevel, 'info');
  assert.deepEqual([...settings.ignore], ['pipe-operator']);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^nixAi\.logLevel:/);
  const second = parseSettings({ logLevel: 'debug', diagnostics: { ignored: 'pipe-operator' } });
  assert.equal(second.settings.logLevel, 'debug');
  assert.deepEqual([...second.settings.ignore], []);
  assert.match(second.problems[0], /^nixAi\.diagnostics\.ignored:/);
});

test('diagnostic codes are unique kebab-case and documented in the README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const codes = RULES.map(r => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) {
    assert.match(code, /^[a-z]+(-[a-z0-9]+)*$/);
    assert.ok(readme.includes(`\`${code}\``), `README documents ${code}`);
  }
});

test("package.json declares every semantic token type and modifier the server's legend uses beyond LSP's own", () => {
  const standardTypes = new Set<string>(Object.values(SemanticTokenTypes));
  const standardModifiers = new Set<string>(Object.values(SemanticTokenModifiers));
  const ids = (list: Array<{ id: string }>) => list.map(x => x.id).sort();
  assert.deepEqual(ids(pkg.contributes.semanticTokenTypes), TOKEN_TYPES.filter(t => !standardTypes.has(t)).sort());
  assert.deepEqual(ids(pkg.contributes.semanticTokenModifiers), TOKEN_MODIFIERS.filter(m => !standardModifiers.has(m)).sort());
  for (const selector of Object.keys(pkg.contributes.semanticTokenScopes[0].scopes)) {
    const [type, ...modifiers] = selector.split('.');
    assert.ok((TOKEN_TYPES as readonly string[]).includes(type) && modifiers.every(m => (TOKEN_MODIFIERS as readonly string[]).includes(m)), selector);
  }
});
