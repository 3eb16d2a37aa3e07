import { argumentsOf, builtinUses } from '../analysis/builtinRefs';
import { resolveName, visibleAt, type ScopeCache } from '../analysis/scopes';
import { attrsOf, plainString, staticAttrName, topLevelAttrs } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { nodesIn, parentOf } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import { addBinding, replaceNode } from './edits';
import { branchNote, DEFAULT_ARGUMENT, inFlakeEvaluation, severityAt, unusedDefault, whereUsed } from './builtinFindings';
import type { Fix, Rule, RuleContext, RuleFinding } from './types';

const BUILTIN_FETCHERS = new Set(['fetchurl', 'fetchTarball', 'fetchGit', 'fetchMercurial', 'fetchTree', 'getFlake']);
/** nixpkgs fetchers: fixed-output derivations, which cannot build without a hash. */
const PKGS_FETCHERS = new Set([
  'fetchurl', 'fetchzip', 'fetchgit', 'fetchFromGitHub', 'fetchFromGitLab', 'fetchFromGitea', 'fetchFromCodeberg',
  'fetchFromSourcehut', 'fetchFromBitbucket', 'fetchFromRepoOrCz', 'fetchpatch', 'fetchpatch2', 'fetchcvs', 'fetchsvn', 'fetchhg',
]);
const HASH_NAMES = ['hash', 'sha256', 'sha512', 'sha1', 'md5', 'outputHash', 'narHash'];
const FAKE_SHA256 = '"0000000000000000000000000000000000000000000000000000"';
const FAKE_SRI = '"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="';
const REV = /(^|[/=])[0-9a-f]{40}($|[&?/])/;
/** `…/archive/<commit>.tar.gz`, the commit written out or interpolated from a `rev`. */
const COMMIT_ARCHIVE = /\/archive\/(?:[0-9a-f]{7,40}|\$\{[^}]*\brev\b[^}]*\})\.(?:tar\.gz|zip)\b/;

export const unpinnedFetch: Rule = {
  code: 'unpinned-fetch',
  severity: 'warning',
  description: 'A fetch without a hash or revision gets whatever the URL or branch holds today; flakes refuse it and nixpkgs fetchers cannot build it.',
  errorsOnlyInPinLoaders: true,
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const use of builtinUses(doc, BUILTIN_FETCHERS, ctx.scopes)) {
      const arg = use.args[0];
      const where = whereUsed(ctx, use.node);
      if (!arg || !where) continue;
      const local = (use.name === 'fetchGit' || use.name === 'fetchTree') && isLocal(unparenthesize(arg)!);
      if (local) {
        // The working tree of a local checkout needs no rev; only pure evaluation refuses it.
        if (where !== 'pure') continue;
        found.push({
          start: use.node.startIndex,
          end: arg.endIndex,
          severity: 'error',
          message: `${use.name} of a local checkout is refused when Nix evaluates purely ("requires a locked input", also without a rev); in a flake use the path itself (./.) or self`,
        });
        continue;
      }
      const problem = builtinProblem(use.name, unparenthesize(arg)!);
      if (!problem) continue;
      // an archive of one commit does not change: outside pure evaluation only the hash is missing
      if (!inFlakeEvaluation(where) && COMMIT_ARCHIVE.test(arg.text)) continue;
      found.push(unusedDefault(ctx, use.node, {
        start: use.node.startIndex,
        end: arg.endIndex,
        severity: severityAt(where, 'error'),
        message: where === 'pure' || where === 'branch'
          ? `${problem}: when Nix evaluates purely (a flake) this fails (${pureError(use.name)}); ${advice(use.name)}${branchNote(where)}`
          : where === 'default'
            ? `${problem}; it is ${DEFAULT_ARGUMENT}, and a flake that relies on it fails (${pureError(use.name)}); ${advice(use.name)}`
            : `${problem}, so the result changes whenever the source does (a flake would refuse it); ${advice(use.name)}`,
        fixes: hashFix(doc, use.name, arg, 'builtin', ctx),
      }));
    }
    for (const call of pkgsFetcherCalls(doc, ctx.scopes)) {
      const where = whereUsed(ctx, call.fn);
      if (!where) continue;
      found.push({
        start: call.fn.startIndex,
        end: call.args.endIndex,
        severity: where === 'default' || where === 'branch' ? 'information' : 'error',
        message: `${call.name} without a hash cannot build: nixpkgs fetchers are fixed-output derivations and need hash (or sha256)${branchNote(where)}`,
        fixes: hashFix(doc, call.name, call.args, 'pkgs', ctx),
      });
    }
    return found.sort((a, b) => a.start - b.start);
  },
};

/** A fetch of a local checkout: `fetchGit ./.`, `fetchGit { url = ./.; }`, `fetchGit "/src/x"`. */
function isLocal(arg: Node): boolean {
  const local = (n: Node | undefined | null) => {
    const v = unparenthesize(n ?? null);
    if (!v) return false;
    if (v.type === 'path_expression') return true;
    const text = v.type === 'string_expression' ? plainString(v) : undefined;
    return text !== undefined && /^(\/|\.\.?\/|file:|git\+file:|path:)/.test(text);
  };
  if (arg.type === 'attrset_expression') return local(topLevelAttrs(arg).names.get('url'));
  return local(arg);
}

/** Why a builtin fetch is unpinned, or undefined when it is pinned or cannot be told. */
function builtinProblem(name: string, arg: Node): string | undefined {
  if (arg.type === 'string_expression' || arg.type === 'uri_expression' || arg.type === 'path_expression') {
    const text = arg.type === 'string_expression' ? plainString(arg) : arg.text;
    if (text === undefined) return undefined;
    if (name === 'getFlake' || name === 'fetchTree') return REV.test(text) || /narHash=/.test(text) ? undefined : `${name} "${text}" is not locked to a revision`;
    if (name === 'fetchGit' || name === 'fetchMercurial') return `${name} of a bare URL follows the branch tip`;
    return `builtins.${name} without a hash`;
  }
  if (arg.type !== 'attrset_expression') return undefined;
  const { names, dynamic } = topLevelAttrs(arg);
  if (dynamic) return undefined;
  switch (name) {
    case 'fetchurl':
    case 'fetchTarball':
      return HASH_NAMES.some(h => names.has(h)) ? undefined : `builtins.${name} without sha256 (or hash)`;
    case 'fetchGit':
    case 'fetchMercurial':
      if (names.has('rev')) return undefined;
      return names.has('ref') ? `${name} with a ref but no rev follows that branch` : `${name} without rev follows the branch tip`;
    case 'fetchTree':
      return names.has('rev') || names.has('narHash') ? undefined : 'fetchTree without rev or narHash is not locked';
    default:
      return undefined;
  }
}

function pureError(name: string): string {
  if (name === 'getFlake') return '"cannot call \'getFlake\' on unlocked flake reference"';
  if (name === 'fetchurl' || name === 'fetchTarball') return `"'${name}' requires a 'sha256' argument"`;
  return '"requires a locked input"';
}

function advice(name: string): string {
  if (name === 'fetchurl' || name === 'fetchTarball') return 'add sha256, or make it a flake input';
  if (name === 'getFlake') return 'use a flake input, or a reference with the revision in it';
  return 'add rev = "<commit>" (keep ref as a note), or make it a flake input';
}

/** `pkgs.fetchFromGitHub { … }` (or a fetcher from callPackage or `with pkgs`) without a hash. */
function pkgsFetcherCalls(doc: NixDocument, scopes: ScopeCache): Array<{ name: string; fn: Node; args: Node }> {
  const out: Array<{ name: string; fn: Node; args: Node }> = [];
  for (const fn of nodesIn(doc, 'select_expression', 'variable_expression')) {
    const name = fetcherName(fn, scopes);
    if (!name) continue;
    const arg = argumentsOf(fn)[0];
    const set = unparenthesize(arg ?? null);
    if (!arg || set?.type !== 'attrset_expression') continue;
    const { names, dynamic } = topLevelAttrs(set);
    if (dynamic || HASH_NAMES.some(h => names.has(h))) continue;
    // `showURLs = true` asks only for the URLs: nothing is fetched.
    if (unparenthesize(names.get('showURLs') ?? null)?.text === 'true') continue;
    out.push({ name, fn, args: arg });
  }
  return out;
}

function fetcherName(fn: Node, scopes: ScopeCache): string | undefined {
  if (fn.type === 'select_expression') {
    const base = fn.childForFieldName('expression');
    const attrs = attrsOf(fn.childForFieldName('attrpath'));
    const name = attrs.length ? staticAttrName(attrs[attrs.length - 1]) : undefined;
    if (!name || !PKGS_FETCHERS.has(name) || base?.text === 'builtins' || fn.childForFieldName('default')) return undefined;
    return name;
  }
  if (parentOf(fn)?.type === 'select_expression') return undefined;
  const name = fn.text;
  if (!PKGS_FETCHERS.has(name)) return undefined;
  const kind = resolveName(fn.childForFieldName('name')!, scopes).kind;
  return kind === 'local' || kind === 'with' ? name : undefined;
}

/** Add a placeholder hash: the first build (or evaluation) fails and prints the real one. */
function hashFix(doc: NixDocument, name: string, arg: Node, kind: 'builtin' | 'pkgs', ctx: RuleContext): Fix[] {
  if (kind === 'builtin' && name !== 'fetchurl' && name !== 'fetchTarball') return [];
  const visible = new Set(visibleAt(arg, ctx.scopes).bindings.map(b => b.name));
  const lib = visible.has('lib') ? 'lib' : visible.has('pkgs') ? 'pkgs.lib' : undefined;
  const binding = kind === 'builtin'
    ? `sha256 = ${lib ? `${lib}.fakeSha256` : FAKE_SHA256};`
    : `hash = ${lib ? `${lib}.fakeHash` : FAKE_SRI};`;
  const title = `Add ${binding} (the first build fails and prints the real hash to put here)`;
  const set = unparenthesize(arg)!;
  if (set.type === 'attrset_expression') return [{ title, edits: [addBinding(doc, set, binding)], preferred: true }];
  return [{ title, edits: [replaceNode(arg, `{ url = ${set.text}; ${binding} }`)], preferred: true }];
}
