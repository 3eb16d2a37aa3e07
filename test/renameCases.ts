import { rename } from '../server/src/features/rename';
import type { Edit } from '../server/src/rules/types';
import { withCursor } from './helpers';

/** The text after the edits (which must not overlap). */
export function applyEdits(text: string, edits: Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    if (e.start < at) throw new Error(`edits overlap at ${e.start}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Rename the name at `$0` in `marked`; the new text, or the refusal as `refused: …`. */
export async function renamed(marked: string, newName: string, uri?: string): Promise<string> {
  const { doc, offset } = await withCursor(marked, uri);
  const r = rename(doc, offset, newName);
  if (!r) return 'no name here';
  return 'refused' in r ? `refused: ${r.refused}` : applyEdits(doc.text, r.edits);
}

/**
 * Closed expressions that evaluate without nixpkgs: each rename must keep the value. (Renaming a
 * rec set's attribute renames the attribute too, so those cases read another one.)
 */
export const EVALUATED: Array<[string, string]> = [
  ['let cuda$0 = 1; b = cuda + 1; in cuda + b', 'gpu'],
  ['(rec { a$0 = 1; b = a + 1; }).b', 'first'],
  ['({ a$0 ? 5, b ? a + 1 }@args: [ a b (args.a or 0) ]) { }', 'x'],
  ['(args$0@{ a, ... }: args.a) { a = 7; }', 'all'],
  ['let x$0 = 1; in { inherit x; y = x; }', 'z'],
  ['let s = { hello = 1; git = 2; }; in let inherit (s) hello$0 git; in [ hello git ]', 'h'],
  ['let s = { hello = 1; }; in let inherit (s) hello$0; in hello', 'h'],
  ['let x = 1; in let inherit x$0; in x + 1', 'y'],
  ['let a$0 = 1; in let b = 2; in b + a', 'c'],
  ['let a$0 = 1; in let b = 2; in b', 'b'],
  ['let a$0.b = 1; a.c = 2; in a', 'n'],
  ['let x = { a = rec { b$0 = 1; }; a.c = b; }; in x.a.c', 'd'],
  ['let f$0 = n: if n == 0 then 1 else n * f (n - 1); in f 5', 'fact'],
  ['let a$0 = 1; in "${toString a}-${toString (a + 1)}"', 'n'],
];
