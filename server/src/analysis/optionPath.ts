import type { Node } from '../parse/language';
import { attrsOf, staticAttrName } from '../parse/attrNames';
import { exprPath } from './exprPath';
import { attrsetContext, contextOf, enclosingAttrset, fileContext, step, type Context, type FileFacts, type OptionSetName } from './moduleContext';
import { parentOf } from '../parse/nodeIndex';

/** What a name in the document stands for, when it is part of an option or package path. */
export type PathTarget =
  | { kind: 'option'; set: OptionSetName; path: string[] }
  | { kind: 'expr'; root: string; path: string[] }
  | { kind: 'context'; ctx: Context };

/**
 * For an attribute name (`nvidia` in `hardware.nvidia.open = …` or in `config.hardware.nvidia`),
 * the path up to and including that name.
 */
export function pathAtName(attr: Node, file: FileFacts): PathTarget | undefined {
  const attrpath = parentOf(attr);
  if (attrpath?.type !== 'attrpath') return undefined;
  const names: string[] = [];
  for (const a of attrsOf(attrpath)) {
    const name = staticAttrName(a);
    if (name === undefined) return undefined;
    names.push(name);
    if (a.id === attr.id) break;
  }
  const owner = parentOf(attrpath);
  if (owner?.type === 'select_expression' || owner?.type === 'has_attr_expression') {
    const base = exprPath(owner.childForFieldName('expression'));
    if (!base) return undefined;
    const path = [...base.path, ...names];
    if (base.root === 'config' && !(path[0] === 'boot' && path[1] === 'kernelPackages')) {
      const ctx = fileContext(file);
      return { kind: 'option', set: 'set' in ctx ? ctx.set : 'nixos', path };
    }
    return { kind: 'expr', root: base.root, path };
  }
  if (owner?.type !== 'binding' && owner?.type !== 'ERROR') return undefined;
  const attrset = enclosingAttrset(owner);
  if (!attrset) return undefined;
  let ctx = attrsetContext(contextOf(attrset, file), attrset);
  for (const n of names) ctx = step(ctx, n);
  if (ctx.kind === 'options') return { kind: 'option', set: ctx.set, path: ctx.path };
  return { kind: 'context', ctx };
}
