import * as path from 'path';
import type { Configuration } from '../analysis/configuration';
import { PRIORITY, type Definition, type Value } from '../analysis/facts';
import type { OptionSetName } from '../analysis/moduleContext';

/** How many configurations a hover lists before it says "and N more". */
const SHOWN = 3;

/**
 * What each configuration the file belongs to makes of an option, for the option's hover: the
 * value that wins and where it is written, "not set" only when every module was read, otherwise
 * what could not be seen. The same answers the rules act on, so a hover explains a diagnostic.
 */
export function optionInConfigurations(configs: readonly Configuration[], set: OptionSetName, option: string[], file: string): string | undefined {
  const mine = configs.filter(c => c.set === set);
  if (!mine.length) return undefined;
  const dir = path.dirname(file);
  const lines = mine.slice(0, SHOWN).map(c => `- **${c.describe(dir)}**: ${answer(c, option.join('.'), dir)}`);
  if (mine.length > SHOWN) lines.push(`- and ${mine.length - SHOWN} more configuration${mine.length - SHOWN === 1 ? '' : 's'}`);
  return ['In the configurations this file belongs to:', ...lines].join('\n');
}

function answer(cfg: Configuration, option: string, dir: string): string {
  const r = cfg.resolve(option);
  if (r.kind === 'unset') return 'not set in any module, so its default applies';
  if (r.kind === 'unknown') {
    const defs = cfg.get(option);
    const written = defs.length ? `written in ${places(defs, dir)}, but ` : '';
    return `${written}unknown: ${why(cfg, option, defs)}`;
  }
  const value = r.defs.length === 1 ? `\`${show(r.defs[0].value)}\`` : `${r.defs.length} definitions`;
  const more = r.hidden ? ' (modules that could not be read may add to it)' : '';
  return `${value} from ${places(r.defs, dir)}${priorityNote(r.defs[0].priority)}${more}`;
}

function why(cfg: Configuration, option: string, defs: readonly Definition[]): string {
  if (defs.length && defs.every(d => d.conditional)) return 'every definition is conditional (mkIf, if)';
  if (cfg.unseen.length) {
    // each with why: the argument, folder, helper or flake input that stood in the way
    const names = cfg.unseen.slice(0, 2).map(u => `\`${u.text}\`${u.why ? `: ${u.why.text}` : ''}`).join('; ');
    return `${cfg.unseen.length === 1 ? 'a module' : `${cfg.unseen.length} modules`} could not be read (${names}${cfg.unseen.length > 2 ? '; …' : ''})`;
  }
  const known = cfg.known.find(k => k.defines.some(p => overlaps(p, option)));
  if (known) return `${known.name} may set it`;
  const opaque = cfg.opaque.find(o => overlaps(o.path.join('.'), option));
  if (opaque?.input) return `a module of input ${opaque.input} gives \`${opaque.path.join('.') || 'config'}\` a value that could not be read`;
  if (opaque) return `\`${opaque.path.join('.') || 'config'}\` gets a value that is not written out in \`${path.basename(opaque.file)}\``;
  return 'a definition with another priority may win';
}

/** One dotted option path is the other or lies under it. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`) || a === '' || b === '';
}

function places(defs: readonly Definition[], dir: string): string {
  const files = [...new Set(defs.map(d => path.relative(dir, d.file) || path.basename(d.file)))];
  return files.slice(0, 3).map(f => `\`${f}\``).join(', ') + (files.length > 3 ? ', …' : '');
}

function priorityNote(priority: number): string {
  if (priority === PRIORITY.force) return ' (mkForce)';
  if (priority === PRIORITY.default) return ' (mkDefault)';
  return priority === PRIORITY.normal ? '' : ` (mkOverride ${priority})`;
}

function show(v: Value): string {
  switch (v.kind) {
    case 'bool': return String(v.value);
    case 'number': return String(v.value);
    case 'null': return 'null';
    case 'string': return JSON.stringify(v.value.length > 60 ? `${v.value.slice(0, 60)}…` : v.value);
    case 'path': return v.value;
    case 'attrs': return '{ … }';
    case 'list': return v.items.length > 4 ? `[ ${v.items.slice(0, 4).map(show).join(' ')} … ]` : `[ ${v.items.map(show).join(' ')} ]`;
    default: return v.text.length > 60 ? `${v.text.slice(0, 60)}…` : v.text;
  }
}
