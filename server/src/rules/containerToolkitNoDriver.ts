import { nvidiaDriver, perConfiguration } from './configRules';
import type { Rule } from './types';

export const containerToolkitNoDriver: Rule = {
  code: 'container-toolkit-no-driver',
  severity: 'error',
  scope: 'file',
  description: 'hardware.nvidia-container-toolkit.enable needs the NVIDIA driver (videoDrivers or datacenter.enable).',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const driver = nvidiaDriver(cfg);
      if (driver.x11 !== false || driver.datacenter !== false) return [];
      if (cfg.isTrue('hardware.nvidia-container-toolkit.suppressNvidiaDriverAssertion') !== false) return [];
      return cfg.trueDefs('hardware.nvidia-container-toolkit.enable').map(at => ({
        at,
        message: 'the NVIDIA container toolkit is on but no module of this configuration turns on an NVIDIA driver: evaluation fails; add "nvidia" to services.xserver.videoDrivers, set hardware.nvidia.datacenter.enable, or (driver from elsewhere, e.g. WSL) set suppressNvidiaDriverAssertion',
      }));
    });
  },
};
