import { PLACEHOLDER, withSite, type Site } from '../analysis/cursor';
import { exprPath, packagePath } from '../analysis/exprPath';
import { calledName, MODULE_KEYS, type Context, type FileFacts, fileContext, type OptionSetName } from '../analysis/moduleContext';
import { visibleAt, type LocalBinding } from '../analysis/scopes';
import type { EditableDocument } from '../parse/documents';
import type { NixParser } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import { attrLabel, unparenthesize } from '../parse/syntaxTree';
import { flakeInputs } from '../analysis/flakeInputs';
import { isOutputs } from '../analysis/inputRefs';
import type { Knowledge } from '../options/knowledge';
import { PackageNames } from '../options/loadedPackages';
import type { IndexNode } from '../options/optionIndex';
import { stringHintValue, valueHints } from '../options/valueHints';
import type { OptionInfo, ValueHint } from '../options/types';
import { LIB_FUNCTIONS } from '../options/catalog';
import { builtinMarkdown, libMarkdown, optionMarkdown, packageMarkdown } from './optionDocs';
import { inputEntries, type InputLookup } from './inputNavigation';

export type EntryKind = 'option' | 'group' | 'value' | 'package' | 'packageSet' | 'builtin' | 'function' | 'local' | 'keyword';

/** One suggestion, in editor-neutral terms; `start`/`end` is the text it replaces. */
export interface CompletionEntry {
  label: string;
  kind: EntryKind;
  detail?: string;
  documentation?: string;
  insertText?: string;
  snippet?: boolean;
  sortText?: string;
  filterText?: string;
  start: number;
  end: number;
  /** Ask the editor for the next suggestions right after inserting (`hardware.` -> `nvidia`). */
  retrigger?: boolean;
  deprecated?: boolean;
  /** Documentation made when the editor shows the item (a lib function's doc comment is read from its file). */
  later?: () => string | undefined;
  /** A package of the user's nixpkgs (its path under pkgs), whose details are asked for when the item is shown. */
  package?: string[];
}

export interface CompletionResult {
  items: CompletionEntry[];
  /** More would match than were sent; the editor should ask again as the user types. */
  incomplete: boolean;
  /** Names being listed (a nested package set): asking again once this settles finds them. */
  waitFor?: Promise<unknown>;
}

export const DEFAULT_LIMIT = 300;

/**
 * Told that the entries are only those that fit what was typed (so the editor asks again as the
 * user types), and of a listing under way whose names come when it is done.
 */
type More = (listing?: Promise<unknown>) => void;

/** `minUnits`: how many units make a file large (see parse/units.ts); tests lower it to use small files. */
export function complete(parser: NixParser, doc: EditableDocument, offset: number, kb: Knowledge, limit = DEFAULT_LIMIT, minUnits?: number, inputs?: InputLookup): CompletionResult {
  return withSite(parser, doc, offset, (site, file) => {
    let waitFor: Promise<unknown> | undefined;
    let partial = false;
    const items = entriesFor(site, file, kb, inputs, listing => {
      partial = true;
      waitFor ??= listing;
    });
    const result = capped(items, site.kind === 'none' ? '' : site.prefix, limit);
    return partial ? { ...result, incomplete: true, ...(waitFor ? { waitFor } : {}) } : result;
  }, minUnits);
}

function entriesFor(site: Site, file: FileFacts, kb: Knowledge, inputs: InputLookup | undefined, more: More): CompletionEntry[] {
  switch (site.kind) {
    case 'attrName':
      return attrNameEntries(site, kb);
    case 'select':
      return (inputs && inputEntries(site, inputs)) ?? selectEntries(site, file, kb, more);
    case 'variable':
      return variableEntries(site, kb, more);
    case 'string':
      return stringEntries(site, kb);
    case 'formal':
      return formalEntries(site, file);
    default:
      return [];
  }
}

/** Keep the best `limit` entries: those starting with what was typed first, then by sort key. */
function capped(items: CompletionEntry[], prefix: string, limit: number): CompletionResult {
  if (items.length <= limit) return { items, incomplete: false };
  const p = prefix.toLowerCase();
  const rank = (e: CompletionEntry) => ((e.filterText ?? e.label).toLowerCase().startsWith(p) ? 0 : 1);
  const sorted = [...items].sort((a, b) => rank(a) - rank(b) || (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  return { items: sorted.slice(0, limit), incomplete: true };
}

// --- attribute names -------------------------------------------------------------------------

type NameSite = Extract<Site, { kind: 'attrName' }>;

function attrNameEntries(site: NameSite, kb: Knowledge): CompletionEntry[] {
  const names = bindingNameEntries(site, kb);
  // the first name of a binding may also be `inherit` (not at the top of flake.nix, which has its own four)
  const flakeTop = site.ctx.kind === 'options' && site.ctx.set === 'flake' && site.ctx.path.length === 0;
  if (site.before.length || flakeTop) return names;
  return [...names, ...keywordEntries(['inherit'], { start: site.start, end: site.end }, 'keyword').map(e => ({ ...e, sortText: `z${e.label}` }))];
}

function bindingNameEntries(site: NameSite, kb: Knowledge): CompletionEntry[] {
  const ctx = site.ctx;
  const range = { start: site.start, end: site.end };
  if (ctx.kind === 'moduleBody') return keywordEntries(MODULE_KEYS, range, 'part of a module');
  if (ctx.kind === 'systemArgs') {
    const keys = ctx.set === 'home-manager' ? ['pkgs', 'modules', 'extraSpecialArgs'] : ['modules', 'specialArgs', 'system'];
    return keywordEntries(keys, range, `${BUILDER_NAME[ctx.set]} argument`);
  }
  if (ctx.kind !== 'options') return [];
  const index = kb.options(ctx.set);
  const path = ctx.element ? [...ctx.path, '*'] : ctx.path;
  const node = index.node(path);
  const out: CompletionEntry[] = [];
  if (node) {
    for (const [name, child] of node.children) out.push(optionNameEntry(name, [...path, name], child, site, kb));
    if (node.wildcard?.label === '<system>') {
      for (const s of kb.systems) out.push({ label: stringHintValue(s) ?? s.value, kind: 'keyword', detail: 'system', documentation: s.description, ...range });
    }
  }
  if (ctx.set !== 'flake' && ctx.path.length === 0) out.push(...keywordEntries(['imports'], range, 'other modules to include'));
  return out;
}

/** A name as it is written after a dot: as it is, or quoted when it is not a plain name. */
function optionNameEntry(name: string, path: string[], node: IndexNode, site: NameSite, kb: Knowledge): CompletionEntry {
  const label = attrLabel(name);
  const range = { start: site.start, end: site.end };
  const option = node.option;
  const isGroup = node.children.size > 0 || !!node.wildcard;
  const gone = option?.status === 'renamed' || option?.status === 'removed' || !!option?.readOnly;
  const entry: CompletionEntry = {
    label,
    kind: isGroup ? 'group' : 'option',
    detail: option && !isGroup ? option.type : `${node.count} option${node.count === 1 ? '' : 's'}`,
    documentation: option ? optionMarkdown(option, kb) : `Options under \`${path.join('.')}\`.`,
    sortText: `${gone ? 'z' : 'a'}${label}`,
    deprecated: gone || option?.status === 'deprecated',
    ...range,
  };
  if (site.followedBy === '=' || site.followedBy === '.') return entry;
  if (isGroup) return { ...entry, insertText: `${label}.`, retrigger: true };
  if (option && !option.readOnly) return { ...entry, insertText: `${label} = ${valuePlaceholder(option)};`, snippet: true };
  return entry;
}

/** The snippet for a value: a choice for booleans and enums, a tab stop otherwise. */
function valuePlaceholder(option: OptionInfo): string {
  const hints = valueHints(option);
  const simple = hints.filter(h => /^("[^"$\\|,]*"|true|false|null)$/.test(h.value));
  if (simple.length > 1 && simple.length === hints.length) return `\${1|${simple.map(h => h.value).join(',')}|}`;
  if (/^list of/.test(option.type)) return '[ $1 ]';
  if (/^attribute set/.test(option.type)) return '{ $1 }';
  if (/^string/.test(option.type)) return '"$1"';
  return '$1';
}

function keywordEntries(keys: string[], range: { start: number; end: number }, detail: string): CompletionEntry[] {
  return keys.map(k => ({ label: k, kind: 'keyword' as const, detail, ...range }));
}

// --- after a dot -----------------------------------------------------------------------------

type SelectSite = Extract<Site, { kind: 'select' }>;

function selectEntries(site: SelectSite, file: FileFacts, kb: Knowledge, more: More): CompletionEntry[] {
  const range = { start: site.start, end: site.end };
  const base = exprPath(site.base);
  if (!base) return [];
  const path = [...base.path, ...site.before];
  if (base.root === 'builtins' && path.length === 0) return builtinEntries(kb, range, false);
  if (base.root === 'lib' && path.length === 0) return libEntries(kb, range);
  const pkgPath = packagePath(base.root, path);
  if (pkgPath) return packageEntries(kb, pkgPath, base.root === 'config' ? ['config', 'boot', 'kernelPackages', ...path.slice(2)] : [base.root, ...path], range, site.prefix, more);
  if (base.root === 'config') {
    const set = setOf(fileContext(file)) ?? 'nixos';
    const node = kb.options(set).node(path);
    if (!node) return [];
    return [...node.children].map(([name, child]) =>
      optionNameEntry(name, [...path, name], child, { kind: 'attrName', ctx: { kind: 'none' }, before: [], prefix: site.prefix, followedBy: '.', ...range }, kb));
  }
  return [];
}

function setOf(ctx: Context): OptionSetName | undefined {
  return 'set' in ctx ? ctx.set : undefined;
}

function packageEntries(kb: Knowledge, path: string[], shown: string[], range: { start: number; end: number }, prefix: string, more: More): CompletionEntry[] {
  let known = kb.packages.children(path).map(p => {
    const name = p.path.slice(p.path.lastIndexOf('.') + 1);
    return {
      label: name,
      kind: p.kind === 'set' ? ('packageSet' as const) : ('package' as const),
      detail: p.removedIn ? `removed in NixOS ${p.removedIn}` : p.kind === 'set' ? 'package set' : p.kind,
      documentation: packageMarkdown(p, [...shown, name].join('.')),
      ...(p.removedIn ? { deprecated: true, sortText: `z${name}` } : { sortText: `a${name}` }),
      // with the user's nixpkgs evaluated, the item shows what it says too
      ...(kb.packageDetails && p.kind !== 'set' ? { package: [...path, name] } : {}),
      ...range,
    };
  });
  // the user's package set: only the names that start as typed, ours among them first
  const names = loadedNames(kb, path, more);
  if (!names) return known;
  more();
  const typed = prefix.toLowerCase();
  const ours = new Set(known.map(e => e.label));
  known = known.filter(e => e.label.toLowerCase().startsWith(typed));
  const loaded = names.matching(prefix, DEFAULT_LIMIT + 1).names.filter(n => !ours.has(n)).map(name => ({
    label: attrLabel(name),
    kind: 'package' as const,
    detail: 'package',
    sortText: `b${name}`,
    package: [...path, name],
    later: () => `**${[...shown, name].join('.')}** · from your nixpkgs`,
    ...range,
  }));
  return [...known, ...loaded];
}

/**
 * The names of the user's package set at `path`: the top level as loaded, a nested set
 * (`python3Packages`) once it has been listed. The first time, the listing starts and `more`
 * is given it: the server answers once it is done.
 */
function loadedNames(kb: Knowledge, path: readonly string[], more: More): PackageNames | undefined {
  if (!path.length) return kb.packageNames;
  const details = kb.packageDetails;
  if (!details) return undefined;
  const now = details.namesNow(path);
  if (now) return namesOf(now);
  more(details.names(path).catch(() => undefined));
  return undefined;
}

const nestedNames = new WeakMap<string[], PackageNames>();
function namesOf(list: string[]): PackageNames {
  let names = nestedNames.get(list);
  if (!names) nestedNames.set(list, (names = new PackageNames(list)));
  return names;
}

function libEntries(kb: Knowledge, range: { start: number; end: number }): CompletionEntry[] {
  const out = new Map<string, CompletionEntry>();
  const lib = kb.lib;
  for (const e of lib?.entries() ?? []) {
    const ours = LIB_FUNCTIONS.get(e.name);
    out.set(e.name, {
      label: attrLabel(e.name), kind: e.kind === 'function' ? 'function' : e.kind === 'set' ? 'packageSet' : 'value',
      detail: ours ? `lib.${e.name} ${ours.args}` : `lib.${e.name}`, sortText: `${ours ? 'a' : 'b'}${e.name}`, ...range,
      later: () => {
        const doc = lib!.doc(e.name);
        if (doc) return libMarkdown(doc.signature ?? `lib.${e.name}`, doc.text);
        return ours && libMarkdown(`lib.${e.name} ${ours.args}`, ours.description);
      },
    });
  }
  // our catalog's functions, where the user's lib is not loaded (or lacks one)
  for (const f of LIB_FUNCTIONS.values()) {
    if (f.name.includes('.') || out.has(f.name)) continue;
    out.set(f.name, { label: f.name, kind: 'function', detail: `lib.${f.name} ${f.args}`, documentation: libMarkdown(`lib.${f.name} ${f.args}`, f.description), sortText: `a${f.name}`, ...range });
  }
  return [...out.values()];
}

function builtinEntries(kb: Knowledge, range: { start: number; end: number }, globalOnly: boolean): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  for (const b of kb.builtins.values()) {
    if (globalOnly && !b.global) continue;
    out.push({ label: b.name, kind: 'builtin', detail: b.args ? `builtins.${b.name} ${b.args}` : 'builtin', documentation: builtinMarkdown(b), sortText: `c${b.name}`, ...range });
  }
  return out;
}

// --- bare names ------------------------------------------------------------------------------

type VariableSite = Extract<Site, { kind: 'variable' }>;

function variableEntries(site: VariableSite, kb: Knowledge, more: More): CompletionEntry[] {
  const range = { start: site.start, end: site.end };
  const out: CompletionEntry[] = [];
  const option = optionAt(site.ctx, kb);
  if (option) out.push(...hintEntries(valueHints(option), option, range, false));
  const { bindings, withEnvs } = visibleAt(site.node);
  for (const b of bindings) {
    // an empty name (`let "" = 1;`, or a binding still missing its name) cannot be typed as a variable
    if (!b.name || b.name.includes(PLACEHOLDER)) continue;
    out.push({ label: b.name, kind: 'local', detail: bindingDetail(b), sortText: `b${b.name}`, ...range });
  }
  for (const env of withEnvs) {
    const p = exprPath(env);
    const pkgPath = p && packagePath(p.root, p.path);
    if (p && pkgPath) out.push(...packageEntries(kb, pkgPath, [p.root, ...p.path], range, site.prefix, more).map(e => ({ ...e, sortText: `d${e.label}` })));
  }
  if (!withEnvs.length && bindings.some(b => b.name === 'pkgs') && holdsPackages(site, kb)) out.push(...qualifiedPackages(kb, site.prefix, range, more));
  out.push(...builtinEntries(kb, range, true));
  out.push(...keywordEntries(EXPRESSION_KEYWORDS, range, 'keyword').map(e => ({ ...e, sortText: `z${e.label}` })));
  const seen = new Set<string>();
  return out.filter(e => !seen.has(e.label) && seen.add(e.label));
}

/**
 * A formal being named: in flake.nix's `outputs = { self, … }:` the declared inputs not taken yet
 * (and self); in a module's arguments what the module system passes.
 */
function formalEntries(site: Extract<Site, { kind: 'formal' }>, file: FileFacts): CompletionEntry[] {
  const range = { start: site.start, end: site.end };
  const taken = new Set((site.lambda.childForFieldName('formals')?.childrenForFieldName('formal') ?? []).map(f => f?.childForFieldName('name')?.text));
  const fresh = (names: string[]) => names.filter(n => !taken.has(n));
  if (isOutputs(site.lambda) && /(^|\/)flake\.nix$/.test(file.uri)) {
    const top = unparenthesize(file.root.childForFieldName('expression'));
    const declared = top ? Object.keys(flakeInputs(top)) : [];
    return [
      ...fresh(declared).map(n => ({ label: n, kind: 'local' as const, detail: 'flake input', sortText: `a${n}`, ...range })),
      ...fresh(['self']).map(n => ({ label: n, kind: 'keyword' as const, detail: 'this flake', sortText: `b${n}`, ...range })),
    ];
  }
  if (parentOf(site.lambda)?.type === 'source_code') {
    return fresh(MODULE_ARGS).map(n => ({ label: n, kind: 'local' as const, detail: 'module argument', ...range }));
  }
  return [];
}

/** What the module system passes a module (and what flakes commonly add through specialArgs). */
const MODULE_ARGS = ['config', 'lib', 'pkgs', 'options', 'modulesPath', 'inputs'];

const BUILDER_NAME: Record<OptionSetName, string> = { nixos: 'nixosSystem', 'home-manager': 'homeManagerConfiguration', darwin: 'darwinSystem', flake: 'flake', 'flake-parts': 'mkFlake' };

/** Keywords that can be typed where an expression (or its next part) goes. */
const EXPRESSION_KEYWORDS = ['assert', 'else', 'if', 'in', 'let', 'rec', 'then', 'with'];

/** Options whose value is a list of packages, when the option set does not say so by its type. */
const PACKAGE_LISTS = new Set(['environment.systemPackages', 'home.packages', 'fonts.packages', 'users.users.*.packages']);
/** Arguments of the derivation and shell builders that list packages. */
const PACKAGE_ARGS = new Set(['packages', 'buildInputs', 'nativeBuildInputs', 'propagatedBuildInputs', 'checkInputs', 'nativeCheckInputs']);
const BUILDERS = /^(mkShell|mkShellNoCC|mkDerivation|buildPythonPackage|buildPythonApplication|buildGoModule|buildRustPackage|buildNpmPackage)$/;

/** Is the name being typed an element of a list of packages (environment.systemPackages, mkShell's packages …)? */
function holdsPackages(site: VariableSite, kb: Knowledge): boolean {
  const list = parentOf(site.node);
  if (list?.type !== 'list_expression') return false;
  const option = optionAt(site.ctx, kb);
  if (option) return /list of package/.test(option.type) || PACKAGE_LISTS.has(option.name);
  if (site.ctx.kind === 'options' && PACKAGE_LISTS.has(site.ctx.path.join('.'))) return true;
  const binding = parentOf(list);
  const name = binding?.type === 'binding' && binding.childForFieldName('expression')?.id === list.id ? binding.childForFieldName('attrpath')?.text : undefined;
  if (!name || !PACKAGE_ARGS.has(name)) return false;
  const set = parentOf(parentOf(binding!));
  const call = set && parentOf(set);
  return call?.type === 'apply_expression' && BUILDERS.test(calledName(call) ?? '');
}

/** `hel` in a package list without `with pkgs;`: `pkgs.hello`, and the others that start so. */
function qualifiedPackages(kb: Knowledge, prefix: string, range: { start: number; end: number }, more: More): CompletionEntry[] {
  return packageEntries(kb, [], ['pkgs'], range, prefix, more)
    .filter(e => e.label.toLowerCase().startsWith(prefix.toLowerCase()))
    .map(e => ({ ...e, label: `pkgs.${e.label}`, filterText: e.label, insertText: `pkgs.${e.label}`, sortText: `d${e.label}` }));
}

function bindingDetail(b: LocalBinding): string {
  switch (b.kind) {
    case 'formal':
      return 'function argument';
    case 'argument':
      return 'function argument';
    case 'inherit':
      return 'inherited';
    case 'rec':
      return 'rec attribute';
    default:
      return 'let binding';
  }
}

/** The option whose value is being written, when the context names one. */
export function optionAt(ctx: Context, kb: Knowledge): OptionInfo | undefined {
  if (ctx.kind !== 'options') return undefined;
  return kb.options(ctx.set).get(ctx.path);
}

function hintEntries(hints: readonly ValueHint[], option: OptionInfo, range: { start: number; end: number }, unquote: boolean): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  hints.forEach((h, i) => {
    const label = unquote ? stringHintValue(h) : h.value;
    if (label === undefined) return;
    out.push({ label, kind: 'value', detail: h.description ?? option.type, documentation: `Value for \`${option.name}\``, sortText: `a${String(i).padStart(3, '0')}`, ...range });
  });
  return out;
}

// --- inside a string -------------------------------------------------------------------------

type StringSite = Extract<Site, { kind: 'string' }>;

function stringEntries(site: StringSite, kb: Knowledge): CompletionEntry[] {
  const option = optionAt(site.ctx, kb);
  return option ? hintEntries(valueHints(option), option, { start: site.start, end: site.end }, true) : [];
}
