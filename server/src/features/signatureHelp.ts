import { builtinOf } from '../analysis/builtinRefs';
import { resolveName, ScopeCache } from '../analysis/scopes';
import { catalog, LIB_FUNCTIONS } from '../options/catalog';
import type { FunctionInfo } from '../options/types';
import { attrsOf, staticAttrName } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { parentOf } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';

export interface Signature {
  /** `lib.mkIf condition value` */
  label: string;
  /** Each parameter's offsets inside the label. */
  parameters: Array<[number, number]>;
  active: number;
  documentation: string;
}

const BUILTINS = new Map(catalog.builtins.map(b => [b.name, b]));

/** Which function a call at `offset` is to, and which argument the cursor is at. */
export function signatureHelp(doc: NixDocument, offset: number): Signature | undefined {
  const scopes = new ScopeCache();
  // the last thing written before the cursor (after `lib.mkIf ` that is the function itself)
  let p = offset - 1;
  while (p > 0 && /\s/.test(doc.text[p])) p--;
  const at = doc.tree.rootNode.descendantForIndex(Math.max(0, p), Math.max(0, p));
  // innermost first: the nearest call whose function we know, the cursor inside or just after it
  for (let n: Node | null = at; n; n = parentOf(n)) {
    const call = callAt(n, offset, scopes);
    if (call) return call;
    if (n.type === 'binding' || n.type === 'function_expression' || n.type === 'let_expression') break;
  }
  return undefined;
}

function callAt(n: Node, offset: number, scopes: ScopeCache): Signature | undefined {
  if (n.type !== 'apply_expression' && n.type !== 'select_expression' && n.type !== 'variable_expression') return undefined;
  // the outermost application of one head: `f a b` is ((f a) b)
  let top = n;
  for (let up = parentOf(top); up?.type === 'apply_expression' && up.childForFieldName('function')?.id === top.id; up = parentOf(up)) top = up;
  const args: Node[] = [];
  let head: Node | null = top;
  while (head?.type === 'apply_expression') {
    const arg = head.childForFieldName('argument');
    if (arg) args.unshift(arg);
    head = head.childForFieldName('function');
  }
  if (!head || head.endIndex > offset) return undefined;
  const fn = known(head, scopes);
  if (!fn) return undefined;
  const params = parameters(fn.info.args);
  // the argument the cursor is in, or the next one after the last it follows
  let active = args.findIndex(a => offset >= a.startIndex && offset <= a.endIndex);
  if (active < 0) active = args.filter(a => a.endIndex < offset).length;
  if (active >= params.length) return undefined;
  const label = `${fn.name} ${fn.info.args}`;
  let from = fn.name.length + 1;
  const spans: Array<[number, number]> = params.map(p => {
    const start = label.indexOf(p, from);
    from = start + p.length;
    return [start, start + p.length];
  });
  return { label, parameters: spans, active, documentation: fn.info.description };
}

/** A builtin (`builtins.x`, a global) or a lib function (`lib.x`, `lib.types.x`, `with lib; x`). */
function known(head: Node, scopes: ScopeCache): { name: string; info: FunctionInfo } | undefined {
  const e = unparenthesize(head);
  if (!e) return undefined;
  const builtin = builtinOf(e, scopes);
  if (builtin && BUILTINS.has(builtin)) return { name: e.text, info: BUILTINS.get(builtin)! };
  let path: string[] | undefined;
  if (e.type === 'select_expression') {
    const base = e.childForFieldName('expression');
    const names = attrsOf(e.childForFieldName('attrpath')).map(staticAttrName);
    if (base?.type === 'variable_expression' && base.text === 'lib' && names.every(x => x !== undefined)) path = names as string[];
  } else if (e.type === 'variable_expression') {
    const ident = e.childForFieldName('name');
    const r = ident && resolveName(ident, scopes);
    if (r?.kind === 'with' && r.envs.some(env => env.text === 'lib')) path = [e.text];
  }
  if (!path?.length) return undefined;
  // lib.strings.hasPrefix is lib.hasPrefix; lib.types.listOf keeps its set
  const name = path[0] === 'types' ? path.join('.') : path[path.length - 1];
  const info = LIB_FUNCTIONS.get(name) ?? BUILTINS.get(name);
  return info ? { name: e.text, info } : undefined;
}

/** `pkgs name { default, … }` -> ['pkgs', 'name', '{ default, … }']. */
export function parameters(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of args) {
    if (ch === '{' || ch === '[') depth++;
    if (ch === '}' || ch === ']') depth--;
    if (ch === ' ' && depth === 0) {
      if (current) out.push(current);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}
