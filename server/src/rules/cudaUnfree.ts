import { instanceUnfree, type Configuration } from '../analysis/configuration';
import { filePathOf, type Definition } from '../analysis/definitions';
import type { Instance } from '../analysis/facts';
import { pkgsSource } from '../analysis/instances';
import { resolveName, visibleAt, type ScopeCache } from '../analysis/scopes';
import { attrsOf, staticAttrName } from '../parse/attrNames';
import type { NixDocument } from '../parse/documents';
import type { Node } from '../parse/language';
import { nodesIn, parentOfType } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import { atMostWarning, checkedIn, defineOption, nvidiaDriver, unlessInputs } from './configRules';
import { addBinding } from './edits';
import type { Fix, Rule, RuleContext, RuleFinding, Severity } from './types';

/** Package names whose use pulls in NVIDIA's unfree CUDA redistributables. */
const CUDA_NAMES = /^(cudaPackages(_\d+(_\d+)?)?|cudatoolkit|torchWithCuda|ollama-cuda|pkgsCuda|cudnn)$/;
const DRIVER_NAMES = ['nvidia-x11', 'nvidia-settings', 'nvidia-persistenced'];
const CUDA_PREFIXES = ['nvidia', 'cuda', 'libcu', 'libnv', 'libnpp', 'cudnn', 'nccl', 'tensorrt'];
/** Option groups whose packages are evaluated only while the group's `enable` is on. */
const ENABLE_GROUPS = ['services', 'programs', 'hardware', 'virtualisation'];

interface Trigger {
  start: number;
  end: number;
  what: string;
  cuda: boolean;
  severity: Severity;
}

const unfreeHint = 'set nixpkgs.config.allowUnfree = true or an allowUnfreePredicate (NIXPKGS_ALLOW_UNFREE is ignored by flakes)';

export const cudaUnfree: Rule = {
  code: 'cuda-unfree',
  severity: 'error',
  scope: 'file',
  description: 'CUDA (cudaPackages, torchWithCuda, ollama-cuda) or the NVIDIA driver where the nixpkgs that builds it allows no unfree package: nixpkgs refuses to evaluate them.',
  check(doc, ctx) {
    const found = new Map<number, RuleFinding>();
    const add = (t: Trigger, message: string, fixes: Fix[]) => {
      if (!found.has(t.start)) found.set(t.start, { start: t.start, end: t.end, severity: t.severity, message, fixes });
    };
    const file = filePathOf(doc.uri);
    // only a configuration that allows no unfree package (or none unless an input's module we could
    // not read does), or a flake's own nixpkgs, can fail here
    // refused: the NVIDIA driver, or CUDA (an allowUnfreePredicate may take one and not the other)
    const refuses = (c: Configuration, t: Trigger) => c.unfree(t.cuda ? 'cuda' : 'driver') === false;
    const strict = ctx.configurations.flatMap((cfg): Array<{ cfg: Configuration; view: Configuration; unless?: string }> => {
      if (!cfg.files.has(file)) return [];
      const sure = [cfg.unfree('driver'), cfg.unfree('cuda')];
      if (sure.includes(false)) return [{ cfg, view: cfg }];
      const assumed = sure.includes('unknown') ? cfg.assumingInputs() : undefined;
      return assumed && (assumed.unfree('driver') === false || assumed.unfree('cuda') === false) ? [{ cfg, view: assumed, unless: unlessInputs(cfg) }] : [];
    });
    if (!strict.length && !ctx.pure) return [];
    const refs = cudaReferences(doc, ctx.scopes);
    for (const { cfg, view, unless } of strict) {
      const triggers = [...moduleTriggers(view, file), ...refs.filter(r => r.source === 'module' && evaluatedIn(view, file, r))].filter(t => refuses(view, t));
      if (!triggers.length) continue;
      const fixes = moduleFixes(doc, ctx, view, triggers.some(t => t.cuda));
      const predicate = view.unfree() !== false;
      for (const t of triggers) {
        const lead = predicate
          ? `${t.what} is unfree (NVIDIA's license) and this configuration's allowUnfreePredicate does not accept ${t.cuda ? 'CUDA packages' : 'the driver (nvidia-x11)'}, so nixpkgs refuses to evaluate it`
          : t.cuda && t.severity === 'warning'
          ? `${t.what} makes packages build against CUDA, which is unfree (NVIDIA's license), and no module of this configuration allows unfree packages, so every CUDA-enabled package fails to evaluate`
          : `${t.what} is unfree (NVIDIA's license) and no module of this configuration allows unfree packages, so nixpkgs refuses to evaluate it`;
        const trigger = unless ? { ...t, severity: atMostWarning(t.severity) } : t;
        const hint = predicate ? `add ${t.cuda ? 'the CUDA package names' : '"nvidia-x11" and "nvidia-settings"'} to the names it accepts` : unfreeHint;
        add(trigger, `${lead}: ${hint}${unless ? ` — ${unless}` : ''} (checked: ${checkedIn([cfg], file)})`, predicate ? [] : fixes);
      }
    }
    if (ctx.pure) {
      for (const r of refs) {
        if (r.source !== 'instance' || instanceUnfree(r.instance, true) !== false) continue;
        const made = r.instance.kind === 'legacy' ? 'nixpkgs.legacyPackages, which allows no unfree package,' : 'a nixpkgs imported without allowing unfree packages';
        const fixes: Fix[] = r.importArgs ? [{ title: 'Add config.allowUnfree = true; to import nixpkgs', edits: [addBinding(doc, r.importArgs, 'config.allowUnfree = true;')], preferred: true }] : [];
        add(r, `${r.what} is unfree (NVIDIA's license) and comes from ${made} so a flake fails here ("has an unfree license, refusing to evaluate"); import nixpkgs with config.allowUnfree = true (or an allowUnfreePredicate)`, fixes);
      }
    }
    return [...found.values()].sort((a, b) => a.start - b.start);
  },
};

/** Definitions of this file (or of an input's module it brings in) that need unfree packages in this configuration. */
function moduleTriggers(cfg: Configuration, file: string): Trigger[] {
  const out: Trigger[] = [];
  const here = (d: Definition) => d.file === file || d.via?.file === file;
  const at = (d: Definition) => (d.file === file ? d.key : d.via!.span);
  const by = (d: Definition, what: string) => (d.file === file ? what : `${what} (set by ${d.via!.what}, brought in here)`);
  const driver = nvidiaDriver(cfg);
  for (const d of driver.x11Defs.filter(here)) out.push({ ...at(d), what: by(d, 'the NVIDIA driver'), cuda: false, severity: 'error' });
  for (const d of driver.datacenterDefs.filter(here)) out.push({ ...at(d), what: by(d, 'the NVIDIA datacenter driver'), cuda: false, severity: 'error' });
  if (cfg.isTrue('services.ollama.enable') === true) {
    const accel = cfg.resolve('services.ollama.acceleration');
    if (accel.kind === 'known') {
      for (const d of accel.defs.filter(here)) if (d.value.kind === 'string' && d.value.value === 'cuda') out.push({ ...d.valueSpan, what: 'ollama with acceleration "cuda"', cuda: true, severity: 'error' });
    }
  }
  for (const d of cfg.trueDefs('nixpkgs.config.cudaSupport').filter(here)) {
    out.push({ start: Math.max(d.key.start, d.key.end - 'cudaSupport'.length), end: d.key.end, what: 'cudaSupport = true', cuda: true, severity: 'warning' });
  }
  return out;
}

type Reference = Trigger & ({ source: 'module'; node: Node } | { source: 'instance'; instance: Instance; importArgs?: Node });

/**
 * References to CUDA package sets and where their nixpkgs comes from: the module's `pkgs`, a
 * nixpkgs this file imports, or something we cannot tell (a package recipe's argument) — those are
 * left out.
 */
function cudaReferences(doc: NixDocument, scopes: ScopeCache): Reference[] {
  if (!/cuda|Cuda|cudnn/.test(doc.text)) return [];
  const out: Reference[] = [];
  const named = new Set<string>();
  const push = (name: string, at: Node, origin: Node | null) => {
    if (named.has(name)) return;
    const source = origin && pkgsSource(origin, scopes, doc);
    if (!source) return;
    named.add(name);
    const base = { start: at.startIndex, end: at.endIndex, what: name, cuda: true, severity: 'error' as const };
    out.push(source.kind === 'module' ? { ...base, source: 'module', node: at } : { ...base, source: 'instance', instance: source.instance, importArgs: source.importArgs });
  };
  for (const sel of nodesIn(doc, 'select_expression')) {
    const attrs = attrsOf(sel.childForFieldName('attrpath'));
    const names = attrs.map(staticAttrName);
    const at = names.findIndex(n => !!n && CUDA_NAMES.test(n));
    if (at < 0) continue;
    const prefix = names.slice(0, at);
    const base = sel.childForFieldName('expression');
    const legacy = prefix.indexOf('legacyPackages');
    if (legacy >= 0) {
      const nixpkgs = legacy === 0 ? base?.type === 'variable_expression' && /^nixpkgs\b/.test(base.text) : /^nixpkgs\b/.test(prefix[legacy - 1] ?? '');
      if (nixpkgs && legacy + 2 === at) push(names[at]!, attrs[at], sel);
      continue;
    }
    push(names[at]!, attrs[at], base);
  }
  for (const v of nodesIn(doc, 'variable_expression')) {
    if (!CUDA_NAMES.test(v.text)) continue;
    if (parentOfType(v, 'select_expression')?.childForFieldName('expression')?.id === v.id) continue;
    const ident = v.childForFieldName('name');
    const r = ident ? resolveName(ident, scopes) : undefined;
    if (r?.kind === 'with') push(v.text, v, r.envs[0] ?? null);
  }
  return out;
}

/**
 * Is the module reference evaluated in this configuration? Not when it sits in a service that is
 * off (`services.ollama.package = pkgs.ollama-cuda;` while ollama is disabled).
 */
function evaluatedIn(cfg: Configuration, file: string, r: Reference): boolean {
  let owner: Definition | undefined;
  for (const d of cfg.definitionsIn(file)) {
    if (d.valueSpan.start > r.start || d.valueSpan.end < r.end) continue;
    if (!owner || d.path.length > owner.path.length) owner = d;
  }
  // Outside every definition (a let binding, say) it is evaluated only if something uses it.
  if (!owner) return false;
  const [group, name] = owner.path;
  if (owner.path.length < 3 || !ENABLE_GROUPS.includes(group)) return true;
  return cfg.isTrue(`${group}.${name}.enable`) === true;
}

function moduleFixes(doc: NixDocument, ctx: RuleContext, cfg: Configuration, cuda: boolean): Fix[] {
  const fixes: Fix[] = [];
  const add = (title: string, edit: ReturnType<typeof defineOption>, preferred = false) => edit && fixes.push({ title, edits: [edit], preferred });
  const top = unparenthesize(doc.tree.rootNode.childForFieldName('expression'));
  const body = top?.type === 'function_expression' ? top.childForFieldName('body') : null;
  const lib = !!body && visibleAt(body, ctx.scopes).bindings.some(b => b.name === 'lib');
  const predicate = cuda
    ? `pkg: builtins.any (prefix: lib.hasPrefix prefix (lib.getName pkg)) [ ${CUDA_PREFIXES.map(p => JSON.stringify(p)).join(' ')} ]`
    : `pkg: builtins.elem (lib.getName pkg) [ ${DRIVER_NAMES.map(p => JSON.stringify(p)).join(' ')} ]`;
  add('Add nixpkgs.config.allowUnfree = true;', defineOption(doc, cfg, 'nixpkgs.config.allowUnfree', 'true'), true);
  if (lib) add(`Allow only the ${cuda ? 'NVIDIA and CUDA' : 'NVIDIA driver'} packages (allowUnfreePredicate)`, defineOption(doc, cfg, 'nixpkgs.config.allowUnfreePredicate', predicate));
  return fixes;
}
