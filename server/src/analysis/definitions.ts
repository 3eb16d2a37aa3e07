import * as path from 'path';
import { fileURLToPath } from 'url';
import { attrsOf, bindingKeys, bindingSetOf, plainString, staticAttrName } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { nodesIn } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import {
  attrsetContext, calledName, elementContext, fileContext, outermostApply, PASS_LAST_ARG, step, SYSTEM_BUILDERS,
  type Context, type OptionSetName,
} from './moduleContext';

/**
 * What one file says to a NixOS (or home-manager) configuration: the option definitions it makes,
 * the modules it imports, and the systems it builds (`nixosSystem { modules = [ … ]; }`). Plain
 * data with offsets, so it outlives the tree it came from and can be cached per file.
 */

/** A definition's value, as far as it is written literally. */
export type Value =
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'null' }
  | { kind: 'list'; items: Value[] }
  | { kind: 'attrs' }
  | { kind: 'path'; value: string }
  | { kind: 'other'; text: string };

export interface Span {
  start: number;
  end: number;
}

export interface Definition {
  /** The file (its path) the definition is written in. */
  file: string;
  set: OptionSetName;
  /** The option path: ['hardware', 'nvidia', 'open']. */
  path: string[];
  /** The names written in this binding's attribute path (the tail of `path`). */
  written: string[];
  value: Value;
  key: Span;
  valueSpan: Span;
  binding: Span;
  /** Under mkIf or if-then-else: it may not apply. */
  conditional: boolean;
}

/** An attribute set whose bindings define options under `path`: where a fix can add one. */
export interface OptionSet {
  file: string;
  set: OptionSetName;
  path: string[];
  span: Span;
  conditional: boolean;
}

/** A `nixosSystem { modules = [ … ]; }` (or homeManagerConfiguration) call. */
export interface SystemFacts {
  /** The attribute it is bound to (nixosConfigurations.<name>), else "line N". */
  name: string;
  set: OptionSetName;
  /** Module files listed in `modules`. */
  modules: string[];
  /** Definitions of the modules written inline in `modules`. */
  definitions: Definition[];
  optionSets: OptionSet[];
}

export interface ModuleFacts {
  file: string;
  /** The set the file is a module of, or undefined when it is not a module (a flake, a package). */
  set?: OptionSetName;
  /** Looks like a module on its own: module arguments, or module keys at the top. */
  moduleLike: boolean;
  definitions: Definition[];
  optionSets: OptionSet[];
  /** Module files it imports (`imports = [ ./x.nix ]`), as absolute paths. */
  imports: string[];
  systems: SystemFacts[];
  /** Every relative path literal, resolved: what the file can make Nix read. */
  references: string[];
  /** Sets allowUnfree, allowUnfreePredicate or allowUnfreePackages somewhere (to anything but false). */
  allowsUnfree: boolean;
}

const UNFREE_SETTINGS = new Set(['allowUnfree', 'allowUnfreePredicate', 'allowUnfreePackages']);

function allowsUnfree(doc: NixDocument): boolean {
  if (!/allowUnfree/.test(doc.text)) return false;
  return nodesIn(doc.tree, 'binding').some(b => {
    const attrs = attrsOf(b.childForFieldName('attrpath'));
    const last = attrs.length ? staticAttrName(attrs[attrs.length - 1]) : undefined;
    return !!last && UNFREE_SETTINGS.has(last) && unparenthesize(b.childForFieldName('expression'))?.text !== 'false';
  });
}

export function filePathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

interface Sink {
  definitions: Definition[];
  optionSets: OptionSet[];
  imports: string[];
}

const MODULE_ARGS = new Set(['config', 'lib', 'pkgs', 'options', 'modulesPath', 'specialArgs']);
const OPTION_ROOTS = new Set([
  'boot', 'hardware', 'services', 'networking', 'environment', 'programs', 'users', 'nix', 'nixpkgs', 'systemd',
  'fileSystems', 'security', 'virtualisation', 'system', 'time', 'i18n', 'console', 'fonts', 'xdg', 'powerManagement',
  'documentation', 'home-manager', 'specialisation', 'home', 'imports', 'config', 'options',
]);

export function moduleFacts(doc: NixDocument): ModuleFacts {
  const file = filePathOf(doc.uri);
  const dir = path.dirname(file);
  const root = doc.tree.rootNode.childForFieldName('expression');
  const top = fileContext({ uri: doc.uri, root: doc.tree.rootNode });
  const facts: ModuleFacts = {
    file,
    set: top.kind === 'module' ? top.set : undefined,
    moduleLike: top.kind === 'module' && !!root && moduleLike(root),
    definitions: [],
    optionSets: [],
    imports: [],
    systems: [],
    references: [],
    allowsUnfree: allowsUnfree(doc),
  };
  const walker = new Walker(file, dir);
  if (root) walker.walk(root, top, false, facts);
  for (const call of nodesIn(doc.tree, 'apply_expression')) {
    const name = calledName(call);
    if (!name || !SYSTEM_BUILDERS[name] || outermostApply(call).id !== call.id) continue;
    const system: SystemFacts = { name: systemName(call, doc), set: SYSTEM_BUILDERS[name], modules: [], definitions: [], optionSets: [] };
    walker.walk(call.childForFieldName('argument'), { kind: 'systemArgs', set: system.set }, false, {
      definitions: system.definitions, optionSets: system.optionSets, imports: system.modules,
    });
    facts.systems.push(system);
  }
  for (const p of nodesIn(doc.tree, 'path_expression')) {
    const target = relativePath(p, dir);
    if (target) facts.references.push(target);
  }
  return facts;
}

function moduleLike(root: Node): boolean {
  let body: Node | null = unparenthesize(root);
  if (body?.type === 'function_expression') {
    const formals = body.childForFieldName('formals');
    const names = (formals?.childrenForFieldName('formal') ?? []).map(f => f?.childForFieldName('name')?.text);
    if (names.some(n => n && MODULE_ARGS.has(n))) return true;
    body = unparenthesize(body.childForFieldName('body'));
    while (body && (body.type === 'let_expression' || body.type === 'with_expression')) body = unparenthesize(body.childForFieldName('body'));
  }
  if (body?.type !== 'attrset_expression') return false;
  return bindingKeys(body).some(name => OPTION_ROOTS.has(name));
}

/** `./x.nix` relative to the file's folder, for literals without interpolation. */
function relativePath(node: Node, dir: string): string | undefined {
  if (node.type !== 'path_expression' || !/^\.\.?\//.test(node.text) || node.text.includes('${')) return undefined;
  return path.resolve(dir, node.text);
}

function systemName(call: Node, doc: NixDocument): string {
  let n: Node = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const binding = n.parent;
  if (binding?.type === 'binding' && binding.childForFieldName('expression')?.id === n.id) {
    const attrs = attrsOf(binding.childForFieldName('attrpath'));
    const last = attrs.length ? staticAttrName(attrs[attrs.length - 1]) : undefined;
    if (last) return last;
  }
  return `line ${doc.lines.positionAt(call.startIndex).line + 1}`;
}

function span(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

class Walker {
  constructor(private readonly file: string, private readonly dir: string) {}

  walk(input: Node | null, ctx: Context, conditional: boolean, sink: Sink): void {
    const node = unparenthesize(input);
    if (!node || ctx.kind === 'none') return;
    switch (node.type) {
      case 'function_expression':
        if (ctx.kind === 'module' && !node.childForFieldName('formals')) return;
        this.walk(node.childForFieldName('body'), ctx, conditional, sink);
        return;
      case 'let_expression':
      case 'with_expression':
      case 'assert_expression':
        this.walk(node.childForFieldName('body'), ctx, conditional, sink);
        return;
      case 'if_expression':
        this.walk(node.childForFieldName('consequence'), ctx, true, sink);
        this.walk(node.childForFieldName('alternative'), ctx, true, sink);
        return;
      case 'binary_expression':
        if (node.childForFieldName('operator')?.type !== '//') return;
        this.walk(node.childForFieldName('left'), ctx, conditional, sink);
        this.walk(node.childForFieldName('right'), ctx, conditional, sink);
        return;
      case 'apply_expression':
        this.apply(node, ctx, conditional, sink);
        return;
      case 'list_expression':
        for (const el of node.namedChildren) if (el && el.type !== 'comment') this.walk(el, elementContext(ctx), conditional, sink);
        return;
      case 'path_expression': {
        const target = ctx.kind === 'module' ? relativePath(node, this.dir) : undefined;
        if (target) sink.imports.push(target);
        return;
      }
      case 'attrset_expression':
      case 'rec_attrset_expression':
        this.attrset(node, attrsetContext(ctx, node), conditional, sink);
        return;
    }
  }

  private apply(node: Node, ctx: Context, conditional: boolean, sink: Sink): void {
    const name = calledName(node);
    const last = node.childForFieldName('argument');
    if (!name || SYSTEM_BUILDERS[name]) return;
    if (name === 'mkIf') this.walk(last, ctx, true, sink);
    else if (name === 'mkMerge') this.walk(last, { kind: 'list', of: ctx }, conditional, sink);
    else if (PASS_LAST_ARG.has(name)) this.walk(last, ctx, conditional, sink);
  }

  private attrset(set: Node, ctx: Context, conditional: boolean, sink: Sink): void {
    if (ctx.kind === 'options' && ctx.set !== 'flake' && !ctx.element) {
      sink.optionSets.push({ file: this.file, set: ctx.set, path: ctx.path, span: span(set), conditional });
    }
    for (const b of bindingSetOf(set)?.namedChildren ?? []) {
      if (!b) continue;
      if (b.type === 'binding') this.binding(b, ctx, conditional, sink);
      else if ((b.type === 'inherit' || b.type === 'inherit_from') && ctx.kind === 'options' && ctx.set !== 'flake') {
        for (const attr of attrsOf(b.childForFieldName('attrs'))) {
          const name = staticAttrName(attr);
          if (name === undefined) continue;
          sink.definitions.push({
            file: this.file, set: ctx.set, path: [...ctx.path, name], written: [name], value: { kind: 'other', text: name },
            key: span(attr), valueSpan: span(attr), binding: span(b), conditional,
          });
        }
      }
    }
  }

  private binding(b: Node, outer: Context, conditional: boolean, sink: Sink): void {
    const attrpath = b.childForFieldName('attrpath');
    const value = b.childForFieldName('expression');
    const names: string[] = [];
    let ctx = outer;
    for (const attr of attrsOf(attrpath)) {
      const name = staticAttrName(attr);
      if (name === undefined) return;
      names.push(name);
      ctx = step(ctx, name);
    }
    if (!attrpath || !value || names.length === 0) return;
    if (ctx.kind === 'options' && ctx.set !== 'flake' && !ctx.element && !ctx.path.includes('*')) {
      const inner = unwrap(value);
      sink.definitions.push({
        file: this.file, set: ctx.set, path: ctx.path, written: names, value: describe(inner.node),
        key: span(attrpath), valueSpan: span(inner.node), binding: span(b), conditional: conditional || inner.conditional,
      });
    }
    this.walk(value, ctx, conditional, sink);
  }
}

/** Strip mkDefault / mkForce / mkIf … and parentheses from a value. */
function unwrap(node: Node): { node: Node; conditional: boolean } {
  let n = unparenthesize(node) ?? node;
  let conditional = false;
  for (;;) {
    if (n.type !== 'apply_expression') return { node: n, conditional };
    const name = calledName(n);
    const arg = n.childForFieldName('argument');
    if (!arg || !name || !(PASS_LAST_ARG.has(name))) return { node: n, conditional };
    if (name === 'mkIf') conditional = true;
    n = unparenthesize(arg) ?? arg;
  }
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
