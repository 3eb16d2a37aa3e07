import { argumentsOf, builtinOf } from '../analysis/builtinRefs';
import { visibleAt } from '../analysis/scopes';
import { topLevelAttrs } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { nodesIn, parentOf, withParens, parentOfType } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import { branchNote, builtinFindings, DEFAULT_ARGUMENT, inFlakeEvaluation, severityAt, unusedDefault, whereUsed } from './builtinFindings';
import { replaceNode } from './edits';
import type { Fix, Rule, RuleContext, RuleFinding } from './types';

const NAMES = new Set(['nixPath', 'findFile']);
/** Nix's own files, which `<nix/…>` finds without any search path, pure evaluation included. */
const CORE = new Set(['<nix/fetchurl.nix>']);
/** `<SERVICE-NAME>`: a template's placeholder for the reader to fill in, not a search path entry. */
const PLACEHOLDER = /^<[A-Z][A-Z0-9_-]*>$/;

export const impureLookupPath: Rule = {
  code: 'impure-lookup-path',
  severity: 'warning',
  description: '`<nixpkgs>` and other `<…>` paths, builtins.nixPath and builtins.findFile depend on NIX_PATH (channels); flakes cannot use them.',
  errorsOnlyInPinLoaders: true,
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const node of nodesIn(doc, 'spath_expression')) {
      if (CORE.has(node.text) || PLACEHOLDER.test(node.text)) continue;
      const where = whereUsed(ctx, node);
      if (!where) continue;
      found.push(unusedDefault(ctx, node, {
        start: node.startIndex,
        end: node.endIndex,
        severity: severityAt(where, 'error'),
        message: inFlakeEvaluation(where)
          ? `${node.text} cannot be looked up when Nix evaluates purely: the flake fails with "cannot look up '${node.text}' in pure evaluation mode"; use a flake input${branchNote(where)}`
          : where === 'default'
            ? `${node.text} is ${DEFAULT_ARGUMENT}; if a flake relies on the default it fails with "cannot look up '${node.text}' in pure evaluation mode"`
            : `${node.text} is whatever NIX_PATH (your channels) points at when this is evaluated, so two machines can build different things; pin it as a flake input or with fetchTarball and a hash`,
        fixes: lookupFixes(doc, node, ctx),
      }));
    }
    found.push(...builtinFindings(doc, ctx, NAMES, 'error', (use, where) => (where === 'impure'
      ? `builtins.${use.name} depends on NIX_PATH of whoever evaluates; pin the source as a flake input instead (a flake would fail here)`
      : `builtins.${use.name} sees no search path when Nix evaluates purely (${use.name === 'nixPath' ? 'it is empty, or missing in newer Nix' : 'every lookup fails with "cannot look up … in pure evaluation mode"'}); use flake inputs${where === 'default' ? ` (here it is ${DEFAULT_ARGUMENT})` : ''}`)));
    return found.sort((a, b) => a.start - b.start);
  },
};

/** `<name/rest>` -> the local `name` (a flake input), `inputs.name`, or the module's `pkgs`. */
function lookupFixes(doc: NixDocument, node: Node, ctx: RuleContext): Fix[] {
  const m = /^<([^/>]+)(\/[^>]*)?>$/.exec(node.text);
  if (!m) return [];
  const [, name, rest] = m;
  const visible = new Set(visibleAt(node, ctx.scopes).bindings.map(b => b.name));
  const fixes: Fix[] = [];
  const source = visible.has(name) ? name : visible.has('inputs') && /^[A-Za-z_][\w'-]*$/.test(name) ? `inputs.${name}` : undefined;
  if (name === 'nixpkgs' && !rest && visible.has('pkgs')) {
    const importCall = pkgsImport(node, ctx);
    if (importCall) fixes.push({ title: "Use the module's pkgs", edits: [replaceNode(importCall, 'pkgs')], preferred: true });
  }
  if (source) {
    const text = rest ? `(${source} + "${rest}")` : source;
    fixes.push({ title: `Use the flake input: ${text}`, edits: [replaceNode(node, text)], preferred: fixes.length === 0 });
  }
  return fixes;
}

/** `import <nixpkgs> { }` with no arguments: the whole call, which `pkgs` replaces. */
function pkgsImport(node: Node, ctx: RuleContext): Node | undefined {
  const fn = withParens(node);
  const apply = parentOf(fn);
  if (apply?.type !== 'apply_expression' || apply.childForFieldName('argument')?.id !== fn.id) return undefined;
  const callee = apply.childForFieldName('function');
  if (!callee || builtinOf(callee, ctx.scopes) !== 'import') return undefined;
  const [, args] = argumentsOf(callee);
  const set = unparenthesize(args ?? null);
  if (!args || !set || set.type !== 'attrset_expression' || topLevelAttrs(set).names.size > 0) return undefined;
  return parentOfType(args, 'apply_expression') ?? undefined;
}
