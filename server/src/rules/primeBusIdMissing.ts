import { perConfiguration } from './configRules';
import type { Rule } from './types';

const MODES = ['sync', 'offload', 'reverseSync'];

export const primeBusIdMissing: Rule = {
  code: 'prime-bus-id-missing',
  severity: 'error',
  scope: 'file',
  description: 'NVIDIA PRIME (sync, offload or reverseSync) needs nvidiaBusId and one of intelBusId / amdgpuBusId.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const nvidia = cfg.isSet('hardware.nvidia.prime.nvidiaBusId');
      const intel = cfg.isSet('hardware.nvidia.prime.intelBusId');
      const amd = cfg.isSet('hardware.nvidia.prime.amdgpuBusId');
      const noIgpu = intel === 'unset' && amd === 'unset';
      if (nvidia !== 'unset' && !noIgpu) return [];
      const missing = [nvidia === 'unset' ? 'nvidiaBusId' : '', noIgpu ? 'intelBusId or amdgpuBusId' : ''].filter(Boolean).join(' and ');
      return MODES.flatMap(mode => cfg.trueDefs(`hardware.nvidia.prime.${mode}.enable`)).map(at => ({
        at,
        message: `PRIME ${at.path[3]} needs the GPUs' bus ids, and no module of this configuration sets ${missing}: evaluation fails ("the GPU bus IDs must be configured"). Find them with lspci and write them as "PCI:bus:device:function" in decimal`,
      }));
    });
  },
};
