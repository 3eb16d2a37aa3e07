import type { Configuration } from '../analysis/configuration';
import type { Definition } from '../analysis/definitions';
import { perConfiguration, trueDefs, type ConfigProblem } from './configRules';
import type { Rule } from './types';

const P = 'hardware.nvidia.prime';

/** Unconditional definitions that are literally true: two of them under mkIf may never meet. */
function on(cfg: Configuration, option: string): Definition[] {
  return trueDefs(cfg, option).filter(d => !d.conditional);
}

export const primeModeConflict: Rule = {
  code: 'prime-mode-conflict',
  severity: 'error',
  description: 'PRIME modes that exclude each other: sync with offload or reverseSync, fine-grained power management without offload, an Intel and an AMD iGPU at once.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const sync = on(cfg, `${P}.sync.enable`);
      const offload = on(cfg, `${P}.offload.enable`);
      const reverse = on(cfg, `${P}.reverseSync.enable`);
      const fine = on(cfg, 'hardware.nvidia.powerManagement.finegrained');
      const problems: ConfigProblem[] = [];
      const both = (a: Definition[], b: Definition[], message: string) => {
        if (a.length && b.length) for (const at of [...a, ...b]) problems.push({ at, message });
      };
      both(sync, offload, 'PRIME sync and offload cannot both be on: evaluation fails; pick offload (battery) or sync (performance)');
      both(sync, reverse, 'PRIME sync and reverseSync cannot both be on: evaluation fails; pick one');
      if (fine.length && !cfg.get(`${P}.offload.enable`).length) {
        for (const at of fine) problems.push({ at, message: 'fine-grained power management powers the NVIDIA GPU down between uses, which needs PRIME offload: evaluation fails until hardware.nvidia.prime.offload.enable = true' });
      }
      const intel = cfg.get(`${P}.intelBusId`).filter(d => !d.conditional);
      const amd = cfg.get(`${P}.amdgpuBusId`).filter(d => !d.conditional);
      both(intel, amd, 'intelBusId and amdgpuBusId cannot both be set: a machine has an Intel or an AMD integrated GPU; keep the one matching your CPU');
      return problems;
    });
  },
};
