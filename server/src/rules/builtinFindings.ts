import { builtinUses, type BuiltinUse } from '../analysis/builtinRefs';
import type { NixDocument } from '../parse/documents';
import { calledName } from '../analysis/moduleContext';
import { negatedTests, optionTests, type OptionTest } from '../analysis/conditions';
import { applyArgs } from '../analysis/values';
import type { Node } from '../parse/language';
import type { Configuration } from '../analysis/configuration';
import type { Definition } from '../analysis/facts';
import type { RuleContext, RuleFinding, Severity } from './types';
import { parentOf } from '../parse/nodeIndex';
import { bindingDefinedBy, occurrences } from '../analysis/scopes';

/**
 * Where an impure construct is used, which decides what a finding can promise:
 * - `pure`: in a file a flake evaluates, where Nix refuses it (or silently differs);
 * - `branch`: the same, but in a branch that is not always taken (if, mkIf, optionals);
 * - `default`: in a default argument of such a file, used only when the caller passes nothing;
 * - `flake`: in a module that sits in a flake but that no configuration of it is shown to use:
 *   if the flake uses it, Nix refuses it as in `pure` (reported at most as a warning);
 * - `impure`: in a file evaluated the classic way, where it works but depends on the machine.
 */
export type Where = 'pure' | 'branch' | 'default' | 'flake' | 'impure';

/** Calls whose last argument is evaluated only when a condition holds. */
const CONDITIONAL = new Set(['mkIf', 'optionalAttrs', 'optional', 'optionals', 'optionalString', 'mkMerge']);

const CLIMB = 256;

/** Inside a function argument's default (`{ pkgs ? import <nixpkgs> { } }:`)? */
export function inDefaultArgument(node: Node): boolean {
  return defaultOf(node) !== undefined;
}

/** The name of the argument whose default holds the node, if one does. */
function defaultOf(node: Node): string | undefined {
  let child = node;
  for (let p = parentOf(node), i = 0; p && i < CLIMB; child = p, p = parentOf(p), i++) {
    if (p.type === 'formal') return p.childForFieldName('default')?.id === child.id ? p.childForFieldName('name')?.text ?? '' : undefined;
  }
  return undefined;
}

/**
 * A finding in a default argument that every caller in the workspace passes is about a value
 * never used here: a hint, saying so (it matters only to callers elsewhere).
 */
export function unusedDefault(ctx: RuleContext, node: Node, f: RuleFinding): RuleFinding {
  const name = defaultOf(node);
  if (!name) return f;
  if (!ofFileFunction(node)) return { ...f, severity: 'hint', message: `${f.message}; this is a function inside the file, and whether its callers pass ${name} is not checked` };
  if (ctx.defaultUse?.(name, feeds(ctx, node, name)) !== 'passed') return f;
  return { ...f, severity: 'hint', message: `${f.message}; every caller in this workspace passes ${name}, so here the default is never used` };
}

/** What may stand between a file and its function: `let … in`, `with …;`, parentheses, an outer function. */
const FILE_LEVEL = new Set(['parenthesized_expression', 'function_expression', 'let_expression', 'with_expression', 'assert_expression']);

/** Is the default an argument of the file's own function (`{ pkgs ? … }: …`, curried ones too)? */
function ofFileFunction(node: Node): boolean {
  let fn: Node | null = node;
  while (fn && fn.type !== 'function_expression') fn = parentOf(fn);
  for (let p = fn ? parentOf(fn) : null, i = 0; p && i < CLIMB; p = parentOf(p), i++) {
    if (p.type === 'source_code') return true;
    if (!FILE_LEVEL.has(p.type)) return false;
  }
  return false;
}

/**
 * The other arguments whose defaults are the only users of argument `name` (`system ?
 * builtins.currentSystem, pkgs ? import nixpkgs { inherit system; }`): a caller that passes all
 * of them never uses its default either.
 */
function feeds(ctx: RuleContext, node: Node, name: string): string[] | undefined {
  let formal: Node | null = node;
  while (formal && formal.type !== 'formal') formal = parentOf(formal);
  const ident = formal?.childForFieldName('name');
  const binding = ident ? bindingDefinedBy(ident, ctx.scopes) : undefined;
  if (!binding) return undefined;
  const users = new Set<string>();
  for (const use of occurrences(binding)) {
    if (use.id === binding.node.id) continue;
    const user = defaultOf(use);
    if (user === undefined || user === name) return undefined;
    users.add(user);
  }
  return users.size ? [...users] : undefined;
}

const PURITY_TEST = /\bbuiltins\s*\?\s*"?\w+/;

/**
 * Guarded so that a missing builtin does no harm: `builtins.currentSystem or "x86_64-linux"`, or
 * inside the `then` of a test for pure evaluation (`if builtins ? currentSystem then …`).
 */
export function guarded(node: Node): boolean {
  if (node.type === 'select_expression' && node.childForFieldName('default')) return true;
  let child = node;
  for (let p = parentOf(node), i = 0; p && i < CLIMB; child = p, p = parentOf(p), i++) {
    if (p.type === 'if_expression' && p.childForFieldName('consequence')?.id === child.id && PURITY_TEST.test(p.childForFieldName('condition')?.text ?? '')) return true;
    // optionalAttrs (builtins ? currentSystem) { … }, lib.optional (builtins ? x) …
    if (p.type === 'apply_expression' && p.childForFieldName('argument')?.id === child.id && CONDITIONAL.has(calledName(p) ?? '') && PURITY_TEST.test(applyArgs(p)[0]?.text ?? '')) return true;
  }
  return false;
}

/** Inside an option's `example` (`mkOption { example = { passwordFile = /secrets/x; }; }`), which nothing evaluates? */
function inOptionExample(node: Node): boolean {
  let child = node;
  for (let p = parentOf(node), i = 0; p && i < CLIMB; child = p, p = parentOf(p), i++) {
    if (p.type !== 'binding' || p.childForFieldName('expression')?.id !== child.id || p.childForFieldName('attrpath')?.text !== 'example') continue;
    const call = parentOf(parentOf(parentOf(p) ?? p) ?? p);
    if (call?.type === 'apply_expression' && /^mk\w*Option$/.test(calledName(call) ?? '')) return true;
  }
  return false;
}

/** The conditions a node sits under (either side of an `if`, what mkIf / lib.optionals guard), innermost first. */
function branchConditions(node: Node): Array<{ cond: Node | null; negate: boolean }> {
  const out: Array<{ cond: Node | null; negate: boolean }> = [];
  let child = node;
  for (let p = parentOf(node), i = 0; p && i < CLIMB; child = p, p = parentOf(p), i++) {
    if (p.type === 'if_expression' && p.childForFieldName('condition')?.id !== child.id) {
      out.push({ cond: p.childForFieldName('condition'), negate: p.childForFieldName('alternative')?.id === child.id });
    }
    if (p.type === 'apply_expression' && p.childForFieldName('argument')?.id === child.id && CONDITIONAL.has(calledName(p) ?? '')) {
      // mkMerge's elements all apply; the others guard their last argument with their first
      out.push({ cond: calledName(p) === 'mkMerge' ? null : applyArgs(p)[0] ?? null, negate: false });
    }
  }
  return out;
}

/**
 * Is a node in a branch that may not be taken? Not when every condition above it tests the
 * configuration's own options and some configuration of the file answers them all true (the
 * usual `config = mkIf cfg.enable { … }` of a module the host switches on).
 */
function inBranch(ctx: RuleContext, node: Node, depth = 0): boolean {
  const conditions = branchConditions(node).filter(c => c.cond);
  if (!conditions.length) return depth < LET_DEPTH && usedOnlyInBranches(ctx, node, depth);
  return !ctx.configurations.some(c => !c.lone && taken(ctx, c, node, conditions));
}

const LET_DEPTH = 3;

/**
 * A let binding's value is evaluated only where the binding is used: when each use sits in a
 * branch (`hasPath = … builtins.nixPath; in if … then … else if hasPath …`), so does its value.
 */
function usedOnlyInBranches(ctx: RuleContext, node: Node, depth: number): boolean {
  let child = node;
  for (let p = parentOf(node), i = 0; p && i < CLIMB; child = p, p = parentOf(p), i++) {
    if (p.type === 'let_expression' || p.type === 'function_expression' || p.type === 'source_code') return false;
    if (p.type !== 'binding' || p.childForFieldName('expression')?.id !== child.id) continue;
    if (parentOf(parentOf(p) ?? p)?.type !== 'let_expression') return false;
    const attrs = p.childForFieldName('attrpath')?.namedChildren ?? [];
    const name = attrs.length === 1 && attrs[0]?.type === 'identifier' ? attrs[0] : undefined;
    const binding = name ? bindingDefinedBy(name, ctx.scopes) : undefined;
    if (!binding) return false;
    const uses = occurrences(binding).filter(n => n.id !== binding.node.id);
    return uses.length > 0 && uses.every(u => inBranch(ctx, u, depth + 1));
  }
  return false;
}

/**
 * Is the branch taken in this configuration? The conditions above the definition the node is in
 * are that definition's (read with computed names, answered by the configuration); those inside
 * its value must be option tests the configuration answers true.
 */
function taken(ctx: RuleContext, cfg: Configuration, node: Node, conditions: Array<{ cond: Node | null; negate: boolean }>): boolean {
  let def: Definition | undefined;
  for (const d of cfg.definitionsIn(ctx.file ?? '')) {
    if (d.binding.start <= node.startIndex && d.binding.end >= node.endIndex && (!def || d.binding.start >= def.binding.start)) def = d;
  }
  const tests: OptionTest[] = [];
  for (const { cond, negate } of conditions) {
    if (def && cond!.startIndex < def.binding.start) continue;
    const t = optionTests(cond, ctx.scopes);
    const one = negate ? negatedTests(t) : t;
    if (!one) return false;
    tests.push(...one);
  }
  if (def?.conditional && !(def.when && cfg.holds(def.when) === true)) return false;
  return !tests.length || cfg.holds(tests) === true;
}

/** Where a use is, or undefined when it needs no finding (guarded, or a default outside a flake's files). */
export function whereUsed(ctx: RuleContext, node: Node, guard = true): Where | undefined {
  if ((guard && guarded(node)) || inOptionExample(node)) return undefined;
  const dflt = defaultOf(node);
  if (dflt !== undefined) {
    if (ctx.pure) return 'default';
    // a file nothing here calls (nix-build, nix-shell call it bare) uses its defaults
    return ctx.defaultUse?.(dflt) === 'entry' ? 'impure' : undefined;
  }
  if (!ctx.pure) return ctx.inFlake ? 'flake' : 'impure';
  return inBranch(ctx, node) ? 'branch' : 'pure';
}

/** What only a flake would refuse is information elsewhere; a default argument or a branch is information too. */
export function severityAt(where: Where, failing: Severity): Severity {
  if (where === 'flake') return failing === 'error' ? 'warning' : 'information';
  return where === 'pure' ? failing : 'information';
}

/** Is the use where a flake evaluates it (for sure, in a branch, or if the flake uses its module)? */
export function inFlakeEvaluation(where: Where): boolean {
  return where === 'pure' || where === 'branch' || where === 'flake';
}

/** Said after a pure-evaluation message when the use sits in a branch. */
export function branchNote(where: Where): string {
  if (where === 'flake') return ' (this module is in a flake: that is what happens if a configuration of the flake uses it)';
  return where === 'branch' ? ' (in a branch that is not always taken: only when it is)' : '';
}

/** The words for a default argument, which flakes that pass the argument never evaluate. */
export const DEFAULT_ARGUMENT = 'a default argument, used only when the caller passes nothing (a flake that passes it never evaluates this)';

/**
 * One finding per use of the named builtins, on the reference itself, with the severity its place
 * allows: `failing` where a flake evaluates it, information elsewhere. Guarded uses get none.
 */
export function builtinFindings(
  doc: NixDocument, ctx: RuleContext, names: ReadonlySet<string>, failing: Severity,
  message: (use: BuiltinUse, where: Where) => string,
): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const use of builtinUses(doc, names, ctx.scopes)) {
    const where = whereUsed(ctx, use.node);
    if (!where) continue;
    const text = message(use, inFlakeEvaluation(where) ? 'pure' : where) + branchNote(where);
    out.push(unusedDefault(ctx, use.node, { start: use.node.startIndex, end: use.node.endIndex, severity: severityAt(where, failing), message: text }));
  }
  return out;
}
