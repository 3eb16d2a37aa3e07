import { attrsOf, bindingSetOf, staticAttrName } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { unparenthesize } from '../parse/syntaxTree';
import type { Instance } from './facts';
import { calledName, contextOf } from './moduleContext';
import { resolveName, type LocalBinding, type ScopeCache } from './scopes';
import { parentOf } from '../parse/nodeIndex';

/**
 * Where a nixpkgs instance comes from, as far as the file shows: `import nixpkgs { config = …; }`,
 * `nixpkgs.legacyPackages.${system}`, or a name bound to one of them.
 */

const UNFREE_KEYS = ['allowUnfree', 'allowUnfreePredicate', 'allowUnfreePackages'];

/** nixpkgs' top level: the input (`nixpkgs`, `inputs.nixpkgs-unstable`) or `<nixpkgs>`; not a file inside it. */
export function isNixpkgsSource(input: Node | null): boolean {
  const n = unparenthesize(input);
  if (!n) return false;
  if (n.type === 'spath_expression') return n.text === '<nixpkgs>';
  if (n.type === 'variable_expression') return /^nixpkgs\b/.test(n.text);
  if (n.type === 'select_expression') {
    if (n.childForFieldName('default')) return false;
    const attrs = attrsOf(n.childForFieldName('attrpath'));
    const last = attrs.length ? staticAttrName(attrs[attrs.length - 1]) : undefined;
    return !!last && /^nixpkgs\b/.test(last) && last !== 'nixpkgs-fmt';
  }
  return false;
}

/** The let (or rec) binding a variable names, when its value is written at the binding. */
export function letValue(ident: Node, scopes: ScopeCache): Node | undefined {
  const r = resolveName(ident, scopes);
  if (r.kind !== 'local') return undefined;
  return simpleValue(r.binding);
}

export function simpleValue(b: LocalBinding): Node | undefined {
  if (b.kind !== 'let' && b.kind !== 'rec') return undefined;
  if (parentOf(b.node)?.type === 'attrpath' && attrsOf(parentOf(b.node)).length !== 1) return undefined;
  return b.value;
}

/** `import X args`: the import's source and arguments, when `node` is such a call. */
export function importCall(node: Node): { source: Node; args?: Node } | undefined {
  if (node.type !== 'apply_expression' || calledName(node) !== 'import') return undefined;
  const fn = unparenthesize(node.childForFieldName('function'));
  if (fn?.type === 'apply_expression') {
    const source = fn.childForFieldName('argument');
    const args = node.childForFieldName('argument');
    return source && args ? { source, args } : undefined;
  }
  const source = node.childForFieldName('argument');
  return source ? { source } : undefined;
}

export function instanceOf(input: Node, scopes: ScopeCache, depth = 0): Instance {
  const n = unparenthesize(input);
  if (!n || depth > 16) return { kind: 'unknown' };
  if (n.type === 'variable_expression') {
    const ident = n.childForFieldName('name');
    const value = ident && letValue(ident, scopes);
    return value ? instanceOf(value, scopes, depth + 1) : { kind: 'unknown' };
  }
  if (n.type === 'apply_expression') {
    const call = importCall(n);
    if (!call || !call.args || !isNixpkgsSource(call.source)) return { kind: 'unknown' };
    return { kind: 'import', config: importConfig(call.args) };
  }
  if (n.type === 'select_expression' && !n.childForFieldName('default')) {
    const attrs = attrsOf(n.childForFieldName('attrpath')).map(staticAttrName);
    const at = attrs.indexOf('legacyPackages');
    if (at >= 0 && at + 2 === attrs.length) {
      const base = n.childForFieldName('expression');
      const named = base?.type === 'variable_expression' ? base.text : undefined;
      if (at === 0 && named && /^nixpkgs\b/.test(named)) return { kind: 'legacy' };
      if (at > 0 && /^nixpkgs\b/.test(attrs[at - 1] ?? '')) return { kind: 'legacy' };
    }
  }
  return { kind: 'unknown' };
}

/** What `import nixpkgs { … }`'s arguments say about unfree packages. */
function importConfig(argsNode: Node): Extract<Instance, { kind: 'import' }>['config'] {
  const args = unparenthesize(argsNode);
  if (args?.type !== 'attrset_expression') return 'unknown';
  let seen = false;
  let allows = false;
  for (const b of bindingSetOf(args)?.namedChildren ?? []) {
    if (!b) continue;
    if (b.type === 'inherit' || b.type === 'inherit_from') {
      if (attrsOf(b.childForFieldName('attrs')).some(a => staticAttrName(a) === 'config')) return 'unknown';
      continue;
    }
    if (b.type !== 'binding') continue;
    const names = attrsOf(b.childForFieldName('attrpath')).map(staticAttrName);
    if (names[0] === undefined) return 'unknown';
    if (names[0] !== 'config') continue;
    seen = true;
    const value = unparenthesize(b.childForFieldName('expression'));
    if (names.length >= 2) {
      if (names[1] === undefined) return 'unknown';
      if (UNFREE_KEYS.includes(names[1]) && value?.text !== 'false') allows = true;
      continue;
    }
    if (value?.type !== 'attrset_expression') return 'unknown';
    for (const inner of bindingSetOf(value)?.namedChildren ?? []) {
      if (inner?.type === 'inherit' || inner?.type === 'inherit_from') {
        if (attrsOf(inner.childForFieldName('attrs')).some(a => UNFREE_KEYS.includes(staticAttrName(a) ?? ''))) allows = true;
        continue;
      }
      if (inner?.type !== 'binding') continue;
      const key = attrsOf(inner.childForFieldName('attrpath')).map(staticAttrName)[0];
      if (key === undefined) return 'unknown';
      if (UNFREE_KEYS.includes(key) && unparenthesize(inner.childForFieldName('expression'))?.text !== 'false') allows = true;
    }
  }
  return seen ? { allowsUnfree: allows } : 'none';
}

/** Where a package set's nixpkgs comes from: the module system's `pkgs`, or an instance this file builds. */
export type PkgsSource = { kind: 'module' } | { kind: 'instance'; instance: Instance; importArgs?: Node };

/**
 * The nixpkgs behind an expression such as the `pkgs` of `pkgs.cudaPackages`: the module argument
 * `pkgs`, `import nixpkgs { … }`, `nixpkgs.legacyPackages.${system}`, a name bound to one of them,
 * or a `with` over one. Undefined when it cannot be told (a package recipe's argument).
 */
export function pkgsSource(origin: Node, scopes: ScopeCache, doc: { uri: string; tree: { rootNode: Node } }, depth = 0): PkgsSource | undefined {
  const n = unparenthesize(origin);
  if (!n || depth > 16) return undefined;
  if (n.type === 'select_expression') {
    const attrs = attrsOf(n.childForFieldName('attrpath')).map(staticAttrName);
    if (attrs.length >= 2 && attrs[attrs.length - 2] === 'legacyPackages') {
      const instance = instanceOf(n, scopes);
      return instance.kind === 'legacy' ? { kind: 'instance', instance } : undefined;
    }
    // `pkgs.python3Packages.torchWithCuda`: the set's nixpkgs is pkgs'
    const base = n.childForFieldName('expression');
    return base ? pkgsSource(base, scopes, doc, depth + 1) : undefined;
  }
  if (n.type === 'apply_expression') {
    const call = importCall(n);
    if (!call?.args || !isNixpkgsSource(call.source)) return undefined;
    return { kind: 'instance', instance: instanceOf(n, scopes), importArgs: argsWithoutConfig(call.args) };
  }
  if (n.type !== 'variable_expression') return undefined;
  const ident = n.childForFieldName('name');
  const r = ident ? resolveName(ident, scopes) : undefined;
  if (r?.kind === 'with') return r.envs[0] ? pkgsSource(r.envs[0], scopes, doc, depth + 1) : undefined;
  if (r?.kind !== 'local') return undefined;
  const b = r.binding;
  if (b.kind === 'formal' && b.name === 'pkgs') {
    return contextOf(b.scope, { uri: doc.uri, root: doc.tree.rootNode }).kind === 'module' ? { kind: 'module' } : undefined;
  }
  const value = unparenthesize(simpleValue(b) ?? null);
  return value ? pkgsSource(value, scopes, doc, depth + 1) : undefined;
}

function argsWithoutConfig(args: Node): Node | undefined {
  const set = unparenthesize(args);
  if (set?.type !== 'attrset_expression') return undefined;
  const named = bindingSetOf(set)?.namedChildren.some(b => b?.type === 'binding' && staticAttrName(attrsOf(b.childForFieldName('attrpath'))[0]) === 'config');
  return named ? undefined : set;
}
