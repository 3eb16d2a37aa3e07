import * as path from 'path';
import { attrsOf, bindingKeys, staticAttrName, topLevelAttrs } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { parentOf, withParens } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import { flatPath } from '../util/files';
import { calledName } from './moduleContext';

/**
 * What a file says about other files and about itself, read from its paths and calls: the files Nix
 * evaluates (`import ./x.nix`, `callPackage ./y { }`), the name of a nixosSystem call, whether it
 * looks like a NixOS module.
 */

const MODULE_ARGS = new Set(['config', 'lib', 'pkgs', 'options', 'modulesPath', 'specialArgs']);
const OPTION_ROOTS = new Set([
  'boot', 'hardware', 'services', 'networking', 'environment', 'programs', 'users', 'nix', 'nixpkgs', 'systemd',
  'fileSystems', 'security', 'virtualisation', 'system', 'time', 'i18n', 'console', 'fonts', 'xdg', 'powerManagement',
  'documentation', 'home-manager', 'specialisation', 'home', 'imports', 'config', 'options',
]);
/** Functions that evaluate the file a path names. */
const EVALUATE = /^(import|scopedImport|callPackage|callPackages|callPackageWith|callPackagesWith)$/;


export function moduleLike(root: Node): boolean {
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

/** A path literal without interpolation, made absolute; undefined for `<…>`, `~/…` and `${…}`. */
export function staticPath(node: Node, dir: string): string | undefined {
  if (node.type !== 'path_expression' || node.text.includes('${')) return undefined;
  if (/^\.\.?\//.test(node.text)) return flatPath(path.resolve(dir, node.text));
  return node.text.startsWith('/') ? node.text : undefined;
}

export function relativePath(node: Node, dir: string): string | undefined {
  return /^\.\.?\//.test(node.text) ? staticPath(node, dir) : undefined;
}

/**
 * The arguments `import ./x.nix { a = …; b = …; }` passes: the names, or null when they cannot be
 * told (not called here, a set built elsewhere, a computed name). Undefined for anything but an import.
 */
export function importArgs(p: Node): string[] | null | undefined {
  const arg = withParens(p);
  const apply = parentOf(arg);
  if (apply?.type !== 'apply_expression' || apply.childForFieldName('argument')?.id !== arg.id) return undefined;
  const name = calledName(apply);
  if (name !== 'import' && name !== 'scopedImport') return undefined;
  const call = withParens(apply);
  const outer = parentOf(call);
  if (outer?.type !== 'apply_expression' || outer.childForFieldName('function')?.id !== call.id) return null;
  const set = unparenthesize(outer.childForFieldName('argument'));
  if (set?.type !== 'attrset_expression') return null;
  const { names, dynamic } = topLevelAttrs(set);
  return dynamic ? null : [...names.keys()];
}

/** Is the path an argument of import, callPackage or scopedImport (so Nix evaluates the file)? */
export function isEvaluated(p: Node): boolean {
  const arg = withParens(p);
  const apply = parentOf(arg);
  if (apply?.type !== 'apply_expression' || apply.childForFieldName('argument')?.id !== arg.id) return false;
  const name = calledName(apply);
  return !!name && EVALUATE.test(name);
}

export function systemName(call: Node, doc: NixDocument): string {
  const n = withParens(call);
  const binding = parentOf(n);
  if (binding?.type === 'binding' && binding.childForFieldName('expression')?.id === n.id) {
    const attrs = attrsOf(binding.childForFieldName('attrpath'));
    const last = attrs.length ? staticAttrName(attrs[attrs.length - 1]) : undefined;
    if (last) return last;
  }
  return `line ${doc.lines.positionAt(call.startIndex).line + 1}`;
}
