import type { Node } from './language';

/**
 * The static name of an attribute (`a`, `"a"`, `${"a"}`), or undefined when it is computed at
 * evaluation time (`${x}`, `"${x}"`). Nix treats the same forms as static.
 */
export function staticAttrName(attr: Node): string | undefined {
  if (attr.type === 'identifier') return attr.text;
  if (attr.type === 'string_expression') return plainString(attr);
  if (attr.type === 'interpolation') {
    const inner = attr.childForFieldName('expression');
    return inner && inner.type === 'string_expression' ? plainString(inner) : undefined;
  }
  return undefined;
}

/** The value of a string literal without interpolation, escapes resolved; undefined otherwise. */
export function plainString(node: Node): string | undefined {
  let value = '';
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === 'interpolation') return undefined;
    if (part.type === 'escape_sequence') value += unescape(part.text);
    else value += part.text;
  }
  return value;
}

function unescape(seq: string): string {
  const c = seq.slice(1);
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

/** The attribute nodes of an attrpath (`a.b."c"` -> [a, b, "c"]). */
export function attrsOf(attrpath: Node | null): Node[] {
  return attrpath ? attrpath.childrenForFieldName('attr').filter((n): n is Node => !!n) : [];
}

/** The binding_set of an attribute set, rec set or let, if it has one. */
export function bindingSetOf(node: Node): Node | null {
  for (const child of node.namedChildren) if (child?.type === 'binding_set') return child;
  return null;
}

/** The first static name of each `name… = value;` binding of a set (inherits not included). */
export function bindingKeys(set: Node): string[] {
  const keys: string[] = [];
  for (const b of bindingSetOf(set)?.namedChildren ?? []) {
    if (b?.type !== 'binding') continue;
    const first = attrsOf(b.childForFieldName('attrpath'))[0];
    const name = first && staticAttrName(first);
    if (name) keys.push(name);
  }
  return keys;
}

/**
 * The top-level names of an attribute set literal: `name = value;` maps to the value, `a.b = …;`
 * and `inherit a;` map to undefined. `dynamic` is set when a name is computed (`${x} = …`).
 */
export function topLevelAttrs(set: Node): { names: Map<string, Node | undefined>; dynamic: boolean } {
  const names = new Map<string, Node | undefined>();
  let dynamic = false;
  for (const b of bindingSetOf(set)?.namedChildren ?? []) {
    if (b?.type === 'binding') {
      const attrs = attrsOf(b.childForFieldName('attrpath'));
      const name = attrs[0] && staticAttrName(attrs[0]);
      if (name === undefined) dynamic = true;
      else names.set(name, attrs.length === 1 ? b.childForFieldName('expression') ?? undefined : undefined);
    } else if (b?.type === 'inherit' || b?.type === 'inherit_from') {
      for (const attr of attrsOf(b.childForFieldName('attrs'))) {
        const name = staticAttrName(attr);
        if (name !== undefined) names.set(name, undefined);
      }
    }
  }
  return { names, dynamic };
}
