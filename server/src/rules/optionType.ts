import type { Value } from '../analysis/definitions';
import { compareReleases } from '../analysis/release';
import { declaredBy, fileDefinitions, releasesFor } from './configRules';
import type { Rule, RuleFinding } from './types';

/**
 * Does a literal value fit an option type as nixpkgs describes it ("null or boolean", "list of
 * string", "one of \"a\", \"b\"" …)? undefined when we cannot tell: an unusual type, or a value
 * that is not a literal.
 */
export function fits(type: string, v: Value): boolean | undefined {
  if (v.kind === 'other') return undefined;
  const t = type.replace(/\s*\((?:read only|deprecated)\)$/i, '').trim();
  const alternatives = splitOr(t);
  if (alternatives.length > 1) {
    const results = alternatives.map(a => fits(a, v));
    if (results.some(r => r === true)) return true;
    return results.every(r => r === false) ? false : undefined;
  }
  const list = /^(?:non-empty )?list of (.+)$/.exec(t);
  if (list) {
    if (v.kind !== 'list') return v.kind === 'attrs' ? undefined : false;
    const items = v.items.map(i => fits(list[1], i));
    return items.some(r => r === false) ? false : items.every(r => r === true) ? true : undefined;
  }
  if (t.startsWith('one of ')) {
    const choices = t.slice(7).split(/,\s*/).map(c => c.trim());
    const literal = v.kind === 'string' ? JSON.stringify(v.value) : v.kind === 'bool' ? String(v.value) : v.kind === 'null' ? 'null' : v.kind === 'number' ? String(v.value) : undefined;
    return literal === undefined ? false : choices.includes(literal);
  }
  if (t === 'boolean') return v.kind === 'bool';
  if (t === 'null') return v.kind === 'null';
  if (/^(string|str|non-empty string|single-line string|strings concatenated with .*|string, not containing newlines.*|string or path)$/.test(t)) return v.kind === 'string';
  if (/^((signed|unsigned|positive|16 bit unsigned|8 bit unsigned|32 bit unsigned) integer|integer|port number|int)\b/.test(t)) return v.kind === 'number' && Number.isInteger(v.value);
  if (/^(floating point number|number)\b/.test(t)) return v.kind === 'number';
  if (/^(attribute set|lazy attribute set|submodule)\b/.test(t)) return v.kind === 'attrs';
  if (t === 'path' || t === 'absolute path') return v.kind === 'path' || (v.kind === 'string' && v.value.startsWith('/'));
  if (t === 'package') return v.kind === 'attrs' || v.kind === 'path' ? undefined : false;
  return undefined;
}

/** Split "null or one of \"a\", \"b\"" at top-level " or " (not inside "list of (a or b)"). */
function splitOr(t: string): string[] {
  if (/^(?:non-empty )?list of /.test(t) || /^(attribute set|lazy attribute set) of /.test(t)) return [t];
  return t.split(' or ');
}

function kindName(v: Value): string {
  switch (v.kind) {
    case 'bool': return `the boolean ${v.value}`;
    case 'string': return `the string ${JSON.stringify(v.value)}`;
    case 'number': return `the number ${v.value}`;
    case 'null': return 'null';
    case 'list': return 'a list';
    case 'attrs': return 'an attribute set';
    case 'path': return `the path ${v.value}`;
    default: return 'this value';
  }
}

export const optionType: Rule = {
  code: 'option-type',
  severity: 'error',
  scope: 'file',
  description: 'A literal value that does not fit the option\'s type: a string for a boolean, an enum value that does not exist, a non-list for a list.',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const { def } of fileDefinitions(doc, ctx)) {
      const o = ctx.knowledge.options(def.set).get(def.path);
      if (!o || o.readOnly || def.path.join('.') !== o.name.replace(/"/g, '')) continue;
      if (o.status === 'removed' && (!o.removedIn || releasesFor(doc, ctx, def, r => compareReleases(r.name, o.removedIn!) >= 0))) continue;
      if (fits(o.type, def.value) !== false) continue;
      // the configuration declares an option of that name itself: its type is not nixpkgs'
      if (declaredBy(ctx, def) === 'set') continue;
      found.push({
        start: def.valueSpan.start,
        end: def.valueSpan.end,
        message: `${o.name} takes ${o.type.startsWith('one of') ? o.type : `a value of type "${o.type}"`}, not ${kindName(def.value)}: evaluation fails`,
      });
    }
    return found;
  },
};
