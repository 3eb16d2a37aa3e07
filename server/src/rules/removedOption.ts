import { describeRelease, releaseSeverity, hasChange } from '../analysis/release';
import type { Definition } from '../analysis/definitions';
import type { NixDocument } from '../parse/documents';
import { declaredBy, fileDefinitions, releasesFor } from './configRules';
import { removeSpan } from './edits';
import type { Fix, Rule, RuleFinding } from './types';

/** services.ollama.acceleration's values -> the package that replaced it. */
const OLLAMA_PACKAGE: Record<string, string> = { cuda: 'ollama-cuda', rocm: 'ollama-rocm', vulkan: 'ollama-vulkan', false: 'ollama-cpu' };
/** videoDrivers names from before NixOS 19.03 -> the nvidiaPackages attribute that replaced them. */
const LEGACY_DRIVERS: Record<string, string> = {
  nvidiaBeta: 'beta', nvidiaVulkanBeta: 'vulkan_beta', nvidiaLegacy470: 'legacy_470', nvidiaLegacy390: 'legacy_390',
  nvidiaLegacy340: 'legacy_340', nvidiaLegacy304: 'legacy_304',
};

export const removedOption: Rule = {
  code: 'removed-option',
  severity: 'error',
  scope: 'file',
  description: 'An option whose use fails evaluation in the detected NixOS release (hardware.opengl.driSupport, services.ollama.acceleration on 26.05+, amdvlk on 25.11+, legacy videoDrivers names).',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const { def } of fileDefinitions(doc, ctx)) {
      if (def.path.join('.') === 'services.xserver.videoDrivers') found.push(...legacyDrivers(doc, def));
      const o = ctx.knowledge.options(def.set).get(def.path);
      if (!o || o.status !== 'removed') continue;
      if (declaredBy(ctx, def) === 'set') continue;
      const releases = releasesFor(doc, ctx, def, r => !o.removedIn || hasChange(r, o.removedIn));
      if (!releases) continue;
      const release = releases.hit[0];
      const when = o.removedIn ? ` in NixOS ${o.removedIn} (checked against ${describeRelease(release)})` : '';
      const { hint, fixes } = replacement(doc, def, o.replacedBy);
      found.push({
        start: def.key.start, end: def.key.end, severity: o.removedIn ? releaseSeverity(release, 'error') : 'error',
        message: `${o.name} was removed${when}, so evaluation fails; ${hint}${releases.partly}`, fixes: releases.partly ? [] : fixes,
      });
    }
    return found.sort((a, b) => a.start - b.start);
  },
};

function replacement(doc: NixDocument, def: Definition, replacedBy: string | undefined): { hint: string; fixes: Fix[] } {
  const name = def.path.join('.');
  if (name === 'services.ollama.acceleration') {
    const v = def.value;
    const key = v.kind === 'string' ? v.value : v.kind === 'bool' && !v.value ? 'false' : undefined;
    const pkg = key && Object.hasOwn(OLLAMA_PACKAGE, key) ? OLLAMA_PACKAGE[key] : undefined;
    const hint = 'set services.ollama.package to pkgs.ollama-cuda, -rocm, -vulkan or -cpu instead';
    if (!pkg) return { hint, fixes: [] };
    const written = [...def.written.slice(0, -1), 'package'].join('.');
    return {
      hint,
      fixes: [{
        title: `Use ${written} = pkgs.${pkg};`,
        edits: [{ start: def.key.start, end: def.key.end, newText: written }, { start: def.valueSpan.start, end: def.valueSpan.end, newText: `pkgs.${pkg}` }],
        preferred: true,
      }],
    };
  }
  if (replacedBy) return { hint: `use ${replacedBy}`, fixes: [] };
  const remove: Fix = { title: 'Remove this line', edits: [removeSpan(doc, def.binding.start, def.binding.end)], safe: /opengl\.(driSupport|s3tcSupport)$/.test(name) };
  return { hint: name.startsWith('hardware.amdgpu.amdvlk') ? 'remove it: RADV, the Mesa Vulkan driver, is used by default' : 'it no longer has any effect; remove it', fixes: [remove] };
}

function legacyDrivers(doc: NixDocument, def: Definition): RuleFinding[] {
  if (def.value.kind !== 'list') return [];
  const found: RuleFinding[] = [];
  const text = doc.text.slice(def.valueSpan.start, def.valueSpan.end);
  for (const [legacy, pkg] of Object.entries(LEGACY_DRIVERS)) {
    const at = text.indexOf(`"${legacy}"`);
    if (at === -1) continue;
    const start = def.valueSpan.start + at;
    found.push({
      start,
      end: start + legacy.length + 2,
      message: `"${legacy}" is no longer a videoDrivers name (since NixOS 19.03), and evaluation fails with X enabled; use "nvidia" and set hardware.nvidia.package = config.boot.kernelPackages.nvidiaPackages.${pkg}`,
      fixes: [{ title: 'Use "nvidia" (then pick the driver with hardware.nvidia.package)', edits: [{ start, end: start + legacy.length + 2, newText: '"nvidia"' }] }],
    });
  }
  return found;
}
