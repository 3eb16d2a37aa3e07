import * as path from 'path';
import { exprPath, packagePath } from '../analysis/exprPath';
import { isReference, resolveName } from '../analysis/scopes';
import { attrsOf } from '../parse/attrNames';
import type { Node } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import type { Knowledge } from '../options/knowledge';
import { lineMatching } from '../parse/lineIndex';
import { escapeRegExp } from '../util/text';

/**
 * Definitions into nixpkgs: `pkgs.hello` (or `hello` under `with pkgs;`) opens its by-name
 * package.nix or its line in all-packages.nix of the locked nixpkgs; `lib.mkIf` the line the
 * user's lib defines it on (positions come with the loaded lib).
 */
export interface NixpkgsPlace {
  path: string;
  line: number;
}

/** The expression path (`pkgs` + names up to the one under the cursor) the identifier stands in. */
function pathUpTo(ident: Node): { root: string; path: string[] } | undefined {
  const parent = parentOf(ident);
  if (parent?.type === 'variable_expression' && isReference(ident)) {
    const r = resolveName(ident);
    if (r.kind !== 'with') return undefined;
    const env = exprPath(r.envs[0]);
    return env && { root: env.root, path: [...env.path, ident.text] };
  }
  const select = parent?.type === 'attrpath' ? parentOf(parent) : undefined;
  if (select?.type !== 'select_expression') return undefined;
  const base = exprPath(select.childForFieldName('expression'));
  if (!base) return undefined;
  const attrs = attrsOf(parent!);
  const upTo = attrs.findIndex(a => a.startIndex <= ident.startIndex && ident.endIndex <= a.endIndex);
  return { root: base.root, path: [...base.path, ...attrs.slice(0, upTo + 1).map(a => a.text)] };
}

export function nixpkgsDefinition(ident: Node, kb: Knowledge, nixpkgs: string | undefined, read: (file: string) => string | undefined): NixpkgsPlace | undefined {
  const at = pathUpTo(ident);
  if (!at) return undefined;
  const libPath = at.root === 'lib' ? at.path : at.path[0] === 'lib' && /^(pkgs|nixpkgs)$/.test(at.root) ? at.path.slice(1) : undefined;
  if (libPath?.length) {
    const e = kb.lib?.get(libPath.join('.'));
    return e?.file && e.line ? { path: e.file, line: e.line - 1 } : undefined;
  }
  const pkg = packagePath(at.root, at.path);
  return pkg && nixpkgs ? packageFile(nixpkgs, pkg, read) : undefined;
}

/** Where nixpkgs defines a package: its by-name folder, or its line in the file that lists its set. */
export function packageFile(nixpkgs: string, pkg: readonly string[], read: (file: string) => string | undefined): NixpkgsPlace | undefined {
  const [first, second] = pkg;
  if (pkg.length === 1) {
    const byName = path.join(nixpkgs, 'pkgs', 'by-name', first.slice(0, 2).toLowerCase(), first, 'package.nix');
    if (read(byName) !== undefined) return { path: byName, line: 0 };
    return lineIn(path.join(nixpkgs, 'pkgs', 'top-level', 'all-packages.nix'), first, read);
  }
  if (pkg.length === 2 && /^python3\d*Packages$/.test(first)) return lineIn(path.join(nixpkgs, 'pkgs', 'top-level', 'python-packages.nix'), second, read);
  return undefined;
}

function lineIn(file: string, name: string, read: (file: string) => string | undefined): NixpkgsPlace | undefined {
  const text = read(file);
  if (text === undefined) return undefined;
  const line = lineMatching(text, new RegExp(`^\\s*"?${escapeRegExp(name)}"?\\s*=`));
  return line === -1 ? undefined : { path: file, line };
}
