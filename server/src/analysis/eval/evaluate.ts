import * as path from 'path';
import type { NixDocument } from '../../parse/documents';
import type { Node } from '../../parse/language';
import { attrsOf, bindingSetOf } from '../../parse/attrNames';
import { unparenthesize } from '../../parse/syntaxTree';
import { parentOf } from '../../parse/nodeIndex';
import { flatPath } from '../../util/files';
import { baseEnv } from './builtins';
import { cudaInternals, libValue, selectFromInput } from './lib';
import { coerceToString, equalValues } from './prims';
import { flakeValues } from './flake';
import { mergeDefinitions } from './merge';
import { Env, FALSE, isUnknown, kindOf, NULL, str, Thunk, TRUE, unknown, type EvalContext, type FlakeInputs, type Value } from './value';

/** What the evaluator reads: files and folders, each read recorded as something the result depends on. */
export interface World {
  /** A file's text, undefined when it cannot be read. */
  text(file: string): string | undefined;
  /** The file parsed (a tree the caller keeps for as long as the evaluation runs). */
  doc(file: string): NixDocument | undefined;
  /** A folder's entries: name -> "regular", "directory", "symlink" or "unknown"; undefined when unreadable. */
  readDir(dir: string): ReadonlyMap<string, string> | undefined;
}

export interface EvalOptions {
  /** Steps before every further value is unknown ("budget"). */
  steps?: number;
  /** The inputs of the flake a file belongs to, when it belongs to one. */
  flakeOf?(file: string): FlakeInputs | undefined;
  /** An input's own flake, when its locked source is on this machine. */
  inputFlake?(of: FlakeInputs, name: string): FlakeInputs | undefined;
}

/** Deeper than this, an expression is unknown: evaluation recurses on the JavaScript stack. */
const MAX_DEPTH = 400;
const DEFAULT_STEPS = 200_000;

/**
 * A bounded, lazy evaluator of Nix expressions over the workspace's files: enough of the language
 * and of builtins and lib to follow how configurations are assembled, nothing that builds or
 * fetches. Every unknown carries why.
 */
export class Evaluator implements EvalContext {
  /** Files and folders read, for invalidation. */
  readonly files = new Set<string>();
  readonly dirs = new Set<string>();
  private steps: number;
  private depth = 0;
  private readonly imported = new Map<string, Thunk>();
  private readonly envs = new Map<string, WeakMap<Env, Env>>();
  readonly global: Env;
  /** The call being applied (its apply node and file), for functions that record where they were called. */
  call: { node: Node; file: string } | undefined;

  constructor(readonly world: World, private readonly options: EvalOptions = {}) {
    this.steps = options.steps ?? DEFAULT_STEPS;
    this.global = baseEnv();
  }

  step(): boolean {
    return --this.steps > 0;
  }

  /** A fresh budget (each file read a second time gets its own). */
  refill(): void {
    this.steps = this.options.steps ?? DEFAULT_STEPS;
  }

  get spent(): boolean {
    return this.steps <= 0;
  }

  flakeOf(file: string): FlakeInputs | undefined {
    return this.options.flakeOf?.(file);
  }

  /** What `inputs.x.a.b` is in x's own outputs, read from its locked source when it is here. */
  inputValue(v: Extract<Value, { t: 'input' }>): Value | undefined {
    const own = this.options.inputFlake?.(v.flake, v.name);
    if (!own) return undefined;
    let out: Value = flakeValues(this, path.join(own.dir, 'flake.nix'), own).outputs.get();
    for (const name of v.path) out = this.selectName(out, name);
    // what its own outputs do not let us see is the input's, as for an input not read at all
    if (isUnknown(out) && out.why.kind !== 'input') return unknown('input', `input ${v.name}'s ${v.path.join('.')} (${out.why.text})`, v.name);
    return out;
  }

  readDir(dir: string): ReadonlyMap<string, string> | undefined {
    this.dirs.add(dir);
    return this.world.readDir(dir);
  }

  readText(file: string): string | undefined {
    this.files.add(file);
    return this.world.text(file);
  }

  force(t: Thunk): Value {
    return t.get();
  }

  thunk(node: Node | null, env: Env, file: string): Thunk {
    if (!node) return Thunk.of(unknown('unsupported', 'a missing expression'));
    return new Thunk(() => this.eval(node, env, file), node, env, file);
  }

  /** The value of `import file`: the file's expression, evaluated once per evaluator. */
  importFile(file: string): Value {
    let target = file;
    if (!target.endsWith('.nix') && this.world.readDir(target)) {
      this.dirs.add(target);
      target = path.join(target, 'default.nix');
    }
    let t = this.imported.get(target);
    if (!t) {
      t = new Thunk(() => {
        this.files.add(target);
        const doc = this.world.doc(target);
        const root = doc?.tree.rootNode.childForFieldName('expression');
        if (!doc || !root) return unknown('io', `${path.basename(target)} (not found or not read)`);
        if (doc.tree.rootNode.hasError) return unknown('unsupported', `${path.basename(target)} (has a syntax error)`);
        return this.eval(root, this.global, target);
      });
      this.imported.set(target, t);
    }
    return { t: 'file', path: target, value: t };
  }

  eval(input: Node, env: Env, file: string): Value {
    const node = unparenthesize(input);
    if (!node) return unknown('unsupported', 'a missing expression');
    if (!this.step()) return unknown('budget', 'the evaluation budget was spent');
    if (this.depth > MAX_DEPTH) return unknown('budget', 'an expression nested too deep');
    this.depth++;
    try {
      return this.evalNode(node, env, file);
    } finally {
      this.depth--;
    }
  }

  /** The value itself: a `file` value (an import) gives the file's value, merged definitions their merge. */
  value(v: Value): Value {
    for (let i = 0; (v.t === 'file' || v.t === 'merged') && i < 64; i++) v = v.t === 'file' ? v.value.get() : this.merge(v);
    return v;
  }

  private readonly merges = new WeakMap<object, Value>();

  private merge(v: Extract<Value, { t: 'merged' }>): Value {
    let out = this.merges.get(v);
    if (!out) this.merges.set(v, (out = mergeDefinitions(this, v.defs, v.options)));
    return out;
  }

  forceValue(t: Thunk): Value {
    return this.value(t.get());
  }

  private evalNode(node: Node, env: Env, file: string): Value {
    switch (node.type) {
      case 'integer_expression':
      case 'float_expression':
        return { t: 'number', v: Number(node.text) };
      case 'string_expression':
        return this.string(node, env, file, false);
      case 'indented_string_expression':
        return this.string(node, env, file, true);
      case 'path_expression':
        return this.pathValue(node, env, file);
      case 'hpath_expression':
        return unknown('impure', `${node.text} (a path in the home folder)`);
      case 'spath_expression':
        return unknown('impure', node.text);
      case 'uri_expression':
        return str(node.text);
      case 'variable_expression':
        return this.variable(node.text, env);
      case 'identifier':
      case 'string_expression_name':
        return this.inherited(node, env, file);
      case 'select_expression':
        return this.select(node, env, file);
      case 'has_attr_expression':
        return this.hasAttr(node, env, file);
      case 'apply_expression': {
        const fn = this.eval(node.childForFieldName('function')!, env, file);
        const arg = this.thunk(node.childForFieldName('argument'), env, file);
        const outer = this.call;
        this.call = { node, file };
        try {
          return this.apply(fn, arg);
        } finally {
          this.call = outer;
        }
      }
      case 'function_expression':
        return { t: 'lambda', node, file, env };
      case 'let_expression':
        return this.eval(node.childForFieldName('body')!, this.letEnv(node, env, file), file);
      case 'with_expression':
        return this.eval(node.childForFieldName('body')!, this.withEnv(node, env, file), file);
      case 'assert_expression':
        return this.eval(node.childForFieldName('body')!, env, file);
      case 'if_expression': {
        const c = this.forceValue(this.thunk(node.childForFieldName('condition'), env, file));
        if (c.t !== 'bool') return isUnknown(c) ? c : unknown('unsupported', 'a condition that is not a boolean');
        return this.eval(node.childForFieldName(c.v ? 'consequence' : 'alternative')!, env, file);
      }
      case 'list_expression':
        return { t: 'list', items: node.namedChildren.filter(c => c && c.type !== 'comment').map(c => this.thunk(c, env, file)) };
      case 'attrset_expression':
        return this.attrset(node, env, file, false);
      case 'rec_attrset_expression':
        return this.attrset(node, env, file, true);
      case 'binary_expression':
        return this.binary(node, env, file);
      case 'unary_expression': {
        const op = node.childForFieldName('operator')?.type;
        const v = this.forceValue(this.thunk(node.childForFieldName('argument'), env, file));
        if (op === '!' && v.t === 'bool') return v.v ? FALSE : TRUE;
        if (op === '-' && v.t === 'number') return { t: 'number', v: -v.v };
        return isUnknown(v) ? v : unknown('unsupported', `${op} on ${kindOf(v)}`);
      }
      default:
        return unknown('unsupported', `a ${node.type.replace(/_/g, ' ')}`);
    }
  }

  variable(name: string, env: Env): Value {
    const t = env.lookup(name);
    if (t) return t.get();
    for (const w of env.withs()) {
      const set = this.forceValue(w);
      // `with inputs.x.nixosModules; [ a b ]`: names from an input are its attributes
      if (set.t === 'input') return selectFromInput(this, set, name);
      if (set.t === 'attrs') {
        const hit = set.attrs.get(name);
        if (hit) return hit.get();
      } else {
        return isUnknown(set) ? unknown(set.why.kind, `${name} (from a with: ${set.why.text})`, set.why.input) : unknown('unsupported', `${name} (with on ${kindOf(set)})`);
      }
    }
    return unknown('missing', `the name ${name}`);
  }

  /** The value an `inherit x;` / `inherit (src) x;` gives the name `attr` (a node of its attribute list). */
  private inherited(attr: Node, env: Env, file: string): Value {
    const list = parentOf(attr);
    const b = list?.type === 'inherited_attrs' ? parentOf(list) : null;
    const name = this.attrName(attr, env, file);
    if (typeof name !== 'string') return name;
    if (b?.type === 'inherit_from') return this.selectName(this.eval(b.childForFieldName('expression')!, env, file), name);
    if (b?.type === 'inherit') return this.variable(name, env);
    return unknown('unsupported', `the name ${name}`);
  }

  /** Select one attribute from a value (through imports, inputs and lib). */
  selectName(v: Value, name: string): Value {
    const from = this.value(v);
    switch (from.t) {
      case 'attrs': {
        const t = from.attrs.get(name);
        return t ? t.get() : unknown('missing', `attribute ${name}`);
      }
      case 'input':
        return selectFromInput(this, from, name);
      case 'pkgs':
        if (name === 'lib') return libValue();
        if (name === '_cuda') return cudaInternals();
        return unknown('unsupported', `pkgs.${name} (packages are not evaluated)`);
      case 'unknown':
        return from;
      default:
        return unknown('unsupported', `.${name} of ${kindOf(from)}`);
    }
  }

  private select(node: Node, env: Env, file: string): Value {
    let v = this.eval(node.childForFieldName('expression')!, env, file);
    const fallback = node.childForFieldName('default');
    for (const attr of attrsOf(node.childForFieldName('attrpath'))) {
      const name = this.attrName(attr, env, file);
      if (typeof name !== 'string') return name;
      const next = this.selectName(v, name);
      if (isUnknown(next) && next.why.kind === 'missing' && fallback) {
        const base = this.value(v);
        if (base.t === 'attrs') return this.eval(fallback, env, file);
      }
      v = next;
      if (isUnknown(v)) return v;
    }
    return v;
  }

  private hasAttr(node: Node, env: Env, file: string): Value {
    let v = this.forceValue(this.thunk(node.childForFieldName('expression'), env, file));
    const names = attrsOf(node.childForFieldName('attrpath'));
    for (let i = 0; i < names.length; i++) {
      const name = this.attrName(names[i], env, file);
      if (typeof name !== 'string') return name;
      if (v.t !== 'attrs') return isUnknown(v) ? v : FALSE;
      const t = v.attrs.get(name);
      if (!t) return FALSE;
      if (i < names.length - 1) v = this.forceValue(t);
    }
    return TRUE;
  }

  /** An attribute name: static, or computed (`${x}`, `"${x}"`); a Value when it cannot be known. */
  attrName(attr: Node, env: Env, file: string): string | Value {
    if (attr.type === 'identifier') return attr.text;
    const expr = attr.type === 'interpolation' ? attr.childForFieldName('expression') : attr;
    const v = expr ? this.forceValue(this.thunk(expr, env, file)) : unknown('unsupported', 'an attribute name');
    if (v.t === 'string') return v.v;
    return isUnknown(v) ? v : unknown('unsupported', `an attribute name that is ${kindOf(v)}`);
  }

  apply(fnValue: Value, arg: Thunk): Value {
    const fn = this.value(fnValue);
    if (!this.step()) return unknown('budget', 'the evaluation budget was spent');
    switch (fn.t) {
      case 'lambda':
        return this.applyLambda(fn, arg);
      case 'prim': {
        const args = [...fn.args, arg];
        if (args.length < fn.arity) return { ...fn, args };
        if (this.depth > MAX_DEPTH) return unknown('budget', 'calls nested too deep');
        this.depth++;
        try {
          return fn.run(args, this);
        } finally {
          this.depth--;
        }
      }
      case 'attrs': {
        const functor = fn.attrs.get('__functor');
        if (!functor) return unknown('unsupported', 'calling an attribute set');
        return this.apply(this.apply(functor.get(), Thunk.of(fn)), arg);
      }
      case 'input':
        return selectFromInput(this, fn, undefined, arg);
      case 'unknown':
        return fn;
      default:
        return unknown('unsupported', `calling ${kindOf(fn)}`);
    }
  }

  private applyLambda(fn: Extract<Value, { t: 'lambda' }>, arg: Thunk): Value {
    const vars = new Map<string, Thunk>();
    const env = fn.env.extend(vars);
    bindArguments(fn.node, vars, env, fn.file, this, arg);
    if (this.depth > MAX_DEPTH) return unknown('budget', 'calls nested too deep');
    this.depth++;
    try {
      return this.eval(fn.node.childForFieldName('body')!, env, fn.file);
    } finally {
      this.depth--;
    }
  }

  letEnv(node: Node, env: Env, file: string): Env {
    return this.remember(node, env, file, () => {
      const vars = new Map<string, Thunk>();
      const inner = env.extend(vars);
      this.bindings(bindingSetOf(node), inner, inner, file, vars);
      return inner;
    });
  }

  withEnv(node: Node, env: Env, file: string): Env {
    return this.remember(node, env, file, () => new Env(new Map(), env, this.thunk(node.childForFieldName('environment'), env, file)));
  }

  /** One environment per scope node and outer environment: a let read twice is built once. */
  private remember(node: Node, env: Env, file: string, make: () => Env): Env {
    const key = `${file}\0${node.id}`;
    let byEnv = this.envs.get(key);
    if (!byEnv) this.envs.set(key, (byEnv = new WeakMap()));
    let e = byEnv.get(env);
    if (!e) byEnv.set(env, (e = make()));
    return e;
  }

  private attrset(node: Node, env: Env, file: string, rec: boolean): Value {
    const vars = new Map<string, Thunk>();
    const inner = rec ? env.extend(vars) : env;
    const dynamic = this.bindings(bindingSetOf(node), rec ? inner : env, inner, file, vars);
    if (dynamic) return dynamic;
    return { t: 'attrs', attrs: vars, node, file, env };
  }

  /**
   * The bindings of a let or attribute set into `out`: `a.b.c = v` nests, `inherit` and
   * `inherit (e)` select lazily, computed names are evaluated. `valueEnv` evaluates the values,
   * `nameEnv` the computed names and inherited sources. Returns a Value when a name cannot be known.
   */
  bindings(set: Node | null, valueEnv: Env, nameEnv: Env, file: string, out: Map<string, Thunk>): Value | undefined {
    const nested = new Map<Thunk, Map<string, Thunk>>();
    for (const b of set?.namedChildren ?? []) {
      if (!b) continue;
      if (b.type === 'inherit' || b.type === 'inherit_from') {
        const from = b.type === 'inherit_from' ? this.thunk(b.childForFieldName('expression'), nameEnv, file) : undefined;
        for (const attr of attrsOf(b.childForFieldName('attrs'))) {
          const name = this.attrName(attr, nameEnv, file);
          if (typeof name !== 'string') return name;
          // `inherit x;` reads x from outside the set, even in a rec set
          const outer = valueEnv === nameEnv && valueEnv.vars === out ? valueEnv.parent ?? valueEnv : nameEnv;
          out.set(name, from ? new Thunk(() => this.selectName(from.get(), name)) : new Thunk(() => this.variable(name, outer)));
        }
        continue;
      }
      if (b.type !== 'binding') continue;
      const names = attrsOf(b.childForFieldName('attrpath'));
      const value = b.childForFieldName('expression');
      let target = out;
      for (let i = 0; i < names.length; i++) {
        const name = this.attrName(names[i], nameEnv, file);
        if (typeof name !== 'string') return name;
        if (i === names.length - 1) {
          const existing = target.get(name);
          const t = this.thunk(value, valueEnv, file);
          if (existing && nested.has(existing)) {
            // `a.b = 1; a = { c = 2; };`: the literal set joins the nested names
            const inner = unparenthesize(value);
            if (inner?.type === 'attrset_expression') {
              const r = this.bindings(bindingSetOf(inner), valueEnv, nameEnv, file, nested.get(existing)!);
              if (r) return r;
            }
          } else {
            target.set(name, t);
          }
          break;
        }
        let sub = target.get(name);
        if (!sub || !nested.has(sub)) {
          const m = new Map<string, Thunk>();
          if (sub) {
            // `a = { b = 1; }; a.c = 2;`: merge into the literal written before
            const literal = sub.node && unparenthesize(sub.node);
            if (literal?.type === 'attrset_expression') {
              const r = this.bindings(bindingSetOf(literal), valueEnv, nameEnv, file, m);
              if (r) return r;
            }
          }
          sub = Thunk.of({ t: 'attrs', attrs: m });
          nested.set(sub, m);
          target.set(name, sub);
        }
        target = nested.get(sub)!;
      }
    }
    return undefined;
  }

  private string(node: Node, env: Env, file: string, indented: boolean): Value {
    let out = '';
    let isPath = false;
    const parts = node.namedChildren.filter((p): p is Node => !!p);
    const texts: Array<string | { v: string }> = [];
    for (const part of parts) {
      if (part.type === 'interpolation') {
        const v = this.forceValue(this.thunk(part.childForFieldName('expression'), env, file));
        const s = coerceToString(this, v);
        if (isUnknown(s)) return s;
        if (s.t !== 'string') return unknown('unsupported', 'an interpolation');
        if (s.path && texts.length === 0) isPath = true;
        texts.push({ v: s.v });
      } else if (part.type === 'escape_sequence') {
        texts.push(indented ? indentedEscape(part.text) : unescape(part.text));
      } else if (part.type === 'dollar_escape') {
        texts.push(indented ? '$' : '$');
      } else {
        texts.push(part.text);
      }
    }
    if (!indented) {
      for (const t of texts) out += typeof t === 'string' ? t : t.v;
      return str(out, isPath);
    }
    return str(stripIndent(texts), isPath);
  }

  private pathValue(node: Node, env: Env, file: string): Value {
    let text = '';
    for (const part of node.namedChildren) {
      if (!part) continue;
      if (part.type === 'interpolation') {
        const v = this.forceValue(this.thunk(part.childForFieldName('expression'), env, file));
        const s = coerceToString(this, v);
        if (s.t !== 'string') return isUnknown(s) ? s : unknown('unsupported', 'a path part');
        text += s.v;
      } else {
        text += part.text;
      }
    }
    if (text.startsWith('/')) return { t: 'path', v: flatPath(path.normalize(text)) };
    return { t: 'path', v: flatPath(path.resolve(path.dirname(file), text)) };
  }

  private binary(node: Node, env: Env, file: string): Value {
    const op = node.childForFieldName('operator')?.type ?? '';
    const left = this.thunk(node.childForFieldName('left'), env, file);
    const right = this.thunk(node.childForFieldName('right'), env, file);
    if (op === '&&' || op === '||' || op === '->') {
      const l = this.forceValue(left);
      if (l.t !== 'bool') return isUnknown(l) ? l : unknown('unsupported', `${op} on ${kindOf(l)}`);
      if (op === '&&' && !l.v) return FALSE;
      if (op === '||' && l.v) return TRUE;
      if (op === '->' && !l.v) return TRUE;
      const r = this.forceValue(right);
      return r.t === 'bool' || isUnknown(r) ? r : unknown('unsupported', `${op} on ${kindOf(r)}`);
    }
    const l = this.forceValue(left);
    const r = this.forceValue(right);
    switch (op) {
      case '==':
      case '!=': {
        const eq = equalValues(this, l, r);
        if (eq === undefined) return isUnknown(l) ? l : isUnknown(r) ? r : unknown('unsupported', 'a comparison');
        return (op === '==') === eq ? TRUE : FALSE;
      }
      case '++':
        if (l.t === 'list' && r.t === 'list') return { t: 'list', items: [...l.items, ...r.items] };
        break;
      case '//':
        if (l.t === 'attrs' && r.t === 'attrs') return { t: 'attrs', attrs: new Map([...l.attrs, ...r.attrs]) };
        break;
      case '+':
        if (l.t === 'number' && r.t === 'number') return { t: 'number', v: l.v + r.v };
        if (l.t === 'path') {
          const s = r.t === 'path' ? r : coerceToString(this, r);
          if (s.t === 'string' || s.t === 'path') return { t: 'path', v: flatPath(path.normalize(l.v + s.v)) };
          return isUnknown(s) ? s : unknown('unsupported', 'path + ?');
        }
        if (l.t === 'input') {
          const a = coerceToString(this, l);
          const b = coerceToString(this, r);
          if (a.t === 'string' && b.t === 'string') return str(a.v + b.v, true);
          return isUnknown(a) ? a : b;
        }
        if (l.t === 'string' || (l.t === 'attrs' && l.attrs.has('outPath'))) {
          const a = coerceToString(this, l);
          const b = coerceToString(this, r);
          if (a.t === 'string' && b.t === 'string') return str(a.v + b.v, a.path);
          return isUnknown(a) ? a : isUnknown(b) ? b : unknown('unsupported', 'string + ?');
        }
        break;
      case '-':
      case '*':
      case '/':
        if (l.t === 'number' && r.t === 'number') return { t: 'number', v: op === '-' ? l.v - r.v : op === '*' ? l.v * r.v : Math.trunc(l.v / r.v) };
        break;
      case '<':
      case '<=':
      case '>':
      case '>=':
        if ((l.t === 'number' && r.t === 'number') || (l.t === 'string' && r.t === 'string')) {
          const c = l.v < r.v ? -1 : l.v > r.v ? 1 : 0;
          return (op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0) ? TRUE : FALSE;
        }
        break;
    }
    if (isUnknown(l)) return l;
    if (isUnknown(r)) return r;
    return unknown('unsupported', `${kindOf(l)} ${op} ${kindOf(r)}`);
  }

  /**
   * The environment an expression sees where it is written: the scopes above it (let, rec, with,
   * function arguments) built from `base` (the environment of `base.root`, an inline module the
   * evaluation reached) or from the file's top. Function arguments are unknown unless `argument`
   * knows them (a module's `lib`, a flake's `inputs`).
   */
  envAt(node: Node, file: string, base?: { root: Node; env: Env }, argument?: (name: string) => Thunk | undefined): Env {
    const chain: Node[] = [];
    for (let n: Node | null = node, i = 0; n && i < 10_000; n = parentOf(n), i++) {
      chain.push(n);
      if (base && n.id === base.root.id) break;
    }
    chain.reverse();
    let env = base ? base.env : this.global;
    for (let i = 0; i < chain.length - 1; i++) {
      const a = chain[i];
      const c = chain[i + 1];
      switch (a.type) {
        case 'function_expression':
          if (a.childForFieldName('body')?.id === c.id) env = this.remember(a, env, file, () => argumentEnv(a, env, file, this, argument));
          break;
        case 'let_expression':
          env = this.letEnv(a, env, file);
          break;
        case 'rec_attrset_expression':
          env = this.remember(a, env, file, () => {
            const vars = new Map<string, Thunk>();
            const inner = env.extend(vars);
            this.bindings(bindingSetOf(a), inner, inner, file, vars);
            return inner;
          });
          break;
        case 'with_expression':
          if (a.childForFieldName('body')?.id === c.id) env = this.withEnv(a, env, file);
          break;
      }
    }
    return env;
  }
}

/** A function's arguments where nothing says what they are: each unknown, unless `argument` knows it. */
function argumentEnv(fn: Node, env: Env, file: string, ev: Evaluator, argument?: (name: string) => Thunk | undefined): Env {
  const vars = new Map<string, Thunk>();
  const inner = env.extend(vars);
  const universal = fn.childForFieldName('universal');
  const formals = fn.childForFieldName('formals');
  // lib and pkgs are what nixpkgs passes by those names (a module, `nixpkgs.config = { pkgs, ... }: …`)
  const known = (name: string) => argument?.(name) ?? (name === 'lib' ? Thunk.of(libValue()) : name === 'pkgs' ? Thunk.of({ t: 'pkgs' } as Value) : Thunk.of(unknown('argument', `argument ${name}`)));
  if (universal && !formals) vars.set(universal.text, known(universal.text));
  const all = new Map<string, Thunk>();
  for (const f of formals?.childrenForFieldName('formal') ?? []) {
    const name = f?.childForFieldName('name')?.text;
    if (name) vars.set(name, known(name));
    if (name) all.set(name, vars.get(name)!);
  }
  if (universal && formals) {
    // `{ pkgs, ... }@args`: args holds the named arguments, and whatever else `argument` knows
    const rest = (name: string) => argument?.(name);
    for (const name of ['inputs', 'self']) {
      const t = rest(name);
      if (t && !all.has(name)) all.set(name, t);
    }
    vars.set(universal.text, universal.text === 'inputs' && rest('inputs') ? rest('inputs')! : Thunk.of({ t: 'attrs', attrs: all }));
  }
  void ev;
  void file;
  return inner;
}

/** Bind a call's argument to a function's parameters (`x: …`, `{ a, b ? 1, ... }@all: …`). */
function bindArguments(fn: Node, vars: Map<string, Thunk>, env: Env, file: string, ev: Evaluator, arg: Thunk): void {
  const universal = fn.childForFieldName('universal');
  const formals = fn.childForFieldName('formals');
  if (universal) vars.set(universal.text, arg);
  if (!formals) return;
  const given = ev.forceValue(arg);
  for (const f of formals.childrenForFieldName('formal')) {
    const name = f?.childForFieldName('name')?.text;
    if (!f || !name) continue;
    const fallback = f.childForFieldName('default');
    if (given.t === 'attrs') {
      const t = given.attrs.get(name);
      vars.set(name, t ?? (fallback ? ev.thunk(fallback, env, file) : Thunk.of(unknown('missing', `argument ${name} (not passed)`))));
    } else if (name === 'lib') {
      vars.set(name, Thunk.of(libValue()));
    } else {
      vars.set(name, Thunk.of(isUnknown(given) ? given : unknown('unsupported', `argument ${name} of ${kindOf(given)}`)));
    }
  }
}

function unescape(seq: string): string {
  const c = seq.slice(1);
  return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c;
}

function indentedEscape(seq: string): string {
  // ''$ is $, ''' is '', ''\n is a newline …
  if (seq === "'''") return "''";
  if (seq === "''$") return '$';
  if (seq.startsWith("''\\")) return unescape(seq.slice(2));
  return seq;
}

/** An indented string: the common indentation of its lines removed, the first line dropped when blank. */
function stripIndent(parts: Array<string | { v: string }>): string {
  // indentation is measured on the literal text only, as Nix does
  let text = '';
  const marks: Array<[number, string]> = [];
  for (const p of parts) {
    if (typeof p === 'string') text += p;
    else {
      marks.push([text.length, p.v]);
      text += '\u0000';
    }
  }
  const lines = text.split('\n');
  let min = Infinity;
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = /^ */.exec(line)![0].length;
    min = Math.min(min, indent);
  }
  if (min === Infinity) min = 0;
  let out = lines.map(l => l.slice(Math.min(min, /^ */.exec(l)![0].length))).join('\n');
  if (/^[ \t]*\n/.test(text)) out = out.replace(/^[^\n]*\n/, '');
  let i = 0;
  out = out.replace(/\u0000/g, () => marks[i++]?.[1] ?? '');
  return out;
}

export { NULL };
