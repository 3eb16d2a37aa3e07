import { nvidiaDriverDefs, perConfiguration } from './configRules';
import type { Rule } from './types';

export const nvidiaDatacenterX11: Rule = {
  code: 'nvidia-datacenter-x11',
  severity: 'error',
  description: 'The datacenter driver (hardware.nvidia.datacenter.enable) and "nvidia" in videoDrivers exclude each other.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const { x11, datacenter } = nvidiaDriverDefs(cfg);
      if (!x11.length || !datacenter.length) return [];
      return [...datacenter, ...x11].map(at => ({
        at,
        message: 'the datacenter driver and "nvidia" in services.xserver.videoDrivers cannot both be on: evaluation fails; a headless compute box keeps datacenter.enable, a desktop keeps videoDrivers',
      }));
    });
  },
};
