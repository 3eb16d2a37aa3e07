import { refactors } from '../server/src/features/refactors';
import { parseDoc } from './helpers';
import { applyEdits } from './renameCases';

/** `$0` marks the cursor, `$0…$1` a selection. The refactors offered there, by title, with their results. */
export async function offered(marked: string): Promise<Map<string, string>> {
  const start = marked.indexOf('$0');
  const text0 = marked.replace('$0', '');
  const end = text0.indexOf('$1');
  const text = text0.replace('$1', '');
  const doc = await parseDoc(text);
  return new Map(refactors(doc, start, end < 0 ? start : end).map(r => [r.title, applyEdits(text, r.edits)]));
}

/** The result of the refactor whose title starts with `title`, or undefined when it is not offered. */
export async function refactored(marked: string, title: string): Promise<string | undefined> {
  for (const [t, result] of await offered(marked)) if (t.startsWith(title)) return result;
  return undefined;
}

/** Cases whose result `nix-instantiate --parse` prints the same as the original (the parse desugars both alike). */
export const SAME_PARSE: Array<[string, string]> = [
  ['{ a.b$0.c = 1; a.d = 2; }', 'Nest'],
  ['{\n  services$0.ollama.enable = true;\n  x = 1;\n  services.open-webui.port = 8081;\n}', 'Pack'],
  ['{ services$0.llm = { enable = true; port = 8080; }; }', 'Flatten'],
  ['let x$0 = { a = 1; b.c = 2; }; in x', 'Flatten'],
  ['{ a$0 = 1; }', 'Quote'],
  ['{ "a$0" = 1; }', 'Unquote'],
  ['{ u = https://nixos.org/$0download; }', 'Write the URL as a string'],
  ['"a$0 \\"b\\" \\\\ ${toString 1} \\${x} c\\nd\\te\\n"', 'Convert to an indented'],
  ['"line one$0\\nline two\\n"', 'Convert to an indented'],
  ['"it\'$0s \'\' here"', 'Convert to an indented'],
  ['a: b: x: y: "a$$0${b} $x"', 'Convert to an indented'],
  ["''\n  one$0\n    two ${toString 1}\n  three\n''", 'Convert to a double-quoted'],
  ["''\n    x$0 = \"q\";\n      q '''nested''' ''${y} ''\\t\n  ''", 'Convert to a double-quoted'],
  ["''  single line$0 ''", 'Convert to a double-quoted'],
  ["''\n\n  after a blank$0\n\n  end''", 'Convert to a double-quoted'],
  ["a: b: x: y: ''\n  ${a}$0 first\n    ${b}\n  trailing   \n    ''", 'Convert to a double-quoted'],
  ["''\n      deep$0\n        deeper\n    ''", 'Convert to a double-quoted'],
  ["a: b: x: y: ''\n  dollar $$0 and $${x} and ''${y}\n''", 'Convert to a double-quoted'],
  ['"tab\\tin$0 \\"quotes\\" and \\\\ and \\$x"', 'Convert to an indented'],
  ['a: b: x: y: "${a}\\n${b}$0 x\\n\\n"', 'Convert to an indented'],
  ['"\\nstarts$0 with a newline"', 'Convert to an indented'],
  // against a quote or a name: a space keeps the tokens apart
  ["[ \"x$0\"'''' ]", 'Convert to an indented'],
  ["f': f'\"x$0\"", 'Convert to an indented'],
];

/** Cases that print differently but evaluate to the same value (closed expressions). */
export const SAME_VALUE: Array<[string, string]> = [
  ['let x = 1; in { x$0 = x; }', 'Use inherit x'],
  ['let s = { y = 2; }; in { y$0 = s.y; }', 'Use inherit (s)'],
  ['let s = { t.y = 2; }; in rec { y$0 = s.t.y; z = y; }', 'Use inherit (s.t)'],
  ['let a = 1; b = 2; in { inherit$0 a b; }', 'Write the inherited'],
  ['let s = { a = 1; }; in let inherit$0 (s) a; in a', 'Write the inherited'],
  ['let a = 1; in $0{ b = a; }', 'Make the set recursive'],
  ['($0rec { a = 1; b = 2; }).a', 'Make the set non-recursive'],
  ['let f = x: $0x * 2 + 1$1; in f 3', 'Extract'],
  ['let y = 2; in { a = [ ($0y + 1$1) 5 ]; }', 'Extract'],
  ['let value = 10; in { a = $0value + 1$1; }', 'Extract'],
];
