import type { OptionInfo } from './types';

/**
 * Options from an options.json as the NixOS manual build writes it:
 * name -> { type, description, default: { _type, text }, example, declarations, readOnly, loc }.
 */
export function parseOptionsJson(json: string, origin: string): OptionInfo[] {
  const data = JSON.parse(json) as Record<string, Record<string, unknown>>;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('expected an object of options keyed by name');
  const out: OptionInfo[] = [];
  for (const [name, o] of Object.entries(data)) {
    if (!o || typeof o !== 'object') continue;
    const declarations = Array.isArray(o.declarations) ? o.declarations.map(declaration).filter(Boolean) : [];
    const def = rendered(o.default);
    const example = rendered(o.example);
    out.push({
      name,
      type: typeof o.type === 'string' ? o.type : 'unspecified',
      description: textOf(o.description)?.trim() || 'No description.',
      ...(def !== undefined ? { default: def } : {}),
      ...(example !== undefined ? { example } : {}),
      ...(declarations[0] ? { declaredIn: declarations[0] } : {}),
      ...(o.readOnly === true ? { readOnly: true } : {}),
      origin,
    });
  }
  return out;
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string') return (v as { text: string }).text;
  return undefined;
}

/** `{ _type = "literalExpression"; text }` -> text; a plain JSON value -> its Nix-like text. */
function rendered(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (v && typeof v === 'object' && '_type' in v) return textOf(v);
  return JSON.stringify(v);
}

function declaration(d: unknown): string {
  if (typeof d === 'string') return d;
  if (d && typeof d === 'object') return String((d as { url?: unknown; name?: unknown }).url ?? (d as { name?: unknown }).name ?? '');
  return '';
}
