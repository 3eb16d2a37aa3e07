import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../../server/src/features/diagnostics';
import { MAX_SYNTAX_ERRORS } from '../../server/src/rules/syntaxError';
import { covered, parseDoc } from '../helpers';

/** [fixture, expected message (a substring), the text the squiggle covers] */
const CASES: Array<[string, string, string]> = [
  ['{\n  x = ;\n  y = 2;\n}\n', "expected a value after '='", ';'],
  ['let x = ; in x', "expected a value after '='", ';'],
  ['{\n  a = 1\n  b = 2;\n}\n', "expected ';' after this binding", '1'],
  ['let a = 1 in a', "expected ';' after this binding, before 'in'", '1'],
  ['{\n  a = 1;\n', "unclosed '{'", '{'],
  ['f (x', "unclosed '('", '('],
  ['[ 1 2', "unclosed '['", '['],
  ['{ a = 1; }}', "unexpected '}'", '}'],
  ['1)', "unexpected ')'", ')'],
  ['{ a = ; }', "expected a value after '='", ';'],
  ['let a = 1; in', "expected an expression after 'in'", 'in'],
  ['{ a = 1, b = 2; }', "unexpected ','", ','],
  ['let a = { }; in a.in', "'in' is a keyword", 'in'],
  ['./a/', 'cannot end with', './a/'],
  ['./a//b', "cannot contain '//'", './a//b'],
  ['9223372036854775808', 'does not fit in 64 bits', '9223372036854775808'],
  ['a < b < c', 'comparisons do not chain', '<'],
  ['# only a comment\n', 'holds no expression', '#'],
  ['', 'holds no expression', ''],
  ['x: or', "'or' is a keyword", 'or'],
];

for (const [text, message, squiggle] of CASES) {
  test(`syntax-error: ${JSON.stringify(text)} -> ${message}`, async () => {
    const doc = await parseDoc(text);
    const errors = diagnose(doc).filter(f => f.code === 'syntax-error');
    assert.equal(errors.length, 1, `exactly one error, got ${JSON.stringify(errors.map(e => e.message))}`);
    assert.ok(errors[0].message.includes(message), errors[0].message);
    assert.equal(errors[0].severity, 'error');
    assert.equal(covered(doc, errors[0]), squiggle);
  });
}

for (const text of ['{ lib, pkgs, }: lib', '{ inherit ; }', 'let x = "a"; in ~/${x}', '{ a.b = 1; a = { c = 2; }; }', 'f a or', '{\r\n  a = 1;\r\n}\r\n']) {
  test(`no syntax-error for valid Nix: ${JSON.stringify(text)}`, async () => {
    assert.deepEqual(diagnose(await parseDoc(text)).filter(f => f.code === 'syntax-error'), []);
  });
}

test(`at most ${MAX_SYNTAX_ERRORS} syntax errors per file`, async () => {
  const text = Array.from({ length: 300 }, (_, i) => `x${i} = ./a${i}/;`).join('\n');
  const errors = diagnose(await parseDoc(`{\n${text}\n}`)).filter(f => f.code === 'syntax-error');
  assert.equal(errors.length, MAX_SYNTAX_ERRORS);
});

test('the empty-inherit warning is tagged unnecessary; codes can be ignored in settings or on the line', async () => {
  const doc = await parseDoc('{\n  inherit ;\n  # nix-ai: ignore empty-inherit\n  inherit ;\n  inherit (builtins) ; # nix-ai: ignore empty-inherit\n}');
  const warnings = diagnose(doc).filter(f => f.code === 'empty-inherit');
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0].range.start.line, 1);
  assert.deepEqual(warnings[0].tags, ['unnecessary']);
  assert.deepEqual(diagnose(doc, { ignore: new Set(['empty-inherit']) }), []);
});

test('a binary or encrypted file gets one finding that says it is not Nix text, and nothing else', async () => {
  const doc = await parseDoc('\0GITCRYPT\0\x8f\x01 junk { = ; } <nixpkgs> builtins.getEnv "X"\nmore');
  const found = diagnose(doc);
  assert.deepEqual(found.map(f => f.code), ['syntax-error']);
  assert.match(found[0].message, /not a Nix text file: it holds NUL bytes/);
  assert.deepEqual(diagnose(doc, { ignore: new Set(['syntax-error']) }), []);
});

test("a missing value is reported on the token Nix stops at, in UTF-16 columns after emoji and CJK text", async () => {
  const doc = await parseDoc('{ n = "😀日本"; x = ; }');
  const [f] = diagnose(doc).filter(d => d.code === 'syntax-error');
  assert.equal(f.message, "expected a value after '='");
  // Nix 2.8 says column 25 in bytes; the editor counts UTF-16 units: the emoji is 2, each CJK character 1
  assert.deepEqual(f.range, { start: { line: 0, character: 18 }, end: { line: 0, character: 19 } });
});

test('a brace left open 3,000 levels deep is reported, and the parser keeps working', async () => {
  // tree-sitter finds the parent of an empty (MISSING) node by a recursion as deep as the tree:
  // asking for it here overflowed wasm's stack and broke every parse after it
  const doc = await parseDoc(`${'with a; '.repeat(3000)}{ b = 1;`);
  const found = diagnose(doc).filter(f => f.code === 'syntax-error');
  assert.deepEqual(found.map(f => f.message), ["unclosed '{': expected '}' to close it"]);
  assert.equal(covered(doc, found[0]), '{');
  const after = await parseDoc('{ a = 1; }');
  assert.deepEqual(diagnose(after), []);
});

test('a stray name that is also an Object property (constructor, toString) is reported like any other', async () => {
  // found by the fuzzer (seed 11): the bracket tables were object literals
  for (const name of ['constructor', 'toString', '__proto__']) {
    const found = diagnose(await parseDoc(`{ a = 1; ${name} }`)).filter(f => f.code === 'syntax-error');
    assert.equal(found.length, 1, name);
    assert.match(found[0].message, new RegExp(`unexpected '${name}'|expected`), name);
  }
});
