import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose } from '../../server/src/features/diagnostics';
import { parseDoc } from '../helpers';
import { offered, refactored, SAME_PARSE, SAME_VALUE } from '../refactorCases';

test('refactors: nest and flatten a set', async () => {
  assert.equal(await refactored('{ a.b$0.c = 1; a.d = 2; }', 'Nest'), '{ a = { b.c = 1; }; a.d = 2; }');
  assert.equal(await refactored('{ a.b$0 = 1; a = { c = 2; }; }', 'Nest'), undefined, 'two sets for a would not merge');
  assert.equal(await refactored('{\n  services$0.llm = { enable = true; port = 8080; };\n}', 'Flatten'), '{\n  services.llm.enable = true;\n  services.llm.port = 8080;\n}');
  assert.equal(await refactored('{ a$0 = { inherit b; }; }', 'Flatten'), undefined, 'inherit inside');
  assert.equal(await refactored('{ a$0 = { b = 1; /* keep */ }; }', 'Flatten'), undefined, 'a comment would be lost');
  assert.equal(await refactored('{ a$0 = { }; }', 'Flatten'), undefined, 'an empty set would vanish');
  assert.equal(await refactored('{ a$0 = rec { b = 1; }; }', 'Flatten'), undefined);
});

test('refactors: pack the bindings that share a first name into one set (nil\'s pack), and not beside a plain one', async () => {
  assert.equal(
    await refactored('{\n  services$0.ollama.enable = true;\n  x = 1;\n  services.in = 2;\n}', 'Pack the 2 services'),
    '{\n  services = {\n    ollama.enable = true;\n    "in" = 2;\n  };\n  x = 1;\n}',
  );
  assert.equal(await refactored('{ a$0.b = 1; a = { c = 2; }; a.d = 3; }', 'Pack'), undefined, 'two sets for a would not merge');
  assert.equal(await refactored('{ a$0.b = 1; c.d = 2; }', 'Pack'), undefined, 'one binding: Nest is the refactor');
});

test('refactors: inherit, both ways, only where the meaning stays', async () => {
  assert.equal(await refactored('{ x$0 = x; }', 'Use inherit x'), '{ inherit x; }');
  assert.equal(await refactored('let x$0 = x; in x', 'Use inherit x'), undefined, 'in let, x = x is x itself');
  assert.equal(await refactored('rec { y$0 = s.a.y; }', 'Use inherit'), 'rec { inherit (s.a) y; }');
  assert.equal(await refactored('{ y$0 = s.y or 1; }', 'Use inherit'), undefined, 'a default cannot be inherited');
  assert.equal(await refactored('{ y$0 = s.z; }', 'Use inherit'), undefined);
  assert.equal(await refactored('{ inherit$0 a b; }', 'Write'), '{ a = a; b = b; }');
  assert.equal(await refactored('let inherit$0 a; in a', 'Write'), undefined);
  assert.equal(await refactored('{ inherit$0 in; }', 'Write'), undefined, 'a keyword cannot be a binding name (fuzz seed 1)');
  assert.equal(await refactored('let inherit (import ./x.nix)$0 a b; in a', 'Write'), 'let a = (import ./x.nix).a; b = (import ./x.nix).b; in a');
});

test('refactors: add rec unless a name would be captured, remove it when nothing needs it', async () => {
  assert.equal(await refactored('$0{ a = 1; b = c; }', 'Make the set recursive'), 'rec { a = 1; b = c; }');
  assert.equal(await refactored('$0{ a = 1; b = a; }', 'Make the set recursive'), undefined, 'a would mean the set’s own a');
  assert.equal(await refactored('$0{ a = 1; b = with x; a; }', 'Make the set recursive'), undefined);
  assert.equal(await refactored('$0{ a = 1; b = x: a: a; inherit c; }', 'Make the set recursive'), 'rec { a = 1; b = x: a: a; inherit c; }');
  assert.equal(await refactored('$0rec { a = 1; b = 2; }', 'Make the set non-recursive'), '{ a = 1; b = 2; }');
  assert.equal(await refactored('$0rec { a = 1; b = a; }', 'Make the set non-recursive'), undefined);
});

test('refactors: quote and unquote attribute names', async () => {
  assert.equal(await refactored('{ a.b$0 = 1; }', 'Quote'), '{ a."b" = 1; }');
  assert.equal(await refactored('x.y$0', 'Quote'), 'x."y"');
  assert.equal(await refactored('{ "a$0" = 1; }', 'Unquote'), '{ a = 1; }');
  assert.equal(await refactored('{ "a b$0" = 1; }', 'Unquote'), undefined);
  assert.equal(await refactored('{ "if$0" = 1; }', 'Unquote'), undefined);
});

test('refactors: string forms, with the cases Nix would read differently refused', async () => {
  assert.equal(await refactored('{\n  s = "line one$0\\nline two\\n";\n}', 'Convert to an indented'), "{\n  s = ''\n    line one\n    line two\n  '';\n}");
  assert.equal(await refactored('"a$0 ${x} \\${y}"', 'Convert to an indented'), "''a ${x} ''${y}''");
  assert.equal(await refactored('" lead$0ing space"', 'Convert to an indented'), undefined);
  assert.equal(await refactored('"ends$0 with \'"', 'Convert to an indented'), undefined);
  assert.equal(await refactored('"$$0${x}"', 'Convert to an indented'), "''$''${x}''", '$$ is two dollars, not an interpolation');
  assert.equal(await refactored('"a$$0${x}"', 'Convert to an indented'), "''a$''${x}''");
  assert.equal(await refactored("''\n  a$0\n    b\n''", 'Convert to a double'), '"a\\n  b\\n"');
  assert.equal(await refactored("''\n  ''\\ta$0\n''", 'Convert to a double'), undefined, 'an escape starting a line');
});

test('refactors: extract a selection into a let binding where every name keeps its meaning', async () => {
  assert.equal(await refactored('{ a = f ($0x + 1$1); }', 'Extract'), '{ a = let value = x + 1; in f (value); }');
  assert.equal(await refactored('{ a = x: $0x + 1$1; }', 'Extract'), '{ a = x: let value = x + 1; in value; }');
  assert.equal(await refactored('{ a = { x, y ? $0x + 1$1 }: y; }', 'Extract'), undefined, 'a default reads a formal');
  assert.equal(await refactored('{ a = with pkgs; [ $0hello$1 ]; }', 'Extract'), '{ a = with pkgs; let value = hello; in [ value ]; }');
  assert.equal(await refactored('{ a = $0value + 1$1; }', 'Extract'), '{ a = let value2 = value + 1; in value2; }');
  assert.equal(await refactored('{ a = f ($0x +$1 1); }', 'Extract'), undefined, 'not a whole expression');
  assert.equal((await offered('{ a = 1; }')).size, 0, 'nothing on a plain value');
});

test('every refactor result parses', async () => {
  for (const [marked, title] of [...SAME_PARSE, ...SAME_VALUE]) {
    const after = await refactored(marked, title);
    assert.ok(after !== undefined, `${marked}: ${title} not offered`);
    const errors = diagnose(await parseDoc(after)).filter(f => f.code === 'syntax-error');
    assert.deepEqual(errors, [], after);
  }
});

test('nesting a path whose second name is a keyword quotes it: the tree of the result is whole (fuzz seed 26)', async () => {
  // Nix itself rejects `a.in`, the grammar does not: the refactor must not turn that into a broken tree
  const after = await refactored('{ pkgs.in$0 = 1; }', 'Nest');
  assert.equal(after, '{ pkgs = { "in" = 1; }; }');
  assert.equal((await parseDoc(after!)).tree.rootNode.hasError, false);
});
