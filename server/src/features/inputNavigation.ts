import { daysSince, lockDate } from '../analysis/flakeLock';
import type { Site } from '../analysis/cursor';
import { inputPath, inputRefAt, selectChain, variableHolds, type InputRef } from '../analysis/inputRefs';
import { attrLabel } from '../parse/syntaxTree';
import type { CompletionEntry, EntryKind } from './completion';
import type { OutputName, OutputPlace } from '../analysis/inputOutputs';
import type { LockedInput } from '../analysis/lockedInputs';
import type { NixDocument } from '../parse/documents';
import type { HoverResult } from './hover';
import { LineIndex } from '../parse/lineIndex';

/**
 * Definitions, hovers and completions that go into a flake input's locked source: an input's
 * name opens its flake.nix, `gpu.nixosModules.tuned` the module, `gpu.lib.` lists what gpu's
 * flake defines. Pure over a document and an InputLookup (the server's reading of the sources).
 */
export interface InputLookup {
  /** The inputs the document's flake declares. */
  names: ReadonlySet<string>;
  /** The document is the flake.nix itself (where outputs' formals are inputs). */
  isFlake: boolean;
  source(input: string): { locked?: LockedInput; dir?: string; entry?: string } | undefined;
  place(input: string, path: readonly string[]): OutputPlace | undefined;
  children(input: string, path: readonly string[]): OutputName[] | undefined;
  /** The locked nixpkgs input's source, when it is on this machine. */
  nixpkgs?: string;
  /** A file's text (an input's files are read from the store). */
  text(file: string): string | undefined;
}

export interface FilePlace {
  path: string;
  line: number;
  character: number;
}

export function inputAt(doc: NixDocument, offset: number, lookup: InputLookup): InputRef | undefined {
  return lookup.names.size ? inputRefAt(doc.tree.rootNode, offset, lookup.isFlake, lookup.names) : undefined;
}

/** Where the input (its flake.nix) or the output under the cursor is defined. */
export function inputDefinition(doc: NixDocument, offset: number, lookup: InputLookup): FilePlace | undefined {
  const ref = inputAt(doc, offset, lookup);
  if (!ref) return undefined;
  if (!ref.path.length) {
    const entry = lookup.source(ref.input)?.entry;
    return entry ? { path: entry, line: 0, character: 0 } : undefined;
  }
  const place = lookup.place(ref.input, ref.path);
  return place && filePlace(place, lookup);
}

export function filePlace(place: OutputPlace, lookup: InputLookup): FilePlace {
  const { line, character } = new LineIndex(lookup.text(place.file) ?? '').positionAt(place.offset);
  return { path: place.file, line, character };
}

/** The input's lock in words: where from, which revision, how old; and whether its source is here. */
export function inputHover(doc: NixDocument, offset: number, lookup: InputLookup, now: number): HoverResult | undefined {
  const ref = inputAt(doc, offset, lookup);
  if (!ref) return undefined;
  const source = lookup.source(ref.input);
  const lines: string[] = [];
  if (ref.path.length) {
    const place = lookup.place(ref.input, ref.path);
    const at = place && filePlace(place, lookup);
    lines.push(`\`${[ref.input, ...ref.path].join('.')}\` from input \`${ref.input}\`${at ? `, defined in \`${at.path}\` line ${at.line + 1}` : ''}`);
  } else {
    lines.push(`flake input \`${ref.input}\``);
  }
  const locked = source?.locked?.node.locked;
  const original = source?.locked?.node.original;
  const from = original && flakeRef(original);
  if (from) lines.push(`from \`${from}\``);
  if (locked?.rev) lines.push(`locked at \`${locked.rev.slice(0, 12)}\`${locked.lastModified ? ` of ${lockDate(locked.lastModified)} (${daysSince(locked.lastModified, now)} days ago)` : ''}`);
  else if (locked?.lastModified) lines.push(`locked ${lockDate(locked.lastModified)} (${daysSince(locked.lastModified, now)} days ago)`);
  if (!source?.locked) lines.push('not in flake.lock yet: run `nix flake lock`');
  else if (!source.dir) lines.push('its source is not on this machine (`nix flake archive` fetches it)');
  return { markdown: lines.join('  \n'), start: ref.start, end: ref.end };
}

/** The flake reference an input was written as, from the lock's `original`. */
function flakeRef(o: NonNullable<LockedInput['node']['original']>): string | undefined {
  if (o.url) return o.type && !o.url.includes(':') ? `${o.type}:${o.url}` : o.url;
  if (o.owner && o.repo) return `${o.type ?? 'github'}:${o.owner}/${o.repo}${o.ref ? `/${o.ref}` : ''}`;
  if (o.path) return `path:${o.path}`;
  return o.id;
}

const ENTRY_KIND: Record<OutputName['kind'], EntryKind> = { module: 'local', function: 'function', set: 'packageSet', configuration: 'value', path: 'value', value: 'value', unknown: 'value' };

/**
 * After `gpu.` / `inputs.gpu.nixosModules.`: the names the input's flake defines there, read from
 * its locked source, each with where it is defined. Undefined when the base is no input.
 */
export function inputEntries(site: Extract<Site, { kind: 'select' }>, lookup: InputLookup): CompletionEntry[] | undefined {
  if (!lookup.names.size) return undefined;
  const base = selectChain(site.base);
  if (!base) return undefined;
  const target = inputPath(base.variable, [...base.names, ...site.before], lookup.isFlake, lookup.names);
  if (!target) {
    // `inputs.` itself: the input names
    if (variableHolds(base.variable, lookup.isFlake) !== 'inputs' || base.names.length || site.before.length) return undefined;
    return [...lookup.names].sort().map(name => ({ label: attrLabel(name), kind: 'local' as const, detail: 'flake input', start: site.start, end: site.end }));
  }
  const children = lookup.children(target.input, target.path);
  if (!children) return undefined;
  return children.map(c => {
    const at = c.place && filePlace(c.place, lookup);
    return {
      label: attrLabel(c.name),
      kind: ENTRY_KIND[c.kind],
      detail: `${c.kind === 'unknown' ? '' : `${c.kind} `}from input ${target.input}`,
      ...(at ? { documentation: `\`${[target.input, ...target.path, c.name].join('.')}\`, defined in \`${at.path}\` line ${at.line + 1}` } : {}),
      start: site.start,
      end: site.end,
    };
  });
}
