import * as path from 'path';
import type { NixParser } from '../parse/language';
import { readDocument } from '../parse/documents';
import { readTextFile } from '../util/files';
import { collectNixFiles } from '../util/nixFiles';
import { Project } from '../workspace/project';
import { analyzeWorkspace, type Configuration } from './configuration';
import { flakeValues } from './eval/flake';
import { emptySink, type ModuleFacts, type SystemFacts } from './facts';
import { flakeInputs } from './flakeInputs';
import type { ModuleSummary } from './inputSummaries';
import { flakeInputsOf } from './lockedInputs';
import { moduleRefsOf, ResolveSession } from './resolve';
import { ProjectWorld } from '../workspace/world';

/**
 * What each NixOS module a flake exports sets, read with our own analysis from the flake's source
 * (scripts/summarize-inputs.mjs writes it into inputModules.json): the definitions of the options
 * our rules ask about, with their values, priorities and conditions; everything else it defines
 * or declares as prefixes (unknown to us, but known not to touch the options above).
 */

/** Options our rules ask about: a module's definitions under these are kept one by one. */
const KEPT = [
  'hardware.nvidia', 'hardware.nvidia-container-toolkit', 'hardware.graphics', 'hardware.opengl', 'services.xserver.videoDrivers',
  'nixpkgs.config', 'nixpkgs.pkgs', 'hardware.amdgpu', 'services.ollama', 'hardware.enableRedistributableFirmware',
];

function kept(p: string): boolean {
  return KEPT.some(k => p === k || p.startsWith(`${k}.`));
}

/** A dotted prefix of at most `n` names. */
function prefix(p: readonly string[], n: number): string {
  return p.slice(0, n).join('.');
}

export function summarizeFlake(parser: NixParser, dir: string): Record<string, ModuleSummary> {
  const { files } = collectNixFiles([dir]);
  const project = new Project(parser, { read: readTextFile, files: () => files, open: () => undefined, checksAll: true, parse: (f, t) => readDocument(parser, f, t) });
  const facts = new Map(project.analyze().facts());
  const world = new ProjectWorld({ text: readTextFile, parse: (f, t) => readDocument(parser, f, t) });
  const session = new ResolveSession(world);
  const flakeFile = path.join(dir, 'flake.nix');
  const root = world.doc(flakeFile)?.tree.rootNode.childForFieldName('expression');
  const inputs = flakeInputsOf(dir, root ? flakeInputs(root) : {}, undefined, undefined, () => false);
  const outputs = session.ev.value(flakeValues(session.ev, flakeFile, inputs).outputs.get());
  const modules = outputs.t === 'attrs' ? session.ev.value(session.ev.selectName(outputs, 'nixosModules')) : undefined;
  if (modules?.t !== 'attrs') return {};
  // one configuration per module, rooted in a file that is not there
  const summaryRoot = path.join(dir, '.summary.nix');
  const systems: SystemFacts[] = [];
  for (const name of [...modules.attrs.keys()].sort()) {
    const refs = moduleRefsOf(session, flakeFile, modules.attrs.get(name)!.get(), 'nixos');
    systems.push({ name, set: 'nixos', file: summaryRoot, span: { start: 0, end: 0 }, ...emptySink(), imports: refs });
  }
  const rootFacts: ModuleFacts = { file: summaryRoot, moduleLike: false, ...emptySink(), systems, evaluates: [] };
  facts.set(summaryRoot, rootFacts);
  const analysis = analyzeWorkspace(facts);
  const out: Record<string, ModuleSummary> = {};
  for (const c of analysis.configurationsOf(summaryRoot)) {
    if (c.name.includes(',')) continue;
    out[`nixosModules.${c.name}`] = summaryOf(c, dir);
  }
  return out;
}

function summaryOf(c: Configuration, dir: string): ModuleSummary {
  const definitions: ModuleSummary['definitions'] = [];
  const opaque = new Set<string>();
  const seen = new Set<string>();
  for (const d of c.definitions) {
    // `config = …` and `a = { … }` define nothing themselves; what they hold is defined below them
    if (!d.path.length || d.value.kind === 'attrs') continue;
    const p = d.path.join('.');
    if (!kept(p)) {
      opaque.add(prefix(d.path, 2));
      continue;
    }
    // the text of a value we could not read says nothing to a rule: only that it is set
    const value = d.value.kind === 'other' ? { kind: 'other' as const, text: '…' } : d.value;
    const entry = { path: p, value, priority: d.priority, conditional: d.conditional, ...(d.when ? { when: d.when } : {}) };
    const key = JSON.stringify(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    definitions.push(entry);
  }
  for (const o of c.opaque) opaque.add(kept(o.path.join('.')) ? o.path.join('.') : prefix(o.path, 2));
  for (const k of c.known) for (const p of k.defines) opaque.add(p);
  const declares = [...new Set(c.declarations.map(d => prefix(d.path, 3)))].sort();
  const unseen = [...new Set(c.unseen.map(u => u.text.replace(dir, '.')))].sort();
  return { set: 'nixos', definitions, declares, opaque: [...opaque].sort(), unseen };
}
