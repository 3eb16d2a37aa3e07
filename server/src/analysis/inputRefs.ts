import { attrsOf, staticAttrName } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import { identifierAt, unparenthesize } from '../parse/syntaxTree';
import { flakeInputUrls } from './flakeInputs';
import { bindingDefinedBy, resolveName, ScopeCache, type LocalBinding } from './scopes';

/**
 * What at the cursor names a flake input, or something in its outputs: an input's name where
 * flake.nix declares it (`inputs.gpu.url`, its url string), takes it (`outputs = { self, gpu }:`)
 * or uses it (`gpu.nixosModules.tuned`, `inputs.gpu.lib.x` in a module given `inputs`).
 */
export interface InputRef {
  input: string;
  /** The attribute path inside the input's outputs up to the name under the cursor ([] for the input itself). */
  path: string[];
  /** The span of the name (or url) under the cursor. */
  start: number;
  end: number;
}

/** `file`: the document's root; `isFlake`: it is a flake.nix; `inputs`: the names its flake declares. */
export function inputRefAt(root: Node, offset: number, isFlake: boolean, inputs: ReadonlySet<string>): InputRef | undefined {
  if (isFlake) {
    const top = unparenthesize(root.childForFieldName('expression') ?? root);
    for (const u of top ? flakeInputUrls(top) : []) {
      if (offset >= u.node.startIndex && offset <= u.node.endIndex && inputs.has(u.name)) return { input: u.name, path: [], start: u.node.startIndex, end: u.node.endIndex };
    }
  }
  const ident = identifierAt(root, offset);
  if (!ident) return undefined;
  const span = { start: ident.startIndex, end: ident.endIndex };
  const parent = parentOf(ident);
  // the name declared in `inputs.<name>…` or `inputs = { <name> … }`
  if (isFlake && parent?.type === 'attrpath') {
    const declared = declaredInput(parent, ident);
    if (declared && inputs.has(declared)) return { input: declared, path: [], ...span };
  }
  const cache = new ScopeCache();
  // a formal of outputs: `{ self, gpu, ... }`
  const own = bindingDefinedBy(ident, cache);
  if (own) return own.kind === 'formal' && isFlake && isOutputs(own.scope) && inputs.has(own.name) ? { input: own.name, path: [], ...span } : undefined;
  // a select: `gpu.nixosModules.tuned`, `inputs.gpu.lib.x`, the cursor on one of its names
  const select = parent?.type === 'attrpath' && parentOf(parent)?.type === 'select_expression' ? parentOf(parent)! : undefined;
  const base = selectChain(select ? select.childForFieldName('expression') : parent?.type === 'variable_expression' ? parent : null);
  if (!base) return undefined;
  const attrs = select ? attrsOf(select.childForFieldName('attrpath')) : [];
  const upTo = attrs.findIndex(a => a.startIndex <= ident.startIndex && ident.endIndex <= a.endIndex);
  const written = attrs.slice(0, upTo + 1).map(a => staticAttrName(a));
  if (written.some(n => n === undefined)) return undefined;
  const found = inputPath(base.variable, [...base.names, ...(written as string[])], isFlake, inputs, cache);
  return found && { ...found, ...span };
}

/**
 * A variable followed by static names (`inputs.gpu.lib`, `(gpu.lib).x`): the variable's identifier
 * and the names; undefined for anything else (a computed name, a default with `or`).
 */
export function selectChain(node: Node | null): { variable: Node; names: string[] } | undefined {
  let at = unparenthesize(node);
  const names: string[] = [];
  while (at?.type === 'select_expression') {
    const step = attrsOf(at.childForFieldName('attrpath')).map(a => staticAttrName(a));
    if (step.some(n => n === undefined) || at.childForFieldName('default')) return undefined;
    names.unshift(...(step as string[]));
    at = unparenthesize(at.childForFieldName('expression'));
  }
  const variable = at?.type === 'variable_expression' ? at.childForFieldName('name') ?? at.namedChild(0) : undefined;
  return variable ? { variable, names } : undefined;
}

/**
 * The input and the path in its outputs that `variable.<written>` stands for, when the variable is
 * an input (a formal of flake.nix's outputs) or all of them (`inputs`).
 */
export function inputPath(variable: Node, written: readonly string[], isFlake: boolean, inputs: ReadonlySet<string>, cache = new ScopeCache()): { input: string; path: string[] } | undefined {
  const holds = variableHolds(variable, isFlake, cache);
  if (holds === 'inputs') return written.length && inputs.has(written[0]) ? { input: written[0], path: written.slice(1) } : undefined;
  return holds && inputs.has(holds.input) ? { input: holds.input, path: [...written] } : undefined;
}

/** Is the variable one input (a formal of flake.nix's outputs), all of them (`inputs`), or neither? */
export function variableHolds(variable: Node, isFlake: boolean, cache = new ScopeCache()): { input: string } | 'inputs' | undefined {
  const r = resolveName(variable, cache);
  if (r.kind !== 'local') return undefined;
  const origin = inputsOrigin(r.binding, isFlake);
  return origin === 'input' ? { input: r.binding.name } : origin;
}

/** Does the binding hold one input (a formal of outputs), all of them (`inputs`), or neither? */
function inputsOrigin(b: LocalBinding, isFlake: boolean): 'input' | 'inputs' | undefined {
  if (isFlake && isOutputs(b.scope)) return b.kind === 'formal' ? 'input' : b.kind === 'argument' ? 'inputs' : undefined;
  // a module or helper given the inputs: `{ inputs, ... }:`
  if ((b.kind === 'formal' || b.kind === 'argument') && b.name === 'inputs') return 'inputs';
  return undefined;
}

/** Is this function the value of flake.nix's `outputs`? */
export function isOutputs(scope: Node): boolean {
  if (scope.type !== 'function_expression') return false;
  const binding = parentOf(scope);
  return binding?.type === 'binding' && binding.childForFieldName('attrpath')?.text === 'outputs';
}

/** In a binding under flake.nix's `inputs`, the input name `ident` is (or none). */
function declaredInput(attrpath: Node, ident: Node): string | undefined {
  const binding = parentOf(attrpath);
  if (binding?.type !== 'binding') return undefined;
  const names = attrsOf(attrpath).map(a => staticAttrName(a));
  const at = attrsOf(attrpath).findIndex(a => a.startIndex === ident.startIndex);
  // the names of the bindings this one is nested in
  const outer: string[] = [];
  for (let n = parentOf(binding); n; n = parentOf(n)) {
    if (n.type !== 'binding') continue;
    const p = attrsOf(n.childForFieldName('attrpath')).map(a => staticAttrName(a));
    if (p.some(x => x === undefined)) return undefined;
    outer.unshift(...(p as string[]));
  }
  const full = [...outer, ...names];
  const index = outer.length + at;
  return full[0] === 'inputs' && index === 1 ? full[1] : undefined;
}
