import { atLeast } from '../analysis/release';
import type { Configuration } from '../analysis/configuration';
import { defineOption, nvidiaOn, perConfiguration, trueDefs } from './configRules';
import type { Rule } from './types';

/** Options that turn hardware.graphics on by themselves (desktops, the container toolkit, ROCm OpenCL). */
const IMPLIES_GRAPHICS = [
  'services.xserver.enable', 'hardware.nvidia-container-toolkit.enable', 'hardware.amdgpu.opencl.enable',
  'programs.hyprland.enable', 'programs.sway.enable', 'services.desktopManager.plasma6.enable',
  'services.desktopManager.gnome.enable', 'services.xserver.desktopManager.gnome.enable', 'programs.niri.enable',
];

/** hardware.graphics.enable, or its old name hardware.opengl.enable (an alias that still works). */
function graphicsOn(cfg: Configuration): boolean {
  const defs = [...cfg.get('hardware.graphics.enable'), ...cfg.get('hardware.opengl.enable')];
  if (defs.some(d => !(d.value.kind === 'bool' && !d.value.value))) return true;
  return IMPLIES_GRAPHICS.some(o => trueDefs(cfg, o).length > 0);
}

export const nvidiaGraphicsDisabled: Rule = {
  code: 'nvidia-graphics-disabled',
  severity: 'warning',
  description: 'The NVIDIA driver without hardware.graphics.enable: CUDA, VA-API and Vulkan cannot find the driver libraries.',
  check(doc, ctx) {
    const option = atLeast(ctx.release, '24.11') ? 'hardware.graphics.enable' : 'hardware.opengl.enable';
    return perConfiguration(doc, ctx, cfg => {
      const on = nvidiaOn(cfg);
      if (!on.length || graphicsOn(cfg)) return [];
      const edit = defineOption(doc, cfg, option, 'true');
      return on.map(at => ({
        at,
        message: `the NVIDIA driver is on but ${option} is not: nothing fills /run/opengl-driver, so CUDA, VA-API and Vulkan programs do not find libcuda and friends; set ${option} = true`,
        fixes: edit ? [{ title: `Add ${option} = true;`, edits: [edit], preferred: true, safe: true }] : [],
      }));
    });
  },
};
