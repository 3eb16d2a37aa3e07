import { nvidiaOn, perConfiguration, trueDefs } from './configRules';
import type { Rule } from './types';

export const containerToolkitNoDriver: Rule = {
  code: 'container-toolkit-no-driver',
  severity: 'error',
  description: 'hardware.nvidia-container-toolkit.enable needs the NVIDIA driver (videoDrivers or datacenter.enable).',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      if (nvidiaOn(cfg).length || trueDefs(cfg, 'hardware.nvidia-container-toolkit.suppressNvidiaDriverAssertion').length) return [];
      return trueDefs(cfg, 'hardware.nvidia-container-toolkit.enable').map(at => ({
        at,
        message: 'the NVIDIA container toolkit is on but no NVIDIA driver is: evaluation fails; add "nvidia" to services.xserver.videoDrivers, set hardware.nvidia.datacenter.enable, or (driver from elsewhere, e.g. WSL) set suppressNvidiaDriverAssertion',
      }));
    });
  },
};
