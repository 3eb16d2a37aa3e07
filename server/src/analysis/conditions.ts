import { attrsOf, staticAttrName } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { unparenthesize } from '../parse/syntaxTree';
import type { Value } from './facts';
import { resolveName, type ScopeCache } from './scopes';
import { simpleValue } from './instances';
import { describe } from './values';

/**
 * Conditions a module writes on its configuration's own options: `config = mkIf cfg.enable { … }`
 * with `cfg = config.my.gpu;`, `mkIf (config.a.b && !config.c)`, `if cfg.kind == "nvidia" then …`.
 * A definition under them is conditional on those tests alone, which the configuration answers
 * from its own definitions (and the declared defaults of its own options).
 */
export interface OptionTest {
  option: string;
  /** The value the test asks for (true for a bare option). */
  equals: Value;
  negate?: boolean;
}

const MAX = 16;

/** How attribute names are read: as written, or (in a second reading) evaluated. */
export type AttrNames = (attr: Node) => string | undefined;

/** The tests a condition is the conjunction of, or undefined when it is anything else. */
export function optionTests(node: Node | null, scopes: ScopeCache, names: AttrNames = staticAttrName, depth = 0): OptionTest[] | undefined {
  const n = unparenthesize(node);
  if (!n || depth > MAX) return undefined;
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')?.type;
    if (op === '&&') {
      const l = optionTests(n.childForFieldName('left'), scopes, names, depth + 1);
      const r = l && optionTests(n.childForFieldName('right'), scopes, names, depth + 1);
      return l && r ? [...l, ...r] : undefined;
    }
    if (op === '==' || op === '!=') {
      for (const [a, b] of [['left', 'right'], ['right', 'left']]) {
        const option = optionPath(n.childForFieldName(a), scopes, names, depth + 1);
        const other = unparenthesize(n.childForFieldName(b));
        const value = other && literal(other);
        if (option && value) return [{ option, equals: value, ...(op === '!=' ? { negate: true } : {}) }];
      }
    }
    return undefined;
  }
  if (n.type === 'unary_expression' && n.childForFieldName('operator')?.type === '!') {
    const inner = optionTests(n.childForFieldName('argument'), scopes, names, depth + 1);
    return inner?.length === 1 ? [negated(inner[0])] : undefined;
  }
  const option = optionPath(n, scopes, names, depth + 1);
  return option ? [{ option, equals: { kind: 'bool', value: true } }] : undefined;
}

/** The opposite of a condition (an `else` branch), when it is one test. */
export function negatedTests(tests: OptionTest[] | undefined): OptionTest[] | undefined {
  return tests?.length === 1 ? [negated(tests[0])] : undefined;
}

function negated(t: OptionTest): OptionTest {
  return t.negate ? { option: t.option, equals: t.equals } : { ...t, negate: true };
}

function literal(n: Node): Value | undefined {
  const v = describe(n);
  return v.kind === 'bool' || v.kind === 'string' || v.kind === 'number' || v.kind === 'null' ? v : undefined;
}

/** `config.a.b`, or a name bound by let to `config.a` (`cfg.enable`): the option path, dotted. */
function optionPath(node: Node | null, scopes: ScopeCache, names: AttrNames, depth: number): string | undefined {
  const n = unparenthesize(node);
  if (!n || depth > MAX) return undefined;
  if (n.type === 'variable_expression') {
    if (n.text === 'config') {
      const ident = n.childForFieldName('name');
      const r = ident ? resolveName(ident, scopes) : undefined;
      // the module's own `config` argument, not a let binding of that name
      return r?.kind === 'local' && r.binding.kind !== 'formal' ? undefined : '';
    }
    const ident = n.childForFieldName('name');
    const r = ident ? resolveName(ident, scopes) : undefined;
    const value = r?.kind === 'local' ? simpleValue(r.binding) : undefined;
    return value ? optionPath(value, scopes, names, depth + 1) : undefined;
  }
  if (n.type === 'select_expression' && !n.childForFieldName('default')) {
    const base = optionPath(n.childForFieldName('expression'), scopes, names, depth + 1);
    if (base === undefined) return undefined;
    const parts = attrsOf(n.childForFieldName('attrpath')).map(names);
    if (parts.some(x => x === undefined)) return undefined;
    return [base, ...(parts as string[])].filter(Boolean).join('.');
  }
  return undefined;
}
