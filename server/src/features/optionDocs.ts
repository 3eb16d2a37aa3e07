import type { Knowledge } from '../options/knowledge';
import type { PackageDetail } from '../options/packageDetails';
import type { BuiltinInfo, OptionInfo, PackageInfo } from '../options/types';

/** Markdown for an option: what completion items and hovers show. */
export function optionMarkdown(o: OptionInfo, kb: Knowledge): string {
  const lines = [`**${o.name}** · \`${o.type}\``, '', o.description];
  const facts: string[] = [];
  if (o.default !== undefined) facts.push(`*Default:* ${code(o.default)}`);
  if (o.example !== undefined) facts.push(`*Example:* ${code(o.example)}`);
  if (o.readOnly) facts.push('*Read-only:* set by NixOS, not by you.');
  const release = releaseLine(o);
  if (release) facts.push(release);
  if (o.releaseNote) facts.push(`*Note:* ${o.releaseNote}`);
  const where = declarationLink(o.declaredIn, kb);
  if (where) facts.push(`*Declared in* ${where}`);
  if (o.origin) facts.push(`*Source:* ${o.origin}`);
  if (facts.length) lines.push('', ...facts.map(f => `${f}  `));
  return lines.join('\n');
}

/** What changed between releases, in one line, or undefined when nothing did. */
export function releaseLine(o: OptionInfo): string | undefined {
  const nixos = (r: string) => (r === 'unstable' ? 'nixos-unstable' : `NixOS ${r}`);
  if (o.status === 'renamed' && o.replacedBy) return `**Renamed** to \`${o.replacedBy}\`${o.removedIn ? ` in ${nixos(o.removedIn)}` : ''}.`;
  if (o.status === 'removed') {
    const instead = o.replacedBy ? `; use \`${o.replacedBy}\` instead` : '';
    return `**Removed**${o.removedIn ? ` in ${nixos(o.removedIn)}` : ''}${instead}.`;
  }
  if (o.status === 'deprecated') return `**Deprecated**${o.replacedBy ? `: use \`${o.replacedBy}\` instead` : ''}.`;
  if (o.since === 'unstable') return '*Releases:* only on nixos-unstable so far.';
  if (o.since) return `*Releases:* since ${nixos(o.since)}.`;
  return undefined;
}

function declarationLink(declaredIn: string | undefined, kb: Knowledge): string | undefined {
  if (!declaredIn) return undefined;
  if (/^https?:\/\//.test(declaredIn)) return `[${declaredIn.replace(/^.*\/(nixos|pkgs)\//, '$1/')}](${declaredIn})`;
  if (declaredIn.startsWith('/')) return `[${declaredIn.replace(/^\/nix\/store\/[^/]+\//, '')}](file://${declaredIn})`;
  if (kb.nixpkgsRev && /^(nixos|pkgs|lib)\//.test(declaredIn)) {
    return `[${declaredIn}](https://github.com/NixOS/nixpkgs/blob/${kb.nixpkgsRev}/${declaredIn})`;
  }
  return `\`${declaredIn}\``;
}

export function packageMarkdown(p: PackageInfo, shownPath: string): string {
  const kind = p.kind === 'set' ? 'package set' : p.kind;
  const lines = [`**${shownPath}** · ${kind}`, '', p.description];
  if (p.removedIn) lines.push('', `**Removed in NixOS ${p.removedIn}**${p.replacedBy ? `: use ${p.replacedBy}` : ''}.`);
  if (p.releaseNote) lines.push('', `*Note:* ${p.releaseNote}`);
  return lines.join('\n');
}

export function builtinMarkdown(b: BuiltinInfo): string {
  const call = b.args ? `builtins.${b.name} ${b.args}` : `builtins.${b.name}`;
  const lines = ['```nix', call, '```', b.description];
  const notes: string[] = [];
  if (b.impure) notes.push('Impure: not available (or constant) in pure evaluation, which flakes use.');
  if (b.since) notes.push(`Needs Nix ${b.since} or newer.`);
  if (b.experimental) notes.push(`Needs the experimental feature \`${b.experimental}\`.`);
  if (notes.length) lines.push('', ...notes.map(n => `*${n}*  `));
  return lines.join('\n');
}

/**
 * A package as the user's nixpkgs describes it (version, description, homepage, licence), with
 * our catalog's notes on it when it has any (which ollama variant uses CUDA …).
 */
export function packageDetailMarkdown(shownPath: string, d: PackageDetail | undefined, ours: PackageInfo | undefined, from = 'your nixpkgs'): string {
  const lines = [`**${shownPath}**${d?.version ? ` · ${d.version}` : ''} · ${d?.isSet ? 'package set' : 'package'} from ${from}`];
  if (d?.description) lines.push('', d.description);
  const facts: string[] = [];
  if (d?.homepage) facts.push(`[${d.homepage}](${d.homepage})`);
  const license = Array.isArray(d?.license) ? d!.license.filter(Boolean).join(', ') : d?.license;
  if (license) facts.push(`licence ${license}`);
  if (facts.length) lines.push('', facts.join(' · '));
  if (ours) {
    lines.push('', '---', '', `*nix-ai:* ${ours.description}`);
    if (ours.releaseNote) lines.push('', `*Note:* ${ours.releaseNote}`);
  }
  return lines.join('\n');
}

/** A lib function: its call or type line, then what it does. */
export function libMarkdown(signature: string, text: string): string {
  return ['```nix', signature, '```', text].join('\n');
}

function code(text: string): string {
  return text.includes('\n') ? `\n\`\`\`nix\n${text}\n\`\`\`` : `\`${text}\``;
}
