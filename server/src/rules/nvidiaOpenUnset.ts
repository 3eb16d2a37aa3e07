import type { Configuration } from '../analysis/configuration';
import { describeRelease, releaseOf, releaseSeverity, hasChange } from '../analysis/release';
import { defineOption, nvidiaDriver, perConfiguration } from './configRules';
import type { Fix, Rule } from './types';

/**
 * Does the configuration's NVIDIA driver ask for hardware.nvidia.open (560 and later)? The default
 * package does; legacy_470 and friends do not; a package we cannot read may or may not.
 */
function driverNeedsChoice(cfg: Configuration): boolean | undefined {
  const r = cfg.resolve('hardware.nvidia.package');
  if (r.kind === 'unset') return true;
  if (r.kind === 'unknown') return undefined;
  const answers = r.defs.map(d => {
    const text = d.value.kind === 'other' ? d.value.text : '';
    const legacy = /nvidiaPackages\.(?:legacy|dc)_(\d+)\b/.exec(text);
    if (legacy) return Number(legacy[1]) >= 560;
    return /nvidiaPackages\.(stable|beta|latest|production|vulkan_beta)\s*$/.test(text) ? true : undefined;
  });
  return answers.every(a => a === true) ? true : answers.every(a => a === false) ? false : undefined;
}

export const nvidiaOpenUnset: Rule = {
  code: 'nvidia-open-unset',
  severity: 'error',
  scope: 'file',
  description: 'NixOS 24.11 and later refuse an NVIDIA driver (560+) unless hardware.nvidia.open says which kernel modules to use.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      // each configuration on the release of the nixpkgs that builds it
      const release = releaseOf(cfg, ctx.release);
      if (!hasChange(release, '24.11')) return [];
      const driver = nvidiaDriver(cfg);
      if (driver.x11 !== true && driver.datacenter !== true) return [];
      if (cfg.isSet('hardware.nvidia.open') !== 'unset' || driverNeedsChoice(cfg) !== true) return [];
      const fixes = (['true', 'false'] as const).map((value): Fix | undefined => {
        const edit = defineOption(doc, cfg, 'hardware.nvidia.open', value);
        const cards = value === 'true' ? 'open kernel modules: Turing (RTX, GTX 16xx) and newer' : 'closed modules: Maxwell, Pascal, Volta and older';
        return edit && { title: `Set hardware.nvidia.open = ${value} (${cards})`, edits: [edit], preferred: value === 'true' };
      }).filter((f): f is Fix => !!f);
      if (driver.x11 === true) {
        return driver.x11Defs.map(at => ({
          at,
          fixes,
          severity: releaseSeverity(release, 'error'),
          message: `the NVIDIA driver is on but hardware.nvidia.open is not set in any module of this configuration; on ${describeRelease(release)} evaluation fails until you choose: true for Turing (RTX, GTX 16xx) and newer, false for older cards`,
        }));
      }
      return driver.datacenterDefs.map(at => ({
        at,
        fixes,
        severity: 'information' as const,
        message: 'the datacenter driver is on and hardware.nvidia.open is not set, so the closed kernel modules load; nixpkgs does not insist here, but set it to say which you want (true for Turing and newer)',
      }));
    });
  },
};
