import type { OptionInfo, ValueHint } from './types';

/**
 * Values worth suggesting for an option: the ones the catalog lists, else what its type allows
 * (booleans, null, the members of an enum written as `one of "a", "b"`).
 */
export function valueHints(option: OptionInfo): ValueHint[] {
  if (option.values?.length) return option.values;
  const type = option.type;
  const hints: ValueHint[] = [];
  if (/^(null or )?bool(ean)?\b/.test(type)) hints.push({ value: 'true' }, { value: 'false' });
  const oneOf = /one of (.*)$/.exec(type);
  if (oneOf) for (const v of splitEnum(oneOf[1])) hints.push({ value: v });
  if (type.startsWith('null or')) hints.push({ value: 'null' });
  return hints;
}

function splitEnum(list: string): string[] {
  return list.match(/"(?:[^"\\]|\\.)*"|[^,\s]+/g) ?? [];
}

/** The string a quoted hint holds (`"xe"` -> `xe`), or undefined for other Nix values. */
export function stringHintValue(hint: ValueHint): string | undefined {
  const m = /^"((?:[^"\\$]|\\.)*)"$/.exec(hint.value);
  return m ? m[1].replace(/\\(.)/g, '$1') : undefined;
}
