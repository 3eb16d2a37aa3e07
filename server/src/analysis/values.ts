import { plainString } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { unparenthesize } from '../parse/syntaxTree';
import { PRIORITY, type Value } from './facts';
import { calledName } from './moduleContext';

/**
 * What a value node says literally: its priority and condition wrappers (mkForce, mkIf …) and the
 * literal it spells, as far as it is one. Anything else is `other`, never a guess.
 */

/** Wrappers that set a definition's priority; the outermost one counts, as in the module system. */
export const PRIORITY_OF = new Map<string, number>([
  ['mkForce', PRIORITY.force], ['mkDefault', PRIORITY.default], ['mkOptionDefault', PRIORITY.optionDefault],
  ['mkVMOverride', 10], ['mkImageMediaOverride', 60],
]);
/** Wrappers that leave the definition as it is (ordering, strictness). */
export const TRANSPARENT = new Set(['mkBefore', 'mkAfter', 'mkOrder', 'mkFixStrictness', 'mkAliasDefinitions']);

/** The text of an expression we could not follow, short enough for a message. */
export function shortText(node: Node): string {
  const t = node.text.replace(/\s+/g, ' ');
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
}

/** `true` / `false` written literally (through parentheses), else undefined. */
export function literalBool(node: Node | null): boolean | undefined {
  const n = unparenthesize(node);
  return n?.type === 'variable_expression' && (n.text === 'true' || n.text === 'false') ? n.text === 'true' : undefined;
}

/** The arguments of an application chain, in order: `f a b` -> [a, b]. */
export function applyArgs(apply: Node): Node[] {
  const args: Node[] = [];
  for (let n: Node | null = apply; n?.type === 'apply_expression'; n = unparenthesize(n.childForFieldName('function'))) {
    const a = n.childForFieldName('argument');
    if (a) args.unshift(a);
  }
  return args;
}

/** Strip mkDefault / mkForce / mkIf … and parentheses from a value: the node, and what they said. */
export function unwrap(node: Node): { node: Node; conditional: boolean; priority?: number; conditions: Node[] } {
  let n = unparenthesize(node) ?? node;
  let conditional = false;
  let priority: number | undefined;
  const conditions: Node[] = [];
  for (let i = 0; i < 32; i++) {
    if (n.type !== 'apply_expression') break;
    const name = calledName(n);
    const args = applyArgs(n);
    const arg = args[args.length - 1];
    if (!arg || !name) break;
    if (name === 'mkIf') {
      if (literalBool(args[0]) !== true) {
        conditional = true;
        conditions.push(args[0]);
      }
    } else if (name === 'mkOverride') {
      const p = unparenthesize(args[0]);
      priority ??= p?.type === 'integer_expression' ? Number(p.text) : undefined;
    } else if (PRIORITY_OF.has(name)) {
      priority ??= PRIORITY_OF.get(name);
    } else if (!TRANSPARENT.has(name)) {
      break;
    }
    n = unparenthesize(arg) ?? arg;
  }
  return { node: n, conditional, priority, conditions };
}

/** The literal a value node spells, as far as it is one. */
export function describe(node: Node): Value {
  const n = unparenthesize(node) ?? node;
  switch (n.type) {
    case 'variable_expression':
      if (n.text === 'true' || n.text === 'false') return { kind: 'bool', value: n.text === 'true' };
      if (n.text === 'null') return { kind: 'null' };
      break;
    case 'string_expression':
    case 'indented_string_expression': {
      const s = n.type === 'string_expression' ? plainString(n) : undefined;
      if (s !== undefined) return { kind: 'string', value: s };
      break;
    }
    case 'integer_expression':
    case 'float_expression':
      return { kind: 'number', value: Number(n.text) };
    case 'list_expression':
      return { kind: 'list', items: n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(describe) };
    case 'attrset_expression':
    case 'rec_attrset_expression':
      return { kind: 'attrs' };
    case 'path_expression':
      return { kind: 'path', value: n.text };
  }
  return { kind: 'other', text: n.text };
}

