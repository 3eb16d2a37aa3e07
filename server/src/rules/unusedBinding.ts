import { isReference, resolveName, type LocalBinding } from '../analysis/scopes';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { nodesIn } from '../parse/nodeIndex';
import { removeSpan } from './edits';
import type { Fix, Rule, RuleFinding } from './types';

/** Arguments the module system (or callPackage, or a flake) passes whether they are used or not. */
const PASSED_ANYWAY = new Set(['config', 'pkgs', 'lib', 'options', 'modulesPath', 'specialArgs', 'utils', 'inputs', 'self', 'nodes', 'name']);

/** `outputs = { self, nixpkgs, ... }: …` in a flake.nix: every input is a formal, used or not. */
function isFlakeOutputs(fn: Node, doc: NixDocument): boolean {
  if (!doc.uri.endsWith('/flake.nix')) return false;
  const binding = fn.parent?.type === 'binding' ? fn.parent : fn.parent?.parent?.type === 'binding' ? fn.parent.parent : undefined;
  return binding?.childForFieldName('attrpath')?.text === 'outputs';
}

function reportable(b: LocalBinding, doc: NixDocument): boolean {
  if (b.name.startsWith('_')) return false;
  if (b.kind === 'let') return true;
  if (b.kind !== 'formal') return false;
  // A default (`x ? 1`) makes the argument part of what callers may override.
  if (PASSED_ANYWAY.has(b.name) || b.value || isFlakeOutputs(b.scope, doc)) return false;
  // `args@{ a, ... }` that uses args: the formals document what args holds.
  const universal = b.scope.childForFieldName('universal');
  return !universal;
}

function removal(doc: NixDocument, b: LocalBinding): Fix | undefined {
  if (b.kind !== 'let') return undefined;
  const binding = b.node.parent?.parent;
  if (binding?.type !== 'binding' || (binding.parent?.namedChildren.filter(c => c?.type !== 'comment').length ?? 0) < 2) return undefined;
  return { title: `Remove the unused binding '${b.name}'`, edits: [removeSpan(doc, binding.startIndex, binding.endIndex)], safe: true, preferred: true };
}

export const unusedBinding: Rule = {
  code: 'unused-binding',
  severity: 'warning',
  description: 'A let binding or function argument that nothing uses (module arguments such as config, pkgs and lib, and a flake\'s inputs, are exempt).',
  check(doc, ctx) {
    // One pass over the names read: which bindings does anything refer to?
    const used = new Set<number>();
    for (const ident of nodesIn(doc.tree, 'identifier')) {
      if (!isReference(ident)) continue;
      const r = resolveName(ident, ctx.scopes);
      if (r.kind === 'local') used.add(r.binding.node.id);
    }
    const found: RuleFinding[] = [];
    for (const scope of nodesIn(doc.tree, 'let_expression', 'function_expression')) {
      if (scope.hasError) continue;
      for (const b of ctx.scopes.of(scope)) {
        if (!reportable(b, doc) || used.has(b.node.id)) continue;
        const fix = removal(doc, b);
        found.push({
          start: b.node.startIndex,
          end: b.node.endIndex,
          message: `'${b.name}' is ${b.kind === 'let' ? 'bound' : 'an argument'} but never used${b.kind === 'formal' ? ' (prefix it with _ if the caller needs it)' : ''}`,
          tags: ['unnecessary'],
          ...(fix ? { fixes: [fix] } : {}),
        });
      }
    }
    return found.sort((a, b) => a.start - b.start);
  },
};

