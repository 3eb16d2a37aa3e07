import type { Node } from '../parse/language';
import { attrsOf, bindingKeys, bindingSetOf, staticAttrName } from '../parse/attrNames';
import { unparenthesize } from '../parse/syntaxTree';
import { MAX_CLIMB, parentOf, parentOfType, REMEMBER_FROM } from '../parse/nodeIndex';

/** The option sets a file can be written against. */
export type OptionSetName = 'nixos' | 'home-manager' | 'darwin' | 'flake' | 'flake-parts';

/**
 * The flake schema (flake.nix's top) and flake-parts modules: sets whose "options" are a flake's
 * outputs, not a module system's configuration (their definitions configure nothing).
 */
export function isFlakeSet(set: OptionSetName): boolean {
  return set === 'flake' || set === 'flake-parts';
}

/**
 * What an expression is, as far as options go:
 * - `module`: a module of the given set (an attribute set, or a function returning one);
 * - `moduleBody`: an attribute set in the full module form (`config`, `options`, `imports` …);
 * - `options`: the value of the option (or option prefix) `path`; `element` when it is an element
 *   of that option's list;
 * - `list`: a list whose elements are `of` (imports, mkMerge);
 * - `systemArgs`: the argument of nixosSystem / homeManagerConfiguration;
 * - `declarations`: inside a module's `options`, at `path`;
 * - `none`: anything else (a plain let value, a package, …).
 */
export type Context =
  | { kind: 'none' }
  | { kind: 'module'; set: OptionSetName }
  | { kind: 'moduleBody'; set: OptionSetName }
  | { kind: 'options'; set: OptionSetName; path: string[]; element?: boolean }
  | { kind: 'list'; of: Context }
  | { kind: 'systemArgs'; set: OptionSetName }
  | { kind: 'declarations'; set: OptionSetName; path: string[] };

export const NONE: Context = { kind: 'none' };

/** The top of a flake-parts module (mkFlake's last argument, or a file of them). */
export const FLAKE_PARTS_ROOT: Context = { kind: 'options', set: 'flake-parts', path: [] };

/** The top of a flake.nix: the flake schema (description, inputs, outputs, nixConfig). */
export const FLAKE_ROOT: Context = { kind: 'options', set: 'flake', path: [] };

/** Keys of the full module form; anything else at the top makes a module the short form. */
export const MODULE_KEYS = ['config', 'options', 'imports', 'meta', 'disabledModules', '_file', 'key', 'freeformType'];

/** `lib.mkIf c X`, `mkDefault X`, …: X has the context of the whole application. */
export const PASS_LAST_ARG = new Set([
  'mkIf', 'mkDefault', 'mkForce', 'mkOverride', 'mkBefore', 'mkAfter', 'mkOrder', 'mkOptionDefault',
  'mkVMOverride', 'mkImageMediaOverride', 'mkFixStrictness',
]);
/** Functions whose argument lists modules for the given set. */
const SYSTEM_BUILDERS = new Map<string, OptionSetName>([
  ['nixosSystem', 'nixos'],
  ['homeManagerConfiguration', 'home-manager'],
  ['darwinSystem', 'darwin'],
]);

/** Text that names a configuration builder: a unit of a large file without it calls none. */
export const SYSTEM_CALL = new RegExp([...SYSTEM_BUILDERS.keys()].join('|'));

/** The set a configuration builder (nixosSystem, homeManagerConfiguration) makes, by the called name. */
export function systemBuilder(name: string | undefined): OptionSetName | undefined {
  return name === undefined ? undefined : SYSTEM_BUILDERS.get(name);
}

export interface FileFacts {
  uri: string;
  root: Node;
}

/**
 * What decides a file's context: the names bound at the top of its module body (`a.b = …` as
 * ['a', 'b'], looking into `config = { … }`), and the first name of each binding.
 */
export interface TopNames {
  keys: string[];
  paths: string[][];
}

/** The top names one binding of a module body contributes. */
export function topNamesOf(b: Node): TopNames {
  if (b.type !== 'binding') return { keys: [], paths: [] };
  const names = attrsOf(b.childForFieldName('attrpath')).map(staticAttrName);
  const keys = names[0] ? [names[0]] : [];
  const known = names.filter((n): n is string => n !== undefined);
  if (known.length === 1 && known[0] === 'config') {
    const inner = unparenthesize(b.childForFieldName('expression'));
    const deeper = inner?.type === 'attrset_expression' ? topNamesOfSet(inner).paths : [];
    return { keys, paths: deeper };
  }
  return { keys, paths: known.length ? [known] : [] };
}

function topNamesOfSet(set: Node): TopNames {
  const out: TopNames = { keys: [], paths: [] };
  for (const b of bindingSetOf(set)?.namedChildren ?? []) {
    if (!b) continue;
    const t = topNamesOf(b);
    out.keys.push(...t.keys);
    out.paths.push(...t.paths);
  }
  return out;
}

/** Only the names that can change a file's context (see contextFromTop): most bindings have none. */
export function relevantTop(t: TopNames): TopNames {
  return {
    keys: t.keys.filter(k => FLAKE_PARTS_KEYS.has(k)),
    paths: t.paths.filter(p => p[0] === 'home' || NIXOS_ONLY.has(p[0]) || (p[0] === 'programs' && p[1] === 'home-manager') || darwinOnly(p)),
  };
}

/** Per tree: the file's context, worked out once (a large file's body has thousands of names). */
const fileContexts = new WeakMap<Node['tree'], Context>();

/** The context of the document's top-level expression. */
export function fileContext(file: FileFacts): Context {
  let ctx = fileContexts.get(file.root.tree);
  if (!ctx) {
    const body = moduleBody(file.root.childForFieldName('expression'));
    fileContexts.set(file.root.tree, (ctx = contextFromTop(file.uri, body ? topNamesOfSet(body) : undefined)));
  }
  return ctx;
}

/**
 * Tell fileContext what the top of this tree's module body holds, when the caller already knows
 * (the units of a large file, each read once): the same answer without a walk over the body.
 */
export function primeFileContext(file: FileFacts, top: (body: Node) => TopNames | undefined): void {
  if (fileContexts.has(file.root.tree)) return;
  const body = moduleBody(file.root.childForFieldName('expression'));
  fileContexts.set(file.root.tree, contextFromTop(file.uri, body ? top(body) ?? topNamesOfSet(body) : undefined));
}

/**
 * A copy of the document with one word changed (completion's placeholder) has the document's
 * context: no need to read thousands of top-level names again.
 */
export function shareFileContext(from: FileFacts, to: FileFacts): void {
  if (!fileContexts.has(to.root.tree)) fileContexts.set(to.root.tree, fileContext(from));
}

function contextFromTop(uri: string, top: TopNames | undefined): Context {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  if (name === 'flake.nix') return FLAKE_ROOT;
  if (top && top.keys.some(k => FLAKE_PARTS_KEYS.has(k))) return FLAKE_PARTS_ROOT;
  return { kind: 'module', set: looksLikeHomeManager(uri, top) ? 'home-manager' : looksLikeDarwin(uri, top) ? 'darwin' : 'nixos' };
}

/** Paths only a nix-darwin module sets: Homebrew, launchd, macOS defaults, the Linux builder. */
function darwinOnly(p: readonly string[]): boolean {
  if (p[0] === 'homebrew' || p[0] === 'launchd') return true;
  if (p[0] === 'system' && ['defaults', 'primaryUser', 'keyboard', 'startup'].includes(p[1])) return true;
  return p[0] === 'nix' && p[1] === 'linux-builder';
}

/** Top-level names a nix-darwin module never has (darwin has users, security and networking too). */
const LINUX_ONLY = new Set(['boot', 'fileSystems', 'hardware', 'virtualisation', 'swapDevices', 'specialisation', 'powerManagement', 'console']);

/** A nix-darwin module: darwin.nix (darwin-configuration.nix …), or one that sets what only nix-darwin has and nothing only Linux has. */
function looksLikeDarwin(uri: string, top: TopNames | undefined): boolean {
  if (/\/darwin[\w-]*\.nix$/.test(uri)) return true;
  if (!top || top.paths.some(p => LINUX_ONLY.has(p[0]))) return false;
  return top.paths.some(darwinOnly);
}

/** Keys only a flake-parts module has at its top: NixOS has no `flake` or `perSystem` option. */
const FLAKE_PARTS_KEYS = new Set(['perSystem', 'flake', 'systems']);

/** Top-level names only NixOS modules have: a module with any of them is not a home-manager module. */
const NIXOS_ONLY = new Set(['boot', 'networking', 'fileSystems', 'hardware', 'users', 'security', 'virtualisation', 'powerManagement', 'specialisation', 'swapDevices', 'time', 'console']);

/** A home-manager module: home.nix, or one that defines `home.…` / `programs.home-manager` at its top and nothing only NixOS has. */
function looksLikeHomeManager(uri: string, top: TopNames | undefined): boolean {
  if (/\/home\.nix$/.test(uri)) return true;
  if (!top) return false;
  const paths = top.paths;
  const strong = paths.some(p => (p[0] === 'home' && ['stateVersion', 'username', 'homeDirectory'].includes(p[1])) || (p[0] === 'programs' && p[1] === 'home-manager'));
  if (strong) return true;
  if (paths.some(p => NIXOS_ONLY.has(p[0]))) return false;
  return paths.some(p => p[0] === 'home' && (p.length === 1 || ['packages', 'file', 'sessionVariables'].includes(p[1])));
}

/** The attribute set a module file's expression evaluates to, through functions, let and with. */
export function moduleBody(root: Node | null): Node | undefined {
  let body = unparenthesize(root);
  for (let i = 0; body && i < 8; i++) {
    if (body.type === 'function_expression' || body.type === 'let_expression' || body.type === 'with_expression') body = unparenthesize(body.childForFieldName('body'));
    else break;
  }
  return body?.type === 'attrset_expression' || body?.type === 'rec_attrset_expression' ? body : undefined;
}

/** The context of an expression node, worked out from the top of the file down to it. */
export function contextOf(node: Node, file: FileFacts, depth = 0): Context {
  const parent = parentOf(node);
  if (!parent || depth >= MAX_CLIMB) return NONE;
  if (parent.type === 'source_code') return fileContext(file);
  return childContext(parent, node, file, depth + 1);
}

function childContext(parent: Node, child: Node, file: FileFacts, depth: number): Context {
  switch (parent.type) {
    case 'parenthesized_expression':
    case 'ERROR':
      return contextOf(parent, file, depth);
    case 'function_expression': {
      if (!sameNode(parent.childForFieldName('body'), child)) return NONE;
      const ctx = contextOf(parent, file, depth);
      // A module is a function of { config, pkgs, ... }; `final: prev: …` is not one.
      if (ctx.kind === 'module' && !parent.childForFieldName('formals')) return NONE;
      return ctx;
    }
    case 'let_expression':
    case 'with_expression':
    case 'assert_expression':
      return sameNode(parent.childForFieldName('body'), child) ? contextOf(parent, file, depth) : NONE;
    case 'if_expression':
      return sameNode(parent.childForFieldName('condition'), child) ? NONE : contextOf(parent, file, depth);
    case 'binary_expression':
      return parent.childForFieldName('operator')?.type === '//' ? contextOf(parent, file, depth) : NONE;
    case 'apply_expression':
      return applyArgumentContext(parent, child, file, depth);
    case 'list_expression':
      return elementContext(contextOf(parent, file, depth));
    case 'binding':
      return sameNode(parent.childForFieldName('expression'), child) ? bindingContext(parent, file, depth) : NONE;
    default:
      return NONE;
  }
}

function sameNode(a: Node | null, b: Node): boolean {
  return !!a && a.id === b.id;
}

export function elementContext(list: Context): Context {
  if (list.kind === 'list') return list.of;
  if (list.kind === 'options') return { ...list, element: true };
  return NONE;
}

/** The context inside an attribute set that itself has context `ctx`. */
export function attrsetContext(ctx: Context, attrset: Node): Context {
  if (ctx.kind !== 'module') return ctx;
  return isFullModule(attrset) ? { kind: 'moduleBody', set: ctx.set } : { kind: 'options', set: ctx.set, path: [] };
}

function isFullModule(attrset: Node): boolean {
  const keys = bindingKeys(attrset);
  return keys.some(k => k === 'config' || k === 'options');
}

/** The binding's value context: the enclosing set's context stepped through each name. */
function bindingContext(binding: Node, file: FileFacts, depth: number): Context {
  const attrset = enclosingAttrset(binding);
  if (!attrset) return NONE;
  let ctx = attrsetContext(contextOf(attrset, file, depth + 1), attrset);
  for (const attr of attrsOf(binding.childForFieldName('attrpath'))) {
    const name = staticAttrName(attr);
    if (name === undefined) return NONE;
    ctx = step(ctx, name);
  }
  return ctx;
}

/** The attribute set a binding (or a half-typed attrpath) belongs to. */
export function enclosingAttrset(node: Node): Node | null {
  for (let n = parentOf(node), i = 0; n && i < MAX_CLIMB; n = parentOf(n), i++) {
    if (n.type === 'attrset_expression' || n.type === 'rec_attrset_expression') return n;
    if (n.type === 'let_expression' || n.type === 'let_attrset_expression') return null;
    if (!['binding', 'binding_set', 'attrpath', 'ERROR'].includes(n.type)) return null;
  }
  return null;
}

/** One attribute name deeper. */
export function step(ctx: Context, name: string): Context {
  switch (ctx.kind) {
    case 'moduleBody':
      if (name === 'config') return { kind: 'options', set: ctx.set, path: [] };
      if (name === 'imports') return { kind: 'list', of: { kind: 'module', set: ctx.set } };
      if (name === 'options') return { kind: 'declarations', set: ctx.set, path: [] };
      return NONE;
    case 'declarations':
      return { ...ctx, path: [...ctx.path, name] };
    case 'systemArgs':
      return name === 'modules' ? { kind: 'list', of: { kind: 'module', set: ctx.set } } : NONE;
    case 'options': {
      if (ctx.path.length === 0 && name === 'imports' && !ctx.element) {
        return { kind: 'list', of: { kind: 'module', set: ctx.set } };
      }
      const path = ctx.element ? [...ctx.path, '*', name] : [...ctx.path, name];
      return nestedModule(ctx.set, path) ?? { kind: 'options', set: ctx.set, path };
    }
    default:
      return NONE;
  }
}

/** Options whose values are whole modules of another (or the same) set. */
function nestedModule(set: OptionSetName, path: string[]): Context | undefined {
  if (isFlakeSet(set)) {
    const exported = exportedModuleSet(path);
    return exported && { kind: 'module', set: exported };
  }
  if (set !== 'nixos' && set !== 'darwin') return undefined;
  const p = path.join('.');
  // home-manager as a NixOS or a nix-darwin module
  if (path.length === 3 && p.startsWith('home-manager.users.')) return { kind: 'module', set: 'home-manager' };
  if (p === 'home-manager.sharedModules') return { kind: 'list', of: { kind: 'module', set: 'home-manager' } };
  if (set !== 'nixos') return undefined;
  if (path.length === 3 && path[0] === 'specialisation' && path[2] === 'configuration') return { kind: 'module', set: 'nixos' };
  return undefined;
}

/**
 * A module a flake exports, by its path in the flake's outputs (`outputs.nixosModules.x` in a
 * flake.nix) or in a flake-parts module (`flake.nixosModules.x`, `flake.modules.nixos.x`).
 */
export function exportedModuleSet(path: readonly string[]): OptionSetName | undefined {
  const tail = path[0] === 'outputs' || path[0] === 'flake' ? path.slice(1) : path;
  if (tail.length === 2 && tail[0] === 'nixosModules') return 'nixos';
  if (tail.length === 1 && tail[0] === 'nixosModule') return 'nixos';
  if (tail.length === 2 && (tail[0] === 'homeManagerModules' || tail[0] === 'homeModules')) return 'home-manager';
  if (tail.length === 2 && tail[0] === 'darwinModules') return 'darwin';
  if (path[0] === 'flake' && tail.length === 3 && tail[0] === 'modules') {
    if (tail[1] === 'nixos') return 'nixos';
    if (tail[1] === 'homeManager' || tail[1] === 'home-manager') return 'home-manager';
    if (tail[1] === 'darwin') return 'darwin';
  }
  return undefined;
}

/** `f a b`: the function's name decides what its last argument is. */
function applyArgumentContext(apply: Node, child: Node, file: FileFacts, depth: number): Context {
  if (!sameNode(apply.childForFieldName('argument'), child)) return NONE;
  const name = calledName(apply);
  const builder = systemBuilder(name);
  if (builder) return { kind: 'systemArgs', set: builder };
  if (name === 'mkFlake') return FLAKE_PARTS_ROOT;
  // Only the last argument: in `mkIf cond X`, X and not cond.
  const whole = outermostApply(apply);
  if (!sameNode(whole, apply)) return NONE;
  const outer = contextOf(whole, file, depth);
  if (name === 'mkMerge') return { kind: 'list', of: outer };
  if (name && PASS_LAST_ARG.has(name)) return outer;
  return NONE;
}

export function outermostApply(apply: Node): Node {
  let n = apply;
  for (let p = parentOfType(n, 'apply_expression'), i = 0; p && sameNode(p.childForFieldName('function'), n) && i < MAX_CLIMB; p = parentOfType(p, 'apply_expression'), i++) n = p;
  return n;
}

/** The called function's last name: `lib.mkIf c x` -> mkIf. */
export function calledName(apply: Node): string | undefined {
  let known = calledNames.get(apply.tree);
  if (!known) calledNames.set(apply.tree, (known = new Map()));
  // `f a b c` is ((f a) b) c: every application on the way down calls the same function, and
  // each is asked in turn, so remember them all (a chain 50,000 long was quadratic)
  const chain: number[] = [];
  let head: Node | null = apply;
  let name: string | undefined;
  for (;;) {
    if (head?.type !== 'apply_expression') {
      name = head ? functionName(head) : undefined;
      break;
    }
    if (known.has(head.id)) {
      name = known.get(head.id);
      break;
    }
    chain.push(head.id);
    head = unparenthesize(head.childForFieldName('function'));
  }
  if (chain.length >= REMEMBER_FROM) for (const id of chain) known.set(id, name);
  return name;
}

/** Per tree: the function each application calls, by node id. */
const calledNames = new WeakMap<Node['tree'], Map<number, string | undefined>>();

function functionName(head: Node): string | undefined {
  if (head.type === 'variable_expression') return head.text;
  if (head.type === 'select_expression') {
    const attrs = attrsOf(head.childForFieldName('attrpath'));
    const last = attrs[attrs.length - 1];
    return last ? staticAttrName(last) : undefined;
  }
  return undefined;
}
