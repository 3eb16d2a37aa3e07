import { attrsOf, staticAttrName } from '../parse/attrNames';
import type { Node, Tree } from '../parse/language';
import { MAX_CLIMB, nodesIn, windowKey, type Indexed, parentOf, withParens, parentOfType } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import { catalog } from '../options/catalog';
import { resolveName, type ScopeCache } from './scopes';

/** Builtins Nix also binds as plain names (`map`, `toString`, `null` …). */
export const GLOBALS: ReadonlySet<string> = new Set(catalog.builtins.filter(b => b.global).map(b => b.name));
const BUILTINS = new Set(catalog.builtins.map(b => b.name));

function isLocal(ident: Node | null, scopes: ScopeCache): boolean {
  return !!ident && resolveName(ident, scopes).kind === 'local';
}

/**
 * The builtin an expression names: `builtins.getEnv`, `__getEnv`, or a bare global such as
 * `fetchTarball`, unless a local name hides it. Builtins are lexical, so a `with` never hides one.
 */
export function builtinOf(node: Node | null, scopes: ScopeCache): string | undefined {
  const n = unparenthesize(node);
  if (!n) return undefined;
  if (n.type === 'select_expression') {
    const base = n.childForFieldName('expression');
    const attrs = attrsOf(n.childForFieldName('attrpath'));
    if (base?.type !== 'variable_expression' || base.text !== 'builtins' || attrs.length !== 1) return undefined;
    return isLocal(base.childForFieldName('name'), scopes) ? undefined : staticAttrName(attrs[0]);
  }
  if (n.type === 'variable_expression') {
    const name = n.text;
    const ident = n.childForFieldName('name');
    if (!ident || !(name.startsWith('__') || BUILTINS.has(name))) return undefined;
    const found = resolveName(ident, scopes);
    if (found.kind === 'local') return undefined;
    if (name.startsWith('__')) return name.slice(2);
    if (GLOBALS.has(name)) return name;
    // `with builtins; currentTime`: a with over the builtins set supplies every builtin.
    const fromWith = found.kind === 'with' && found.envs.some(env => env.type === 'variable_expression' && env.text === 'builtins');
    return fromWith && BUILTINS.has(name) ? name : undefined;
  }
  return undefined;
}

export interface BuiltinUse {
  name: string;
  /** The reference itself: `builtins.fetchGit`. */
  node: Node;
  /** Its arguments when it is called: `builtins.fetchGit { … }` -> [{ … }]. */
  args: Node[];
}

const allUses = new WeakMap<ScopeCache, Map<Tree, Map<string, BuiltinUse[]>>>();

/** Every reference to one of the named builtins, in document order (found once per tree, window and pass). */
export function builtinUses(doc: Indexed, names: ReadonlySet<string>, scopes: ScopeCache): BuiltinUse[] {
  let byTree = allUses.get(scopes);
  if (!byTree) allUses.set(scopes, (byTree = new Map()));
  let byWindow = byTree.get(doc.tree);
  if (!byWindow) byTree.set(doc.tree, (byWindow = new Map()));
  const key = windowKey(doc);
  let uses = byWindow.get(key);
  if (!uses) {
    uses = [];
    for (const node of nodesIn(doc, 'select_expression', 'variable_expression')) {
      if (parentOfType(node, 'select_expression')?.childForFieldName('expression')?.id === node.id) continue;
      const name = builtinOf(node, scopes);
      if (name) uses.push({ name, node, args: argumentsOf(node) });
    }
    byWindow.set(key, uses);
  }
  return uses.filter(u => names.has(u.name));
}

/** The arguments a function expression is applied to, in order. */
export function argumentsOf(fn: Node): Node[] {
  const args: Node[] = [];
  let head = withParens(fn);
  for (let p = parentOf(head), i = 0; p?.type === 'apply_expression' && p.childForFieldName('function')?.id === head.id && i < MAX_CLIMB; head = p, p = parentOf(p), i++) {
    const arg = p.childForFieldName('argument');
    if (arg) args.push(arg);
  }
  return args;
}
