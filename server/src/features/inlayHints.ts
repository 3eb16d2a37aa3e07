import type { Configuration } from '../analysis/configuration';
import { flakeInputUrls } from '../analysis/flakeInputs';
import { lockDate, rootInput, type FlakeLock } from '../analysis/flakeLock';
import type { Knowledge } from '../options/knowledge';
import type { NixDocument } from '../parse/documents';
import { descendants } from '../parse/syntaxTree';
import { fileDefinitions, writtenValue } from '../rules/configRules';

export type HintKind = 'flakeLock' | 'optionDefaults' | 'bindingEnds';

export interface InlayHint {
  /** Offset the hint is shown at (after the text before it). */
  at: number;
  label: string;
  kind: HintKind;
  tooltip?: string;
}

export interface HintSources {
  /** The flake.lock beside this flake.nix. */
  lock?: FlakeLock;
  knowledge?: Knowledge;
  configurations?: readonly Configuration[];
  /** Which kinds to give. */
  kinds: ReadonlySet<HintKind>;
  /** For the age of a locked input (ms since the epoch). */
  now: number;
}

/** A binding whose value runs this many lines gets its name at the end. */
export const BINDING_END_LINES = 25;

const DAY_MS = 86_400_000;

/** The hints from `start` to `end`, in document order. */
export function inlayHints(doc: NixDocument, start: number, end: number, sources: HintSources): InlayHint[] {
  const inRange = (at: number) => at >= start && at <= end;
  const out: InlayHint[] = [];
  if (sources.kinds.has('flakeLock') && sources.lock) out.push(...lockHints(doc, sources.lock, sources.now).filter(h => inRange(h.at)));
  if (sources.kinds.has('optionDefaults') && sources.knowledge && sources.configurations) {
    out.push(...defaultHints(doc, sources.knowledge, sources.configurations).filter(h => inRange(h.at)));
  }
  if (sources.kinds.has('bindingEnds')) out.push(...bindingEndHints(doc, start, end));
  return out.sort((a, b) => a.at - b.at);
}

/** After each input's url: the branch, the locked revision and how old it is. */
function lockHints(doc: NixDocument, lock: FlakeLock, now: number): InlayHint[] {
  const out: InlayHint[] = [];
  const top = doc.tree.rootNode.childForFieldName('expression');
  for (const input of top ? flakeInputUrls(top) : []) {
    const node = rootInput(lock, input.name);
    const locked = node?.locked;
    if (!locked?.rev && !locked?.lastModified) continue;
    const parts: string[] = [];
    if (node?.original?.ref) parts.push(node.original.ref);
    if (locked.rev) parts.push(locked.rev.slice(0, 7));
    if (locked.lastModified) parts.push(age(now - locked.lastModified * 1000));
    const when = locked.lastModified ? ` from ${lockDate(locked.lastModified)}` : '';
    out.push({ at: input.node.endIndex, label: parts.join(' · '), kind: 'flakeLock', tooltip: `flake.lock pins ${input.name} to ${locked.rev ?? 'this version'}${when}` });
  }
  return out;
}

function age(ms: number): string {
  const days = Math.max(0, Math.floor(ms / DAY_MS));
  return days === 0 ? 'today' : days === 1 ? '1 day' : `${days} days`;
}

/** After an option set to the value it has anyway. */
function defaultHints(doc: NixDocument, knowledge: Knowledge, configurations: readonly Configuration[]): InlayHint[] {
  const out: InlayHint[] = [];
  const squeeze = (s: string) => s.replace(/\s+/g, ' ').trim();
  for (const { def } of fileDefinitions(doc, { configurations })) {
    const o = knowledge.options(def.set).get(def.path);
    if (o?.default === undefined || def.conditional) continue;
    if (squeeze(writtenValue(doc, def)) !== squeeze(o.default)) continue;
    out.push({ at: def.valueSpan.end, label: '= default', kind: 'optionDefaults', tooltip: `${o.name} is ${squeeze(o.default)} by default: this line changes nothing.` });
  }
  return out;
}

/** At the end of a long binding's value: its name, to tell which brace closes what. */
function bindingEndHints(doc: NixDocument, start: number, end: number): InlayHint[] {
  const out: InlayHint[] = [];
  const overlaps = (c: { startIndex: number; endIndex: number }) => c.endIndex >= start && c.startIndex <= end;
  const walk = { enter: overlaps, wanted: (c: { nodeType: string; endIndex: number }) => c.nodeType === 'binding' && c.endIndex >= start && c.endIndex <= end };
  for (const b of descendants(doc.tree.rootNode, walk)) {
    const value = b.childForFieldName('expression');
    const name = b.childForFieldName('attrpath');
    if (!value || !name) continue;
    const lines = doc.lines.positionAt(value.endIndex).line - doc.lines.positionAt(b.startIndex).line;
    if (lines < BINDING_END_LINES) continue;
    out.push({ at: value.endIndex, label: name.text, kind: 'bindingEnds' });
  }
  return out;
}
