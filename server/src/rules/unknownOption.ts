import type { Definition } from '../analysis/definitions';
import { compareReleases, describeRelease, NEWEST_STABLE, releaseSeverity, type Release } from '../analysis/release';
import { RELEASES } from '../options/catalog';
import { nearestOptions, type IndexNode, type OptionIndex } from '../options/optionIndex';
import { declaredBy, fileDefinitions, releasesFor } from './configRules';
import type { Fix, Rule, RuleFinding } from './types';

/** Prefixes where our catalog lists every option nixpkgs has, so a miss is a real mistake. */
const COMPLETE_IN_CATALOG = ['hardware.nvidia', 'hardware.graphics', 'hardware.nvidia-container-toolkit', 'hardware.opengl'];

/** The oldest release the catalog describes. */
const OLDEST = RELEASES[0];

const CATALOG_FIRST_WORDS = [...new Set(COMPLETE_IN_CATALOG.map(p => p.split('.')[0]))];

/** Options people write from forks and tutorials, and what nixpkgs wants instead. */
const KNOWN_MISTAKES: Record<string, { hint: string; replace?: string }> = {
  'hardware.nvidia.enable': { hint: 'services.xserver.videoDrivers = [ "nvidia" ] (hardware.nvidia.enabled is read-only)', replace: 'services.xserver.videoDrivers = [ "nvidia" ];' },
};

/** Length of the longest prefix of `path` the index knows (as an option, a group or inside a free-form option). */
function knownDepth(index: OptionIndex, path: readonly string[]): number {
  let node: IndexNode | undefined = index.node([]);
  for (let i = 0; i < path.length; i++) {
    if (node?.option) return path.length;
    node = node?.children.get(path[i]) ?? node?.wildcard?.node;
    if (!node) return i;
  }
  return path.length;
}

export const unknownOption: Rule = {
  code: 'unknown-option',
  severity: 'error',
  scope: 'file',
  description: 'An option that does not exist (hardware.nvidia.enable …): checked under the GPU prefixes we know in full, and everywhere once your nixpkgs options are loaded.',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    const reported: string[][] = [];
    const defs = fileDefinitions(doc, ctx).map(x => x.def).sort((a, b) => a.path.length - b.path.length);
    for (const def of defs) {
      const index = ctx.knowledge.options(def.set);
      const complete = ctx.knowledge.complete.has(def.set);
      // (a name under those prefixes starts with their first word: most definitions stop here unjoined)
      if (!complete && !CATALOG_FIRST_WORDS.some(w => def.path[0]?.startsWith(w))) continue;
      const name = def.path.join('.');
      if (!complete && !COMPLETE_IN_CATALOG.some(p => name.startsWith(`${p}.`))) continue;
      const depth = knownDepth(index, def.path);
      const o = index.get(def.path);
      const since = o?.since;
      // "since unstable" is what the catalog saw on unstable: whether the newest stable branch has it is not known
      const lacks = (r: Release) => compareReleases(r.name, since!) < 0 && !(since === 'unstable' && compareReleases(r.name, NEWEST_STABLE) >= 0);
      const older = since ? releasesFor(doc, ctx, def, lacks) : undefined;
      if (o && since && older) {
        found.push({
          start: def.key.start,
          end: def.key.end,
          severity: releaseSeverity(older.hit[0], 'error'),
          message: `${o.name} is new in ${since === 'unstable' ? 'NixOS unstable' : `NixOS ${since}`} and does not exist in ${describeRelease(older.hit[0])}, so evaluation fails${older.partly}`,
        });
        continue;
      }
      if (depth >= def.path.length) continue;
      const unknown = def.path.slice(0, depth + 1);
      if (reported.some(r => r.every((s, i) => unknown[i] === s))) continue;
      // Options the configuration's own modules declare exist; one a module we could not read
      // may declare is only information.
      const declared = declaredBy(ctx, def);
      if (declared === 'set') continue;
      // the catalog begins at OLDEST: a nixpkgs older than that (a fork locked in 2023) may have had it
      if (!complete && releasesFor(doc, ctx, def, r => compareReleases(r.floor ?? r.name, OLDEST) < 0)) continue;
      reported.push(unknown);
      const finding = report(def, unknown, index);
      if (declared === 'unknown') {
        finding.severity = 'information';
        finding.message += ' (unless a module this configuration takes from elsewhere declares it: not every module of it could be read)';
      } else if (!complete) {
        // the catalog describes current nixpkgs: a release we only assume may still have had it
        finding.severity = releaseSeverity(ctx.release, 'error');
      }
      found.push(finding);
    }
    return found.sort((a, b) => a.start - b.start);
  },
};


function report(def: Definition, unknown: string[], index: OptionIndex): RuleFinding {
  const name = unknown.join('.');
  const mistake = Object.hasOwn(KNOWN_MISTAKES, name) ? KNOWN_MISTAKES[name] : undefined;
  const suggestions = mistake ? [] : nearestOptions(index, unknown.slice(0, -1), unknown[unknown.length - 1]);
  const hint = mistake ? `; did you mean ${mistake.hint}?` : suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : '';
  const fixes: Fix[] = [];
  const whole = def.path.length === unknown.length && def.written.length === def.path.length;
  if (mistake?.replace && whole && def.value.kind === 'bool' && def.value.value) {
    fixes.push({ title: `Use ${mistake.replace}`, edits: [{ start: def.binding.start, end: def.binding.end, newText: mistake.replace }], preferred: true });
  } else if (suggestions.length === 1 && def.path.length === unknown.length) {
    const prefix = def.path.slice(0, def.path.length - def.written.length);
    const next = suggestions[0].split('.');
    fixes.push({ title: `Change to ${suggestions[0]}`, edits: [{ start: def.key.start, end: def.key.end, newText: next.slice(prefix.length).join('.') }], preferred: true });
  }
  return { start: def.key.start, end: def.key.end, message: `the option ${name} does not exist, so evaluation fails${hint}`, fixes };
}
