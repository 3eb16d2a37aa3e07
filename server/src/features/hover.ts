import type { Configuration } from '../analysis/configuration';
import { filePathOf } from '../analysis/definitions';
import { exprPath, packagePath } from '../analysis/exprPath';
import { pathAtName } from '../analysis/optionPath';
import { resolveName, bindingDefinedBy, type LocalBinding } from '../analysis/scopes';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { identifierAt } from '../parse/syntaxTree';
import type { Knowledge } from '../options/knowledge';
import { LIB_FUNCTIONS } from '../options/catalog';
import { builtinMarkdown, libMarkdown, optionMarkdown, packageDetailMarkdown, packageMarkdown } from './optionDocs';
import { optionInConfigurations } from './optionInConfiguration';
import { parentOf, parentOfType } from '../parse/nodeIndex';

export interface HoverResult {
  markdown: string;
  start: number;
  end: number;
  /** A package of the user's nixpkgs whose details are not known yet: the server asks for them. */
  package?: { path: string[]; shown: string };
}

/** A package hover: its text now, and which package it is. */
interface PackageHover {
  markdown: string;
  package: { path: string[]; shown: string };
}

/**
 * What the name under the cursor is: an option (or group of options), a package, a builtin or a
 * local. For an option, `configurations` (those the file belongs to) add what each makes of it.
 */
export function hover(doc: NixDocument, offset: number, kb: Knowledge, configurations: readonly Configuration[] = []): HoverResult | undefined {
  const leaf = identifierAt(doc.tree.rootNode, offset);
  if (!leaf) return undefined;
  const found = describe(leaf, doc, kb, configurations);
  if (!found) return undefined;
  return typeof found === 'string' ? { markdown: found, start: leaf.startIndex, end: leaf.endIndex } : { ...found, start: leaf.startIndex, end: leaf.endIndex };
}

function describe(ident: Node, doc: NixDocument, kb: Knowledge, configurations: readonly Configuration[]): string | PackageHover | undefined {
  const file = { uri: doc.uri, root: doc.tree.rootNode };
  const parent = parentOf(ident);
  if (parent?.type === 'attrpath') {
    const target = pathAtName(ident, file);
    if (target?.kind === 'option') {
      const docs = optionHover(target.set, target.path, kb);
      const inConfig = namesOneOption(ident, target.set, target.path, kb)
        ? optionInConfigurations(configurations, target.set, target.path, filePathOf(doc.uri))
        : undefined;
      return [docs, inConfig].filter(Boolean).join('\n\n---\n\n') || undefined;
    }
    if (target?.kind === 'expr') return exprHover(target.root, target.path, kb);
    const defined = bindingDefinedBy(ident);
    return defined ? localHover(defined, doc) : undefined;
  }
  if (parent?.type === 'variable_expression' || parent?.type === 'inherited_attrs') {
    const r = resolveName(ident);
    if (r.kind === 'local') return localHover(r.binding, doc);
    if (r.kind === 'with') {
      for (const env of r.envs) {
        const p = exprPath(env);
        const md = p && exprHover(p.root, [...p.path, ident.text], kb);
        if (md) return md;
      }
      return undefined;
    }
    const b = kb.builtins.get(ident.text);
    return b?.global ? builtinMarkdown(b) : undefined;
  }
  const defined = bindingDefinedBy(ident);
  return defined ? localHover(defined, doc) : undefined;
}

/** An option itself, not a group: one the index knows, or the last name of a binding with a plain value. */
function namesOneOption(ident: Node, set: Parameters<Knowledge['options']>[0], path: string[], kb: Knowledge): boolean {
  const node = kb.options(set).node(path);
  if (node) return !!node.option;
  const attrpath = parentOf(ident)!;
  if (ident.id !== attrpath.lastNamedChild?.id) return false;
  const value = parentOfType(attrpath, 'binding')?.childForFieldName('expression');
  return value?.type !== 'attrset_expression' && value?.type !== 'rec_attrset_expression';
}

function optionHover(set: Parameters<Knowledge['options']>[0], path: string[], kb: Knowledge): string | undefined {
  const index = kb.options(set);
  const node = index.node(path);
  if (node?.option) return optionMarkdown(node.option, kb);
  if (node) {
    const names = [...node.children.keys()];
    const shown = names.slice(0, 20).map(n => `\`${n}\``).join(', ');
    return `**${path.join('.')}** · ${node.count} option${node.count === 1 ? '' : 's'}\n\n${shown}${names.length > 20 ? ', …' : ''}`;
  }
  const around = index.enclosing(path);
  return around ? optionMarkdown(around.option, kb) : undefined;
}

function exprHover(root: string, path: string[], kb: Knowledge): string | PackageHover | undefined {
  if (root === 'builtins' && path.length === 1) {
    const b = kb.builtins.get(path[0]);
    return b && builtinMarkdown(b);
  }
  if (root === 'lib' && path.length === 1) return libHover(path[0], kb);
  const pkgPath = packagePath(root, path);
  if (!pkgPath) return undefined;
  const ours = kb.packages.get(pkgPath);
  const shown = [root, ...path].join('.');
  // the user's nixpkgs, when it was evaluated: what it says, and our notes after it
  if (kb.packageDetails && (ours || pkgPath.length > 1 || kb.packageNames?.has(pkgPath[0]))) {
    const known = kb.packageDetails.detailNow(pkgPath);
    const markdown = packageDetailMarkdown(shown, known, ours, kb.packagesFrom);
    return known ? markdown : { markdown, package: { path: pkgPath, shown } };
  }
  if (ours) return packageMarkdown(ours, shown);
  if (pkgPath.length === 1 && kb.packageNames?.has(pkgPath[0])) return `**${shown}** · package from your nixpkgs`;
  return undefined;
}

/** `lib.x`: the doc comment from the user's nixpkgs, else our catalog's line. */
function libHover(name: string, kb: Knowledge): string | undefined {
  const doc = kb.lib?.doc(name);
  if (doc) return libMarkdown(doc.signature ?? `lib.${name}`, doc.text);
  const f = LIB_FUNCTIONS.get(name);
  return f && libMarkdown(`lib.${name} ${f.args}`, f.description);
}


const KIND_TEXT: Record<LocalBinding['kind'], string> = {
  let: 'let binding',
  rec: 'attribute of a rec set',
  formal: 'function argument',
  argument: 'function argument',
  inherit: 'inherited name',
};

function localHover(b: LocalBinding, doc: NixDocument): string {
  const line = doc.lines.positionAt(b.node.startIndex).line + 1;
  let shown = b.name;
  if (b.kind === 'formal') shown = `{ ${parentOf(b.node)?.text ?? b.name}, … }`;
  else if (b.value) shown = `${b.name} = ${firstLines(b.value.text)}`;
  else if (b.from) shown = `inherit (${firstLines(b.from.text)}) ${b.name}`;
  return ['```nix', shown, '```', `${KIND_TEXT[b.kind]}, defined on line ${line}`].join('\n');
}

function firstLines(text: string): string {
  const lines = text.split('\n');
  return lines.length > 4 ? `${lines.slice(0, 4).join('\n')}\n  …` : text;
}
