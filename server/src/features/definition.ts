import { bindingAt } from '../analysis/nameAt';
import { pathAtName } from '../analysis/optionPath';
import type { NixDocument } from '../parse/documents';
import { identifierAt } from '../parse/syntaxTree';
import type { Node } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import { filePathOf } from '../analysis/definitions';
import { pathFile, type PathKind } from './links';
import type { Knowledge } from '../options/knowledge';
import { inputDefinition, type InputLookup } from './inputNavigation';
import { nixpkgsDefinition } from './nixpkgsDefinition';
import { lineMatching } from '../parse/lineIndex';
import { escapeRegExp } from '../util/text';

/** A place to jump to: in this document (offsets) or in another file (path and line). */
export type Location = { kind: 'here'; start: number; end: number } | { kind: 'file'; path: string; line: number; character?: number };

/**
 * Where the name at `offset` is defined: a flake input's flake.nix or what its outputs define
 * (read from its locked source), the binding of a local name, or for an option whose declaration
 * we know as a local file, the line in that file that declares it.
 */
export function definition(
  doc: NixDocument, offset: number, kb: Knowledge, readFile: (path: string) => string | undefined, files?: { kind: PathKind; home: string }, inputs?: InputLookup,
): Location | undefined {
  const onPath = files && pathAt(doc, offset);
  if (onPath) {
    const found = pathFile(onPath, doc.uri.startsWith('file:') ? filePathOf(doc.uri) : undefined, files.kind, files.home);
    return found && { kind: 'file', path: found.file, line: 0 };
  }
  const fromInput = inputs && inputDefinition(doc, offset, inputs);
  if (fromInput) return { kind: 'file', ...fromInput };
  const local = bindingAt(doc.tree.rootNode, offset);
  if (local) return { kind: 'here', start: local.binding.node.startIndex, end: local.binding.node.endIndex };
  const ident = identifierAt(doc.tree.rootNode, offset);
  if (!ident) return undefined;
  const inNixpkgs = nixpkgsDefinition(ident, kb, inputs?.nixpkgs, readFile);
  if (inNixpkgs) return { kind: 'file', ...inNixpkgs };
  const target = pathAtName(ident, { uri: doc.uri, root: doc.tree.rootNode });
  if (target?.kind !== 'option') return undefined;
  const option = kb.options(target.set).get(target.path);
  const file = option?.declaredIn;
  if (!file || !file.startsWith('/')) return undefined;
  const text = readFile(file);
  if (text === undefined) return undefined;
  return { kind: 'file', path: file, line: declarationLine(text, target.path[target.path.length - 1]) };
}

/** The path literal at `offset` (`./hosts/gpu.nix`, `~/x`), if the cursor is on one. */
function pathAt(doc: NixDocument, offset: number): Node | undefined {
  for (const at of [offset, offset - 1]) {
    for (let n: Node | null = at < 0 ? null : doc.tree.rootNode.descendantForIndex(at, at); n; n = parentOf(n)) {
      if (n.type === 'path_expression' || n.type === 'hpath_expression') return n;
      if (n.type !== 'path_fragment') break;
    }
  }
  return undefined;
}

/** The line declaring `name` (`name = mkOption …`, `name = lib.mkEnableOption …`), else 0. */
export function declarationLine(text: string, name: string): number {
  const i = lineMatching(text, new RegExp(`(^|[\\s{.])"?${escapeRegExp(name)}"?\\s*=\\s*(lib\\.)?(mkOption|mkEnableOption|mkPackageOption)\\b`));
  return i === -1 ? 0 : i;
}
