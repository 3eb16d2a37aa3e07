import type { Node } from '../parse/language';
import { attrsOf, staticAttrName } from '../parse/attrNames';
import { unparenthesize } from '../parse/syntaxTree';

/** `pkgs.cudaPackages.cudnn` -> { root: "pkgs", path: ["cudaPackages", "cudnn"] }; `${x}` becomes "*". */
export function exprPath(node: Node | null): { root: string; path: string[] } | undefined {
  const n = unparenthesize(node);
  if (!n) return undefined;
  if (n.type === 'variable_expression') return { root: n.text, path: [] };
  if (n.type !== 'select_expression' || n.childForFieldName('default')) return undefined;
  const inner = exprPath(n.childForFieldName('expression'));
  if (!inner) return undefined;
  const names = attrsOf(n.childForFieldName('attrpath')).map(a => staticAttrName(a) ?? '*');
  return { root: inner.root, path: [...inner.path, ...names] };
}

/** The path under nixpkgs' top level an expression path stands for, if it is one we know how to read. */
export function packagePath(root: string, path: readonly string[]): string[] | undefined {
  if (root === 'pkgs') return [...path];
  if (root === 'config' && path[0] === 'boot' && path[1] === 'kernelPackages') return ['linuxPackages', ...path.slice(2)];
  const legacy = path.indexOf('legacyPackages');
  if (legacy !== -1 && path.length >= legacy + 2) return path.slice(legacy + 2);
  return undefined;
}
