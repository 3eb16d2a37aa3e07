import { bindingSetOf } from '../parse/attrNames';
import { BINDING_SET_OWNERS, duplicateAttrs } from '../parse/duplicateAttrs';
import type { Node } from '../parse/language';
import { nodesIn } from '../parse/nodeIndex';
import type { Rule, RuleFinding } from './types';

/** `{ a, a }:` or `a@{ a }:` — Nix rejects a function argument declared twice. */
function duplicateFormals(fn: Node): RuleFinding[] {
  const formals = fn.childForFieldName('formals');
  if (!formals) return [];
  const found: RuleFinding[] = [];
  const seen = new Set<string>();
  const universal = fn.childForFieldName('universal');
  for (const formal of formals.childrenForFieldName('formal')) {
    const name = formal?.childForFieldName('name');
    if (!name || name.isMissing) continue;
    if (seen.has(name.text) || universal?.text === name.text) {
      found.push({ start: name.startIndex, end: name.endIndex, message: `function argument '${name.text}' is declared twice; Nix rejects the file` });
    }
    seen.add(name.text);
  }
  return found;
}

export const duplicateKey: Rule = {
  code: 'duplicate-key',
  severity: 'error',
  description: 'An attribute defined twice in one set or let (other than two attribute sets that merge), or a function argument declared twice: Nix rejects the file.',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const owner of nodesIn(doc, ...BINDING_SET_OWNERS)) {
      // the set whose bindings are the units of a large file: only names two units share can clash
      const units = ctx.outside && bindingSetOf(owner)?.id === ctx.outside.container.id ? ctx.outside.sharingNames() : undefined;
      for (const d of duplicateAttrs(owner, units)) {
        found.push({ start: d.node.startIndex, end: d.node.endIndex, message: `attribute '${d.name}' is already defined in this set; Nix rejects the file (merge the two, or delete one)` });
      }
    }
    for (const fn of nodesIn(doc, 'function_expression')) found.push(...duplicateFormals(fn));
    return found.sort((a, b) => a.start - b.start);
  },
};
