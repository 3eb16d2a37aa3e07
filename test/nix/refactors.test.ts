import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refactored, SAME_PARSE, SAME_VALUE } from '../refactorCases';
import { nixExpr as nix, requireNix } from './nixTool';

/**
 * Nix prints the literal pieces of a string as its lexer cut them (`"a" + "\\$" + "{x}"`): adjacent
 * literals are joined, so two strings with the same value print alike.
 */
export function joinLiterals(printed: string): string {
  let out = '';
  let continuing = false;
  for (let i = 0; i < printed.length; i++) {
    if (printed[i] !== '"') {
      out += printed[i];
      continue;
    }
    // a string literal: its text up to the closing quote (its opening quote only when it starts one)
    let j = i + 1;
    while (printed[j] !== '"') j += printed[j] === '\\' ? 2 : 1;
    // a `$` that ends one piece and a `{` that starts the next are written \${ in one literal
    if (continuing && printed[i + 1] === '{' && /(^|[^\\])(\\\\)*\$$/.test(out)) out = `${out.slice(0, -1)}\\$`;
    out += printed.slice(continuing ? i + 1 : i, j);
    // `" + "` right after it: the next literal continues this one
    continuing = printed.startsWith(' + "', j + 1);
    if (continuing) i = j + 3;
    else {
      out += '"';
      i = j;
    }
  }
  // an indented string that starts with stripped indentation keeps an empty literal in front
  // (`"" + a + …`); and a concatenation joined down to one literal loses its parentheses
  out = out.replace(/\("" \+ /g, '(');
  for (let before = ''; before !== out;) {
    before = out;
    out = out.replace(/\("((?:[^"\\]|\\.)*)"\)/g, '"$1"');
  }
  return out;
}

/** Each case refactored, and what Nix makes of it before and after by `view`, compared. */
async function sameInNix(cases: Array<[string, string]>, view: (expr: string) => string): Promise<void> {
  requireNix();
  for (const [marked, title] of cases) {
    const before = marked.replace('$0', '').replace('$1', '');
    const after = await refactored(marked, title);
    assert.ok(after !== undefined && after !== before, `${before}: ${title} changed nothing`);
    assert.equal(view(after), view(before), `${before}\n  ->  ${after}`);
  }
}

test('a refactored expression parses to the same tree in real Nix (nix-instantiate --parse)', () =>
  sameInNix(SAME_PARSE, expr => joinLiterals(nix(['--parse'], expr))));

test('a refactored expression evaluates to the same value in real Nix', () =>
  sameInNix(SAME_VALUE, expr => nix(['--eval', '--strict', '--json'], expr)));

test('joinLiterals joins adjacent string literals only', () => {
  assert.equal(joinLiterals('("a \\" " + (x) + " " + "\\$" + "{y}")'), '("a \\" " + (x) + " \\${y}")');
});
