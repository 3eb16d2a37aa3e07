import * as path from 'path';
import type { Node } from '../../parse/language';
import { unparenthesize } from '../../parse/syntaxTree';
import { calledName } from '../moduleContext';
import { applyArgs, shortText } from '../values';
import type { Evaluator } from './evaluate';
import { Thunk, type Env, type FlakeInputs, type Value, type Why } from './value';

/**
 * What a module list holds, as far as evaluation shows it: files, modules written inline (with the
 * environment they were written in), modules of flake inputs, and what could not be seen, with why.
 */
export type ModuleItem = (
  | { kind: 'file'; path: string; conditional: boolean; applied?: boolean }
  | { kind: 'inline'; node: Node; file: string; env: Env; conditional: boolean }
  | { kind: 'input'; input: string; attrPath: string[]; flake: FlakeInputs; conditional: boolean; text: string }
  | { kind: 'unseen'; text: string; why: Why; conditional: boolean }
  /** A module computed as an attribute set (no literal to walk): read from its value. */
  | { kind: 'value'; value: Extract<Value, { t: 'attrs' }>; text: string; conditional: boolean }
) & {
  /** Where the module is named: the expression written in a module list (or bound to a name one uses). */
  at?: { file: string; start: number; end: number };
};

const MAX_ITEMS = 2_000;

/**
 * The modules of a list (imports, modules): `++`, `if`, lib.optionals and lib.optional are read
 * as written (an unknown condition makes what they add conditional); anything else is evaluated.
 */
export function moduleItems(ev: Evaluator, list: Thunk, conditional = false): ModuleItem[] {
  const out: ModuleItem[] = [];
  listInto(ev, list, conditional, out, 0);
  return out;
}

function listInto(ev: Evaluator, t: Thunk, conditional: boolean, out: ModuleItem[], depth: number): void {
  if (out.length > MAX_ITEMS || depth > 64) {
    out.push({ kind: 'unseen', text: 'a module list too long', why: { kind: 'budget', text: 'a module list too long' }, conditional });
    return;
  }
  const node = t.node && unparenthesize(t.node);
  if (node && t.env && t.file) {
    const env = t.env;
    const file = t.file;
    const sub = (n: Node | null, c: boolean) => listInto(ev, ev.thunk(n, env, file), c, out, depth + 1);
    switch (node.type) {
      case 'binary_expression':
        if (node.childForFieldName('operator')?.type === '++') {
          sub(node.childForFieldName('left'), conditional);
          sub(node.childForFieldName('right'), conditional);
          return;
        }
        break;
      case 'if_expression': {
        const c = ev.forceValue(ev.thunk(node.childForFieldName('condition'), env, file));
        if (c.t === 'bool') return sub(node.childForFieldName(c.v ? 'consequence' : 'alternative'), conditional);
        sub(node.childForFieldName('consequence'), true);
        sub(node.childForFieldName('alternative'), true);
        return;
      }
      case 'list_expression':
        for (const el of node.namedChildren) if (el && el.type !== 'comment') itemInto(ev, ev.thunk(el, env, file), conditional, out, depth + 1);
        return;
      case 'apply_expression': {
        const name = calledName(node);
        const args = applyArgs(node);
        if ((name === 'optionals' || name === 'optional') && args.length === 2) {
          const c = ev.forceValue(ev.thunk(args[0], env, file));
          if (c.t === 'bool' && !c.v) return;
          const cond = c.t === 'bool' ? conditional : true;
          if (name === 'optionals') sub(args[1], cond);
          else itemInto(ev, ev.thunk(args[1], env, file), cond, out, depth + 1);
          return;
        }
        break;
      }
      case 'variable_expression': {
        const bound = env.lookup(node.text);
        if (bound?.node) return listInto(ev, bound, conditional, out, depth + 1);
        break;
      }
    }
  }
  const v = ev.forceValue(t);
  if (v.t === 'list') {
    for (const item of v.items) itemInto(ev, item, conditional, out, depth + 1);
    return;
  }
  out.push(unseen(t, v, conditional));
}

function unseen(t: Thunk, v: Value, conditional: boolean): ModuleItem {
  const why: Why = v.t === 'unknown' ? v.why : { kind: 'unsupported', text: `a module list that is ${v.t === 'attrs' ? 'an attribute set' : `a ${v.t}`}` };
  return { kind: 'unseen', text: t.node ? shortText(t.node) : why.text, why, conditional };
}

/** One element of a module list, each item it gives marked with where it is written. */
function itemInto(ev: Evaluator, t: Thunk, conditional: boolean, out: ModuleItem[], depth: number): void {
  const start = out.length;
  itemFrom(ev, t, conditional, out, depth);
  if (t.node && t.file) for (let i = start; i < out.length; i++) out[i].at ??= { file: t.file, start: t.node.startIndex, end: t.node.endIndex };
}

function itemFrom(ev: Evaluator, t: Thunk, conditional: boolean, out: ModuleItem[], depth: number): void {
  const node = t.node && unparenthesize(t.node);
  if (node && t.env && t.file) {
    // written inline: read by the module walker as written
    if (node.type === 'attrset_expression' || node.type === 'function_expression' || node.type === 'rec_attrset_expression') {
      out.push({ kind: 'inline', node, file: t.file, env: t.env, conditional });
      return;
    }
    if (node.type === 'variable_expression') {
      const bound = t.env.lookup(node.text);
      if (bound?.node) return itemInto(ev, bound, conditional, out, depth + 1);
    }
    if (node.type === 'apply_expression' && calledName(node) === 'import' && applyArgs(node).length === 2) {
      // `import ./x.nix { … }`: the file's module, called with arguments
      const target = ev.forceValue(ev.thunk(applyArgs(node)[0], t.env, t.file));
      if (target.t === 'path' || (target.t === 'string' && target.path)) {
        out.push({ kind: 'file', path: target.v, conditional, applied: true });
        return;
      }
    }
  }
  if (depth > 64) {
    out.push({ kind: 'unseen', text: 'modules nested too deep', why: { kind: 'budget', text: 'modules nested too deep' }, conditional });
    return;
  }
  const raw = t.get();
  if (raw.t === 'merged') {
    for (const def of raw.defs) itemInto(ev, def, conditional, out, depth + 1);
    return;
  }
  if (raw.t === 'file') {
    out.push({ kind: 'file', path: raw.path, conditional });
    return;
  }
  const v = ev.value(raw);
  switch (v.t) {
    case 'path':
      out.push({ kind: 'file', path: v.v, conditional });
      return;
    case 'string':
      if (v.path || path.isAbsolute(v.v)) out.push({ kind: 'file', path: v.v, conditional });
      else out.push(unseen(t, { t: 'unknown', why: { kind: 'unsupported', text: `the string ${JSON.stringify(v.v)} as a module` } }, conditional));
      return;
    case 'input':
      out.push({ kind: 'input', input: v.name, attrPath: v.path, flake: v.flake, conditional, text: `inputs.${v.name}${v.path.length ? `.${v.path.join('.')}` : ''}` });
      return;
    case 'attrs':
      if (v.node && v.file && v.env) {
        out.push({ kind: 'inline', node: v.node, file: v.file, env: v.env, conditional });
        return;
      }
      // a module made by a function of ours (import-tree): its imports are the modules
      if (v.attrs.size === 1 && v.attrs.has('imports')) return listInto(ev, v.attrs.get('imports')!, conditional, out, depth + 1);
      out.push({ kind: 'value', value: v, text: t.node ? shortText(t.node) : 'a computed module', conditional });
      return;
    case 'lambda':
      out.push({ kind: 'inline', node: v.node, file: v.file, env: v.env, conditional });
      return;
    case 'list':
      // the module system does not flatten nested lists, but people write `imports = [ list ]` rarely; read it as one
      for (const item of v.items) itemInto(ev, item, conditional, out, depth + 1);
      return;
    default:
      out.push(unseen(t, v, conditional));
  }
}

/** One module (an element of a list), evaluated as far as needed. */
export function oneModule(ev: Evaluator, t: Thunk, conditional = false): ModuleItem[] {
  const out: ModuleItem[] = [];
  itemInto(ev, t, conditional, out, 0);
  return out;
}

export { Thunk };
