import { perConfiguration, trueDefs } from './configRules';
import type { Rule } from './types';

const MODES = ['sync', 'offload', 'reverseSync'];

export const primeBusIdMissing: Rule = {
  code: 'prime-bus-id-missing',
  severity: 'error',
  description: 'NVIDIA PRIME (sync, offload or reverseSync) needs nvidiaBusId and one of intelBusId / amdgpuBusId.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const hasNvidia = cfg.isSet('hardware.nvidia.prime.nvidiaBusId');
      const hasIgpu = cfg.isSet('hardware.nvidia.prime.intelBusId') || cfg.isSet('hardware.nvidia.prime.amdgpuBusId');
      if (hasNvidia && hasIgpu) return [];
      const missing = [hasNvidia ? '' : 'nvidiaBusId', hasIgpu ? '' : 'intelBusId or amdgpuBusId'].filter(Boolean).join(' and ');
      return MODES.flatMap(mode => trueDefs(cfg, `hardware.nvidia.prime.${mode}.enable`)).map(at => ({
        at,
        message: `PRIME ${at.path[3]} needs the GPUs' bus ids, and ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not set: evaluation fails ("the GPU bus IDs must be configured"). Find them with lspci and write them as "PCI:bus:device:function" in decimal`,
      }));
    });
  },
};
