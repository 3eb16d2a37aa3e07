import type { Configuration, Truth } from '../analysis/configuration';
import type { Definition } from '../analysis/definitions';
import { perConfiguration, type ConfigProblem } from './configRules';
import type { Rule } from './types';

const P = 'hardware.nvidia.prime';

/** Is PRIME offload on? Unset, it follows reverseSync (nixpkgs defaults it to reverseSync.enable). */
function offloadOn(cfg: Configuration): Truth {
  return cfg.resolve(`${P}.offload.enable`).kind === 'unset' ? cfg.isTrue(`${P}.reverseSync.enable`) : cfg.isTrue(`${P}.offload.enable`);
}

export const primeModeConflict: Rule = {
  code: 'prime-mode-conflict',
  severity: 'error',
  scope: 'file',
  description: 'PRIME modes that exclude each other: sync with offload or reverseSync, fine-grained power management without offload, an Intel and an AMD iGPU at once.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const problems: ConfigProblem[] = [];
      const both = (a: string, b: string, message: string) => {
        if (cfg.isTrue(a) === true && cfg.isTrue(b) === true) for (const at of [...cfg.trueDefs(a), ...cfg.trueDefs(b)]) problems.push({ at, message });
      };
      both(`${P}.sync.enable`, `${P}.offload.enable`, 'PRIME sync and offload cannot both be on: evaluation fails; pick offload (battery) or sync (performance)');
      both(`${P}.sync.enable`, `${P}.reverseSync.enable`, 'PRIME sync and reverseSync cannot both be on: evaluation fails; pick one');
      if (cfg.isTrue('hardware.nvidia.powerManagement.finegrained') === true && offloadOn(cfg) === false) {
        for (const at of cfg.trueDefs('hardware.nvidia.powerManagement.finegrained')) {
          problems.push({ at, message: 'fine-grained power management powers the NVIDIA GPU down between uses, which needs PRIME offload: evaluation fails until hardware.nvidia.prime.offload.enable = true' });
        }
      }
      const busIds = (option: string): Definition[] => {
        const r = cfg.resolve(option);
        return r.kind === 'known' && r.defs.every(d => d.value.kind === 'string' && d.value.value !== '') ? r.defs : [];
      };
      const intel = busIds(`${P}.intelBusId`);
      const amd = busIds(`${P}.amdgpuBusId`);
      if (intel.length && amd.length) {
        for (const at of [...intel, ...amd]) problems.push({ at, message: 'intelBusId and amdgpuBusId cannot both be set: a machine has an Intel or an AMD integrated GPU; keep the one matching your CPU' });
      }
      return problems;
    });
  },
};
