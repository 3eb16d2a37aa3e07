import { nvidiaDriver, perConfiguration } from './configRules';
import type { Rule } from './types';

export const nvidiaDatacenterX11: Rule = {
  code: 'nvidia-datacenter-x11',
  severity: 'error',
  scope: 'file',
  description: 'The datacenter driver (hardware.nvidia.datacenter.enable) and "nvidia" in videoDrivers exclude each other.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const driver = nvidiaDriver(cfg);
      if (driver.x11 !== true || driver.datacenter !== true) return [];
      return [...driver.datacenterDefs, ...driver.x11Defs].map(at => ({
        at,
        message: 'the datacenter driver and "nvidia" in services.xserver.videoDrivers cannot both be on: evaluation fails; a headless compute box keeps datacenter.enable, a desktop keeps videoDrivers',
      }));
    });
  },
};
