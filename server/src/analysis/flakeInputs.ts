import { attrsOf, bindingSetOf, plainString, staticAttrName } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { unparenthesize } from '../parse/syntaxTree';

/** A flake.nix's inputs and their urls: `inputs.x.url = "…"`, `inputs = { x.url = …; y = { url = …; }; }`. */
export function flakeInputs(root: Node): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const { name, url } of flakeInputUrls(root)) out[name] = url;
  return out;
}

export interface InputUrl {
  name: string;
  url: string;
  /** The url's value as written. */
  node: Node;
}

/** Each input's url with where it is written, in document order. */
export function flakeInputUrls(root: Node): InputUrl[] {
  const out: InputUrl[] = [];
  const top = unparenthesize(root);
  if (top?.type !== 'attrset_expression' && top?.type !== 'rec_attrset_expression') return out;
  const visit = (set: Node, prefix: string[]) => {
    for (const b of bindingSetOf(set)?.namedChildren ?? []) {
      if (b?.type !== 'binding') continue;
      const names = attrsOf(b.childForFieldName('attrpath')).map(staticAttrName);
      if (names.some(n => n === undefined)) continue;
      const full = [...prefix, ...(names as string[])];
      const value = unparenthesize(b.childForFieldName('expression'));
      if (!value) continue;
      if (full[0] !== 'inputs') continue;
      if (full.length === 3 && full[2] === 'url') {
        const url = value.type === 'string_expression' ? plainString(value) : value.type === 'uri_expression' ? value.text : undefined;
        if (url !== undefined) out.push({ name: full[1], url, node: value });
      } else if (full.length < 3 && value.type === 'attrset_expression') {
        visit(value, full);
      } else if (full.length === 2 && (value.type === 'string_expression' || value.type === 'uri_expression')) {
        // `inputs.x = "github:…";` is not valid flake syntax, but read it as the url anyway
        const url = value.type === 'string_expression' ? plainString(value) : value.text;
        if (url !== undefined) out.push({ name: full[1], url, node: value });
      }
    }
  };
  visit(top, []);
  return out;
}

