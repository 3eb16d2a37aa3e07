import { atLeast, describeRelease } from '../analysis/release';
import { defineOption, nvidiaDriverDefs, perConfiguration } from './configRules';
import type { Fix, Rule } from './types';

export const nvidiaOpenUnset: Rule = {
  code: 'nvidia-open-unset',
  severity: 'error',
  description: 'NixOS 24.11 and later refuse an NVIDIA driver (560+) unless hardware.nvidia.open says which kernel modules to use.',
  check(doc, ctx) {
    if (!atLeast(ctx.release, '24.11')) return [];
    return perConfiguration(doc, ctx, cfg => {
      if (cfg.isSet('hardware.nvidia.open')) return [];
      const { x11, datacenter } = nvidiaDriverDefs(cfg);
      const fixes = (['true', 'false'] as const).map((value): Fix | undefined => {
        const edit = defineOption(doc, cfg, 'hardware.nvidia.open', value);
        const cards = value === 'true' ? 'open kernel modules: Turing (RTX, GTX 16xx) and newer' : 'closed modules: Maxwell, Pascal, Volta and older';
        return edit && { title: `Set hardware.nvidia.open = ${value} (${cards})`, edits: [edit], preferred: value === 'true' };
      }).filter((f): f is Fix => !!f);
      if (x11.length) {
        return x11.map(at => ({
          at,
          fixes,
          message: `the NVIDIA driver is on but hardware.nvidia.open is not set; on ${describeRelease(ctx.release)} evaluation fails until you choose: true for Turing (RTX, GTX 16xx) and newer, false for older cards`,
        }));
      }
      return datacenter.map(at => ({
        at,
        fixes,
        severity: 'information' as const,
        message: 'the datacenter driver is on and hardware.nvidia.open is not set, so the closed kernel modules load; nixpkgs does not insist here, but set it to say which you want (true for Turing and newer)',
      }));
    });
  },
};
