import { pkgsSource } from '../analysis/instances';
import { describeRelease, releaseSeverity, hasChange } from '../analysis/release';
import { resolveName } from '../analysis/scopes';
import { catalog } from '../options/catalog';
import type { PackageInfo } from '../options/types';
import { attrsOf, staticAttrName } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { nodesIn, windowText, parentOf, withParens, parentOfType } from '../parse/nodeIndex';
import { removeSpan } from './edits';
import type { Fix, Rule, RuleContext, RuleFinding } from './types';

const REMOVED = new Map(catalog.packages.filter(p => p.removedIn).map(p => [p.path, p]));
/** The first name of every removed path, to skip files that cannot mention one. */
const FIRST_NAMES = new Set([...REMOVED.keys()].map(p => p.split('.')[0]));

/** The removed package a path of names starts with: `['driversi686Linux', 'amdvlk']`, `['cudaPackages_11', 'cudnn']`. */
function removedPrefix(names: Array<string | undefined>): { info: PackageInfo; length: number } | undefined {
  for (let n = 1; n <= Math.min(names.length, 3); n++) {
    if (names.slice(0, n).some(x => x === undefined)) return undefined;
    const info = REMOVED.get(names.slice(0, n).join('.'));
    if (info) return { info, length: n };
  }
  return undefined;
}

export const removedPackage: Rule = {
  code: 'removed-package',
  severity: 'error',
  description: 'A package nixpkgs no longer has in the detected NixOS release (amdvlk, the CUDA 10, 11 and 12.0–12.5 sets, the old ROCm OpenCL names): evaluation fails where it is used.',
  check(doc, ctx) {
    const text = windowText(doc);
    if (![...FIRST_NAMES].some(n => text.includes(n))) return [];
    const found: RuleFinding[] = [];
    const report = (info: PackageInfo, from: Node, to: Node, whole: Node) => {
      if (!hasChange(ctx.release, info.removedIn!)) return;
      found.push({
        start: from.startIndex,
        end: to.endIndex,
        severity: releaseSeverity(ctx.release, 'error'),
        message: `${info.path} is gone from nixpkgs since NixOS ${info.removedIn} (checked against ${describeRelease(ctx.release)}), so evaluation fails here${info.replacedBy ? `; use ${info.replacedBy}` : ''}`,
        fixes: fixesFor(doc, info, from, to, whole),
      });
    };
    // `pkgs.amdvlk`, `pkgs.driversi686Linux.amdvlk`, `pkgs.cudaPackages_11.cudatoolkit`
    for (const sel of nodesIn(doc, 'select_expression')) {
      const attrs = attrsOf(sel.childForFieldName('attrpath'));
      const base = sel.childForFieldName('expression');
      if (!base) continue;
      const viaWith = base.type === 'variable_expression' && FIRST_NAMES.has(base.text) ? withSource(base, ctx, doc) : false;
      const names = viaWith ? [base.text, ...attrs.map(staticAttrName)] : attrs.map(staticAttrName);
      const hit = removedPrefix(names);
      if (!hit) continue;
      if (viaWith) report(hit.info, base, hit.length === 1 ? base : attrs[hit.length - 2], sel);
      else if (pkgsSource(base, ctx.scopes, doc)) report(hit.info, attrs[0], attrs[hit.length - 1], sel);
    }
    // `with pkgs; [ amdvlk ]`
    for (const v of nodesIn(doc, 'variable_expression')) {
      const info = REMOVED.get(v.text);
      if (!info || parentOfType(v, 'select_expression')?.childForFieldName('expression')?.id === v.id) continue;
      if (withSource(v, ctx, doc)) report(info, v, v, v);
    }
    return found.sort((a, b) => a.start - b.start);
  },
};

/** Is a bare name taken from a `with` over a nixpkgs (`with pkgs;`)? */
function withSource(v: Node, ctx: RuleContext, doc: NixDocument): boolean {
  const ident = v.childForFieldName('name');
  const r = ident ? resolveName(ident, ctx.scopes) : undefined;
  return r?.kind === 'with' && !!r.envs[0] && !!pkgsSource(r.envs[0], ctx.scopes, doc);
}

/** The path to use instead, when the catalog names one ("rocmPackages.clr.icd", "cudaPackages (CUDA 12)"). */
function replacementPath(info: PackageInfo): string | undefined {
  const r = info.replacedBy;
  return r && /^[\w.-]+$/.test(r) ? r : r?.match(/^([\w.-]+) \(/)?.[1];
}

/** Use the replacement where there is one; else drop the list element (`extraPackages = [ amdvlk ];`). */
function fixesFor(doc: NixDocument, info: PackageInfo, from: Node, to: Node, whole: Node): Fix[] {
  const replacement = replacementPath(info);
  if (replacement) return [{ title: `Use ${replacement}`, edits: [{ start: from.startIndex, end: to.endIndex, newText: replacement }], preferred: true }];
  const element = withParens(whole);
  if (parentOf(element)?.type !== 'list_expression') return [];
  return [{ title: `Remove ${info.path} from the list`, edits: [removeSpan(doc, element.startIndex, element.endIndex)], preferred: true }];
}
