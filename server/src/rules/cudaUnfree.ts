import { builtinUses } from '../analysis/builtinRefs';
import { filePathOf } from '../analysis/definitions';
import { visibleAt } from '../analysis/scopes';
import { attrsOf, staticAttrName, topLevelAttrs } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { nodesIn } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import { defineOption, listHas, nvidiaOn } from './configRules';
import { addBinding } from './edits';
import type { Edit, Fix, Rule, RuleContext, RuleFinding } from './types';

/** Package names whose use pulls in NVIDIA's unfree CUDA redistributables. */
const CUDA_NAMES = /^(cudaPackages(_\d+(_\d+)?)?|cudatoolkit|torchWithCuda|ollama-cuda|pkgsCuda|cudnn)$/;
const DRIVER_NAMES = ['nvidia-x11', 'nvidia-settings', 'nvidia-persistenced'];
const CUDA_PREFIXES = ['nvidia', 'cuda', 'libcu', 'libnv', 'libnpp', 'cudnn', 'nccl', 'tensorrt'];

interface Trigger {
  start: number;
  end: number;
  what: string;
  cuda: boolean;
}

export const cudaUnfree: Rule = {
  code: 'cuda-unfree',
  severity: 'error',
  description: 'CUDA (cudaSupport, cudaPackages, torchWithCuda, ollama-cuda) or the NVIDIA driver while nothing allows unfree packages: nixpkgs refuses to evaluate them.',
  check(doc, ctx) {
    if (ctx.unfreeAllowed) return [];
    const triggers = [...driverTriggers(doc, ctx), ...cudaTriggers(doc)].sort((a, b) => a.start - b.start);
    if (!triggers.length) return [];
    const fixes = unfreeFixes(doc, ctx, triggers.some(t => t.cuda));
    return triggers.map((t): RuleFinding => ({
      start: t.start,
      end: t.end,
      message: `${t.what} is unfree (NVIDIA's license) and nothing here allows unfree packages: nixpkgs refuses to evaluate it. Set nixpkgs.config.allowUnfree = true or an allowUnfreePredicate (NIXPKGS_ALLOW_UNFREE is ignored by flakes)`,
      fixes,
    }));
  },
};

function driverTriggers(doc: NixDocument, ctx: RuleContext): Trigger[] {
  const file = filePathOf(doc.uri);
  const seen = new Set<number>();
  const out: Trigger[] = [];
  for (const cfg of ctx.configurations) {
    for (const d of nvidiaOn(cfg)) {
      if (d.file !== file || seen.has(d.key.start)) continue;
      seen.add(d.key.start);
      out.push({ start: d.key.start, end: d.key.end, what: listHas(d.value, 'nvidia') ? 'the NVIDIA driver' : 'the NVIDIA datacenter driver', cuda: false });
    }
  }
  return out;
}

/** `cudaSupport = true` bindings and references to CUDA package sets, once per name. */
function cudaTriggers(doc: NixDocument): Trigger[] {
  if (!/cuda|Cuda/.test(doc.text)) return [];
  const out: Trigger[] = [];
  const named = new Set<string>();
  for (const b of nodesIn(doc.tree, 'binding')) {
    const attrs = attrsOf(b.childForFieldName('attrpath'));
    const last = attrs[attrs.length - 1];
    if (last && staticAttrName(last) === 'cudaSupport' && unparenthesize(b.childForFieldName('expression'))?.text === 'true') {
      out.push({ start: last.startIndex, end: last.endIndex, what: 'cudaSupport = true', cuda: true });
    }
  }
  for (const sel of nodesIn(doc.tree, 'select_expression')) {
    for (const attr of attrsOf(sel.childForFieldName('attrpath'))) {
      const name = staticAttrName(attr);
      if (!name || !CUDA_NAMES.test(name)) continue;
      if (!named.has(name)) out.push({ start: attr.startIndex, end: attr.endIndex, what: name, cuda: true });
      named.add(name);
      break;
    }
  }
  return out;
}

function unfreeFixes(doc: NixDocument, ctx: RuleContext, cuda: boolean): Fix[] {
  const fixes: Fix[] = [];
  const add = (title: string, edit: Edit | undefined, preferred = false) => edit && fixes.push({ title, edits: [edit], preferred });
  const cfg = ctx.configurations.find(c => c.files.has(filePathOf(doc.uri)));
  const top = unparenthesize(doc.tree.rootNode.childForFieldName('expression'));
  const body = top?.type === 'function_expression' ? top.childForFieldName('body') : null;
  const lib = !!body && visibleAt(body, ctx.scopes).bindings.some(b => b.name === 'lib');
  const predicate = cuda
    ? `pkg: builtins.any (prefix: lib.hasPrefix prefix (lib.getName pkg)) [ ${CUDA_PREFIXES.map(p => JSON.stringify(p)).join(' ')} ]`
    : `pkg: builtins.elem (lib.getName pkg) [ ${DRIVER_NAMES.map(p => JSON.stringify(p)).join(' ')} ]`;
  if (cfg) {
    add('Add nixpkgs.config.allowUnfree = true;', defineOption(doc, cfg, 'nixpkgs.config.allowUnfree', 'true'), true);
    if (lib) add(`Allow only the ${cuda ? 'NVIDIA and CUDA' : 'NVIDIA driver'} packages (allowUnfreePredicate)`, defineOption(doc, cfg, 'nixpkgs.config.allowUnfreePredicate', predicate));
  }
  if (!fixes.length) {
    const args = nixpkgsImportArgs(doc, ctx);
    if (args) add('Add config.allowUnfree = true; to import nixpkgs', addBinding(doc, args, 'config.allowUnfree = true;'), true);
  }
  return fixes;
}

/** The attribute set of the first `import nixpkgs { … }` without a config, for flakes and shells. */
function nixpkgsImportArgs(doc: NixDocument, ctx: RuleContext): Node | undefined {
  for (const use of builtinUses(doc.tree, new Set(['import']), ctx.scopes)) {
    const [source, args] = use.args;
    const set = unparenthesize(args ?? null);
    if (source && /nixpkgs/i.test(source.text) && set?.type === 'attrset_expression' && !topLevelAttrs(set).names.has('config')) return set;
  }
  return undefined;
}
