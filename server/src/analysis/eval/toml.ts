/**
 * The TOML that builtins.fromTOML reads in configurations (host registries): tables, arrays of
 * tables, dotted and quoted keys, strings (basic, literal, multi-line), numbers, booleans, arrays
 * and inline tables. Dates and anything else make it throw, and the value is then unknown.
 */

type Toml = string | number | boolean | Toml[] | { [k: string]: Toml };
type Table = { [k: string]: Toml };

export function parseToml(text: string): Table {
  const root: Table = {};
  let current: Table = root;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`TOML: ${why} at ${i}`);
  };
  const skipSpace = (newlines: boolean) => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) i++;
      else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
      else return;
    }
  };
  const key = (): string[] => {
    const parts: string[] = [];
    for (;;) {
      skipSpace(false);
      if (text[i] === '"' || text[i] === "'") parts.push(string());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(text.slice(i, i + 256));
        if (!m) fail('a key');
        parts.push(m![0]);
        i += m![0].length;
      }
      skipSpace(false);
      if (text[i] !== '.') return parts;
      i++;
    }
  };
  const string = (): string => {
    const q = text[i];
    const multi = text.startsWith(q.repeat(3), i);
    i += multi ? 3 : 1;
    if (multi && text[i] === '\n') i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('an unclosed string');
      if (multi ? text.startsWith(q.repeat(3), i) : text[i] === q) {
        i += multi ? 3 : 1;
        return out;
      }
      const c = text[i++];
      if (c === '\\' && q === '"') {
        const e = text[i++];
        if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(text.slice(i, i + n), 16));
          i += n;
        } else if (e === '\n' && multi) {
          while (/\s/.test(text[i] ?? '')) i++;
        } else {
          out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? fail('an escape');
        }
      } else {
        if (c === '\n' && !multi) fail('a newline in a string');
        out += c;
      }
    }
  };
  const value = (): Toml => {
    skipSpace(false);
    const c = text[i];
    if (c === '"' || c === "'") return string();
    if (c === '[') {
      i++;
      const items: Toml[] = [];
      for (;;) {
        skipSpace(true);
        if (text[i] === ']') {
          i++;
          return items;
        }
        items.push(value());
        skipSpace(true);
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail('"," or "]"');
      }
    }
    if (c === '{') {
      i++;
      const t: Table = {};
      skipSpace(false);
      if (text[i] === '}') {
        i++;
        return t;
      }
      for (;;) {
        const k = key();
        if (text[i++] !== '=') fail('"="');
        set(t, k, value());
        skipSpace(false);
        if (text[i] === '}') {
          i++;
          return t;
        }
        if (text[i++] !== ',') fail('"," or "}"');
      }
    }
    const m = /^(?:true|false|[+-]?(?:inf|nan)|[+-]?[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+)(?=[\s,\]}#]|$)/.exec(text.slice(i, i + 64));
    if (!m) return fail('a value');
    i += m[0].length;
    if (m[0] === 'true' || m[0] === 'false') return m[0] === 'true';
    const n = /^0[xob]/.test(m[0]) ? Number(m[0].replace(/_/g, '')) : Number(m[0].replace(/_/g, ''));
    if (Number.isNaN(n) && !/nan/.test(m[0])) fail('a number');
    return n;
  };
  const set = (t: Table, path: string[], v: Toml) => {
    let at = t;
    for (const p of path.slice(0, -1)) {
      const next = at[p] ?? (at[p] = {});
      if (typeof next !== 'object' || Array.isArray(next)) fail(`a key under a value (${p})`);
      at = next as Table;
    }
    const last = path[path.length - 1];
    if (Object.hasOwn(at, last)) fail(`the key ${last} twice`);
    at[last] = v;
  };
  const table = (path: string[], array: boolean): Table => {
    let at = root;
    path.forEach((p, n) => {
      let next = at[p];
      if (n === path.length - 1 && array) {
        if (next === undefined) next = at[p] = [];
        if (!Array.isArray(next)) fail(`${p} is not an array of tables`);
        const t: Table = {};
        (next as Toml[]).push(t);
        at = t;
        return;
      }
      if (next === undefined) next = at[p] = {};
      if (Array.isArray(next)) next = next[next.length - 1];
      if (typeof next !== 'object' || Array.isArray(next)) fail(`${p} is not a table`);
      at = next as Table;
    });
    return at;
  };
  for (;;) {
    skipSpace(true);
    if (i >= text.length) return root;
    if (text[i] === '[') {
      const array = text[i + 1] === '[';
      i += array ? 2 : 1;
      const path = key();
      if (text.slice(i, i + (array ? 2 : 1)) !== (array ? ']]' : ']')) fail('"]"');
      i += array ? 2 : 1;
      current = table(path, array);
      continue;
    }
    const k = key();
    if (text[i++] !== '=') fail('"="');
    set(current, k, value());
    skipSpace(false);
    if (i < text.length && text[i] !== '\n') fail('the end of the line');
  }
}
