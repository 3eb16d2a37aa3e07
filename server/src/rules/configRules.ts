import * as path from 'path';
import type { Answer, Configuration, Truth } from '../analysis/configuration';
import { filePathOf, type Definition, type Span } from '../analysis/definitions';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { addBinding } from './edits';
import type { Edit, Fix, RuleContext, RuleFinding, Severity } from './types';
import { releaseOf, releasesOf, type Release } from '../analysis/release';
import { MAX_CLIMB, parentOf } from '../parse/nodeIndex';
import { sameStrings } from '../util/lists';
import { addTo } from '../util/lists';

/**
 * Shared by the rules that look at a whole NixOS configuration: a problem is found per
 * configuration and reported on a definition in the document being checked, once per place.
 */
export interface ConfigProblem {
  at: Definition;
  /** Report on the value rather than the option name. */
  onValue?: boolean;
  /** Report on this span instead (an element of a list value). */
  span?: Span;
  message: string;
  severity?: Severity;
  fixes?: Fix[];
  tags?: RuleFinding['tags'];
}

/**
 * Problems found per configuration, reported on this document's definitions, once per place. The
 * message says which configuration was checked: its root and how many files it spans.
 */
export function perConfiguration(doc: NixDocument, ctx: RuleContext, find: (cfg: Configuration, file: string) => ConfigProblem[]): RuleFinding[] {
  const file = filePathOf(doc.uri);
  const byPlace = new Map<string, { finding: RuleFinding; problem: ConfigProblem; configs: Configuration[] }>();
  for (const cfg of ctx.configurations) {
    for (const found of problemsOf(cfg, file, find)) {
      // a definition of an input's module is reported where this file brings that module in
      const viaHere = found.at.file !== file && found.at.via?.file === file ? found.at.via : undefined;
      if (found.at.file !== file && !viaHere) continue;
      const p = viaHere ? { ...found, message: `${found.message} (set by ${viaHere.what}, brought in here)` } : found;
      const span = viaHere ? viaHere.span : p.span ?? (p.onValue ? p.at.valueSpan : p.at.key);
      const key = `${span.start}:${span.end}:${p.message}`;
      const known = byPlace.get(key);
      if (known) {
        known.configs.push(cfg);
        continue;
      }
      byPlace.set(key, {
        problem: p,
        configs: [cfg],
        finding: {
          start: span.start,
          end: span.end,
          message: p.message,
          ...(p.severity ? { severity: p.severity } : {}),
          ...(p.fixes?.length ? { fixes: p.fixes } : {}),
          ...(p.tags ? { tags: p.tags } : {}),
        },
      });
    }
  }
  return [...byPlace.values()]
    .map(({ finding, configs }) => ({ ...finding, message: `${finding.message} (checked: ${checkedIn(configs, file)})` }))
    .sort((a, b) => a.start - b.start);
}

/**
 * A configuration's problems; where only modules of flake inputs that are not on this machine
 * stand in the way of an answer, the problems found assuming they set nothing, at warning at most
 * and saying so.
 */
function problemsOf(cfg: Configuration, file: string, find: (cfg: Configuration, file: string) => ConfigProblem[]): ConfigProblem[] {
  const sure = find(cfg, file);
  const assumed = sure.length ? undefined : cfg.assumingInputs();
  if (!assumed) return sure;
  const unless = unlessInputs(cfg);
  return find(assumed, file).map(p => ({ ...p, severity: atMostWarning(p.severity), message: `${p.message} — ${unless}` }));
}

/** Severity of a finding that rests on modules we could not read setting nothing. */
export function atMostWarning(s: Severity | undefined): Severity {
  return s === 'information' || s === 'hint' ? s : 'warning';
}

/** "unless a module from input nixos-hardware sets it (…)" for a configuration's unread inputs. */
export function unlessInputs(cfg: Configuration): string {
  const names = cfg.unreadInputs ?? [];
  const inputs = names.filter(n => n !== 'nixpkgs');
  const parts: string[] = [];
  if (inputs.length) parts.push(`a module from input${inputs.length > 1 ? 's' : ''} ${inputs.join(', ')}`);
  if (names.includes('nixpkgs')) parts.push('a nixpkgs module it imports');
  return `unless ${parts.join(' or ')} sets it (not read: ${inputs.length ? 'its locked source is not on this machine; `nix flake archive` fetches it' : 'nixpkgs is not on this machine'})`;
}

/** "configuration gpu-box (../flake.nix, 6 files)": the root relative to the file being checked. */
export function checkedIn(configs: readonly Configuration[], file: string): string {
  const first = configs[0].describe(path.dirname(file));
  const more = configs.length - 1;
  return `configuration ${first}${more ? ` and ${more} more` : ''}`;
}

/** What switches the NVIDIA driver on: "nvidia" in videoDrivers, or the datacenter driver. */
export function nvidiaDriver(cfg: Configuration): { x11: Truth; datacenter: Truth; x11Defs: Definition[]; datacenterDefs: Definition[] } {
  return {
    x11: cfg.listHas('services.xserver.videoDrivers', 'nvidia'),
    datacenter: cfg.isTrue('hardware.nvidia.datacenter.enable'),
    x11Defs: cfg.listDefs('services.xserver.videoDrivers', 'nvidia'),
    datacenterDefs: cfg.trueDefs('hardware.nvidia.datacenter.enable'),
  };
}

/** The attribute set node written exactly at a span, if any. */
function nodeAtSpan(doc: NixDocument, start: number, end: number): Node | undefined {
  let n: Node | null = doc.tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
  for (let i = 0; n && i < MAX_CLIMB; n = parentOf(n), i++) {
    if (n.startIndex === start && n.endIndex === end && (n.type === 'attrset_expression' || n.type === 'rec_attrset_expression')) return n;
    if (n.startIndex < start) break;
  }
  return undefined;
}

/**
 * An edit that defines `option = value;` in this file: in the unconditional option set of the
 * configuration that is the deepest prefix of the option (`hardware.nvidia = { … }` gets
 * `open = true;`, a module's top set gets `hardware.nvidia.open = true;`).
 */
export function defineOption(doc: NixDocument, cfg: Configuration, option: string, value: string): Edit | undefined {
  const file = filePathOf(doc.uri);
  const path = option.split('.');
  const best = cfg.optionSets
    .filter(s => s.file === file && !s.conditional && s.path.length < path.length && s.path.every((p, i) => path[i] === p))
    .map(s => ({ s, node: nodeAtSpan(doc, s.span.start, s.span.end) }))
    .filter((x): x is { s: typeof x.s; node: Node } => !!x.node)
    .sort((a, b) => b.s.path.length - a.s.path.length)[0];
  if (!best) return undefined;
  return addBinding(doc, best.node, `${path.slice(best.s.path.length).join('.')} = ${value};`);
}

/** Per list of configurations (one check asks for it once per rule) and file: its definitions. */
const definitionsOf = new WeakMap<readonly Configuration[], Map<string, ReadonlyArray<{ def: Definition; cfg: Configuration }>>>();

/** This file's definitions, once each, from every configuration it is part of. */
export function fileDefinitions(doc: NixDocument, ctx: Pick<RuleContext, 'configurations'>): ReadonlyArray<{ def: Definition; cfg: Configuration }> {
  const file = filePathOf(doc.uri);
  let byFile = definitionsOf.get(ctx.configurations);
  if (!byFile) definitionsOf.set(ctx.configurations, (byFile = new Map()));
  let out = byFile.get(file);
  if (!out) byFile.set(file, (out = collectDefinitions(file, ctx.configurations)));
  return out;
}

/** The file's definitions, each once: two at the same place with the same path are one (paths compared by segment, not joined). */
function collectDefinitions(file: string, configurations: readonly Configuration[]): Array<{ def: Definition; cfg: Configuration }> {
  const seen = new Map<number, Definition[]>();
  // evaluation can put many definitions at one place (the leaves of a computed set): past a few, keyed by path
  const many = new Map<number, Set<string>>();
  const out: Array<{ def: Definition; cfg: Configuration }> = [];
  for (const cfg of configurations) {
    for (const def of cfg.definitionsIn(file)) {
      if (def.via) continue;
      const keyed = many.get(def.key.start);
      if (keyed) {
        const key = def.path.join('\0');
        if (keyed.has(key)) continue;
        keyed.add(key);
        out.push({ def, cfg });
        continue;
      }
      const here = seen.get(def.key.start);
      if (here?.some(d => d === def || sameStrings(d.path, def.path))) continue;
      if (here) here.push(def);
      else seen.set(def.key.start, [def]);
      if (here && here.length > 8) many.set(def.key.start, new Set(here.map(d => d.path.join('\0'))));
      out.push({ def, cfg });
    }
  }
  return out;
}

/**
 * Does a configuration the definition belongs to declare the option itself (set), may a module it
 * could not read (unknown), or does none (unset)? A configuration's own declaration wins over
 * nixpkgs' option of that name.
 */
export function declaredBy(ctx: RuleContext, def: Definition): Answer {
  const own = ctx.configurations.filter(c => c.get(def.path.join('.')).some(d => d.file === def.file && d.key.start === def.key.start));
  const answers = own.map(c => c.declares(def.path));
  if (answers.includes('set')) return 'set';
  return answers.length && answers.every(a => a === 'unset') ? 'unset' : 'unknown';
}

/** Per file: which of the file's configurations each of its definitions is in. */
const configsOfDefs = new WeakMap<readonly Configuration[], Map<string, Map<Definition, Configuration[]>>>();

/** The configurations (of those the file belongs to) a definition of the file is part of. */
export function configurationsWith(doc: NixDocument, ctx: Pick<RuleContext, 'configurations'>, def: Definition): readonly Configuration[] {
  const file = filePathOf(doc.uri);
  let byFile = configsOfDefs.get(ctx.configurations);
  if (!byFile) configsOfDefs.set(ctx.configurations, (byFile = new Map()));
  let index = byFile.get(file);
  if (!index) {
    byFile.set(file, (index = new Map()));
    for (const cfg of ctx.configurations) for (const d of cfg.definitionsIn(file)) addTo(index, d, cfg);
  }
  return index.get(def) ?? [];
}

/**
 * The releases a definition is checked against, one per nixpkgs that builds a configuration it is
 * in: `applies` keeps those where the rule applies, and `partly` says some configuration is built
 * with a nixpkgs where it does not (then a quick fix would break that one, so none is offered).
 */
export function releasesFor(doc: NixDocument, ctx: RuleContext, def: Definition, applies: (release: Release) => boolean): { hit: Release[]; partly: string } | undefined {
  const configs = configurationsWith(doc, ctx, def);
  // a file no configuration of its flake uses is checked against the flake's nixpkgs, but that is a guess
  const unused = !ctx.inFlake && ctx.release.source !== 'setting' && configs.every(c => c.lone);
  const releases = releasesOf(configs, ctx.release).map(r => (unused ? { ...r, unused } : r));
  const hit = releases.filter(applies);
  if (!hit.length) return undefined;
  const others = configs.filter(c => !applies(releaseOf(c, ctx.release)));
  const partly = others.length
    ? `; configuration ${others.slice(0, 2).map(c => `${c.name} (NixOS ${releaseOf(c, ctx.release).name})`).join(', ')} is built with a nixpkgs where it is fine, so change it there only if you change that nixpkgs too`
    : '';
  return { hit, partly };
}

/** The text of a binding's value as written (`mkDefault x` included), from `=` to `;`. */
export function writtenValue(doc: NixDocument, def: Definition): string {
  return doc.text.slice(def.key.end, def.binding.end).replace(/^\s*=\s*/, '').replace(/\s*;$/, '');
}
