import { builtinUses } from '../analysis/builtinRefs';
import { isNixpkgsSource } from '../analysis/instances';
import { visibleAt } from '../analysis/scopes';
import { topLevelAttrs } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import { unparenthesize } from '../parse/syntaxTree';
import { branchNote, builtinFindings, DEFAULT_ARGUMENT, severityAt, unusedDefault, whereUsed } from './builtinFindings';
import { addBinding } from './edits';
import type { Fix, Rule, RuleFinding, RuleContext } from './types';

const NAMES = new Set(['currentSystem']);
const IMPORT = new Set(['import']);
const SYSTEM_ARGS = ['system', 'localSystem'];

export const impureCurrentSystem: Rule = {
  code: 'impure-current-system',
  severity: 'warning',
  description: 'builtins.currentSystem (also read by `import nixpkgs { }` without a system) depends on the evaluating machine; flakes do not have it.',
  errorsOnlyInPinLoaders: true,
  check(doc, ctx) {
    const found = builtinFindings(doc, ctx, NAMES, 'error', (_, where) => (where === 'pure'
      ? "builtins.currentSystem does not exist when Nix evaluates purely: the flake fails with \"attribute 'currentSystem' missing\"; use the system your outputs are built for (or nixpkgs.hostPlatform)"
      : where === 'default'
        ? `builtins.currentSystem is ${DEFAULT_ARGUMENT}; a flake that relies on the default fails with "attribute 'currentSystem' missing"`
        : 'builtins.currentSystem is the system of whoever evaluates, so a laptop and a GPU server get different results; name the system explicitly (a flake would fail here)'));
    if (ctx.pure) found.push(...nixpkgsWithoutSystem(doc, ctx));
    return found.sort((a, b) => a.start - b.start);
  },
};

/** `import nixpkgs { … }` (nixpkgs' top level, not a file inside it) in a flake, with neither `system` nor `localSystem`. */
function nixpkgsWithoutSystem(doc: NixDocument, ctx: RuleContext): RuleFinding[] {
  const found: RuleFinding[] = [];
  for (const use of builtinUses(doc, IMPORT, ctx.scopes)) {
    const [source, argsNode] = use.args;
    const args = unparenthesize(argsNode ?? null);
    if (!source || !args || args.type !== 'attrset_expression' || !isNixpkgsSource(source)) continue;
    // `import <nixpkgs> { }`: the lookup fails first, and impure-lookup-path says so (one finding per cause)
    if (unparenthesize(source)?.type === 'spath_expression') continue;
    const { names, dynamic } = topLevelAttrs(args);
    if (dynamic || SYSTEM_ARGS.some(n => names.has(n))) continue;
    const where = whereUsed(ctx, use.node);
    if (!where) continue;
    const fixes: Fix[] = [];
    const system = visibleAt(args, ctx.scopes).bindings.find(b => b.name === 'system');
    if (system) fixes.push({ title: 'Pass the system in scope: inherit system;', edits: [addBinding(doc, args, 'inherit system;')], preferred: true });
    fixes.push({ title: 'Pass system = "x86_64-linux";', edits: [addBinding(doc, args, 'system = "x86_64-linux";')] });
    found.push(unusedDefault(ctx, use.node, {
      start: use.node.startIndex,
      end: args.endIndex,
      severity: severityAt(where, 'error'),
      message: where === 'default'
        ? `this import of nixpkgs without \`system\` is ${DEFAULT_ARGUMENT}; if a flake relies on the default it fails with "attribute 'currentSystem' missing"`
        : `importing nixpkgs without \`system\` makes it read builtins.currentSystem, which a flake does not have: evaluation fails with "attribute 'currentSystem' missing" as soon as this is used; pass system (or localSystem)${branchNote(where)}`,
      fixes,
    }));
  }
  return found;
}
