import * as fs from 'fs';
import * as path from 'path';
import type { NixParser } from '../parse/language';
import { attrsOf, bindingSetOf, staticAttrName } from '../parse/attrNames';
import { descendants } from '../parse/syntaxTree';
import type { ConfigurationOutput } from './nixEval';

/** Where a workspace's option set can come from, in the order we try them. */
export type OptionSource =
  | { kind: 'json'; file: string }
  /** `also`: a flake with NixOS hosts and Macs has both sets: the darwinConfigurations entry to load as well. */
  | { kind: 'flake'; dir: string; output: ConfigurationOutput; name?: string; names: string[]; also?: { output: 'darwinConfigurations'; name?: string; names: string[] } }
  | { kind: 'nixpkgs'; path?: string };

export interface SourceSettings {
  /** An options.json to read instead of evaluating anything. */
  json: string;
  /** The nixosConfigurations (darwinConfigurations, homeConfigurations) entry to use; empty = best guess. */
  host: string;
  /** A nixpkgs checkout for workspaces without a flake; empty = <nixpkgs> from NIX_PATH. */
  nixpkgs: string;
}

/** Decide, from files alone (nothing is evaluated), where the options of `folder` come from. */
export function discoverSource(folder: string, settings: SourceSettings, parser: NixParser, hostname: string): OptionSource {
  if (settings.json) return { kind: 'json', file: path.resolve(folder, settings.json) };
  const flakeFile = path.join(folder, 'flake.nix');
  if (fs.existsSync(flakeFile)) {
    const text = fs.readFileSync(flakeFile, 'utf8');
    const found = (['nixosConfigurations', 'darwinConfigurations', 'homeConfigurations'] as const).map(output => {
      const names = outputNames(parser, text, output);
      const name = pickName(names, settings.host, hostname);
      return { output, names, present: names.length > 0 || text.includes(output), ...(name ? { name } : {}) };
    }).filter(f => f.present);
    const [first] = found;
    if (first) {
      const darwin = first.output === 'nixosConfigurations' ? found.find(f => f.output === 'darwinConfigurations') : undefined;
      // the host setting names one entry: the other output's is picked the usual way
      const darwinName = darwin && pickName(darwin.names, darwin.names.includes(settings.host) ? settings.host : '', hostname);
      return {
        kind: 'flake', dir: folder, output: first.output, names: first.names, ...(first.name ? { name: first.name } : {}),
        ...(darwin ? { also: { output: 'darwinConfigurations' as const, names: darwin.names, ...(darwinName ? { name: darwinName } : {}) } } : {}),
      };
    }
  }
  return { kind: 'nixpkgs', ...(settings.nixpkgs ? { path: path.resolve(folder, settings.nixpkgs) } : {}) };
}

/** The entry to evaluate: the setting, else the one named like this machine, else the first. */
export function pickName(names: readonly string[], wanted: string, hostname: string): string | undefined {
  if (wanted) return wanted;
  return names.find(n => n === hostname) ?? names[0];
}

/** Names written out in flake.nix: `nixosConfigurations.gpu = …` or `nixosConfigurations = { gpu = …; }`. */
export function outputNames(parser: NixParser, text: string, output: string): string[] {
  const tree = parser.parse(text);
  const names = new Set<string>();
  try {
    for (const n of descendants(tree.rootNode)) {
      if (n.type !== 'binding') continue;
      const attrs = attrsOf(n.childForFieldName('attrpath')).map(a => staticAttrName(a));
      const at = attrs.indexOf(output);
      if (at === -1) continue;
      if (at + 1 < attrs.length) {
        if (attrs[at + 1]) names.add(attrs[at + 1]!);
        continue;
      }
      const value = n.childForFieldName('expression');
      if (value?.type !== 'attrset_expression' && value?.type !== 'rec_attrset_expression') continue;
      for (const b of bindingSetOf(value)?.namedChildren ?? []) {
        const first = b?.type === 'binding' ? attrsOf(b.childForFieldName('attrpath'))[0] : undefined;
        const name = first && staticAttrName(first);
        if (name) names.add(name);
      }
    }
  } finally {
    tree.delete();
  }
  return [...names];
}

/** A name we can put in an installable's attribute path without quoting trouble. */
export function safeAttrName(name: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_'.-]*$/.test(name) && !name.includes('"');
}
