import type { Configuration } from '../analysis/configuration';
import { releaseOf, hasChange } from '../analysis/release';
import { defineOption, nvidiaDriver, perConfiguration } from './configRules';
import type { Rule } from './types';

/** Options that turn hardware.graphics on by themselves (desktops, compositors, the container toolkit, ROCm OpenCL, Steam). */
const IMPLIES_GRAPHICS = [
  'services.xserver.enable', 'hardware.nvidia-container-toolkit.enable', 'hardware.amdgpu.opencl.enable',
  'programs.hyprland.enable', 'programs.sway.enable', 'programs.niri.enable', 'programs.river.enable', 'programs.wayfire.enable',
  'programs.labwc.enable', 'programs.steam.enable', 'programs.gamescope.enable', 'services.desktopManager.plasma6.enable',
  'services.desktopManager.gnome.enable', 'services.xserver.desktopManager.gnome.enable', 'services.desktopManager.cosmic.enable',
];
/** Whole groups of options where a desktop could be switched on: any definition under them keeps the rule quiet. */
const DESKTOP_PREFIXES = ['services.xserver.', 'services.desktopManager.', 'services.displayManager.', 'programs.hyprland.', 'programs.sway.', 'services.greetd.'];

/** Is hardware.graphics (or its old name, hardware.opengl) on, or could something we see or miss turn it on? */
function graphicsMaybeOn(cfg: Configuration): boolean {
  if (cfg.isTrue('hardware.graphics.enable') !== false || cfg.isTrue('hardware.opengl.enable') !== false) return true;
  if (IMPLIES_GRAPHICS.some(o => cfg.isTrue(o) !== false)) return true;
  return cfg.definitions.some(d => d.path.join('.') !== 'services.xserver.videoDrivers' && DESKTOP_PREFIXES.some(p => `${d.path.join('.')}.`.startsWith(p)));
}

export const nvidiaGraphicsDisabled: Rule = {
  code: 'nvidia-graphics-disabled',
  severity: 'warning',
  scope: 'file',
  description: 'The NVIDIA driver without hardware.graphics.enable: CUDA, VA-API and Vulkan cannot find the driver libraries.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const option = hasChange(releaseOf(cfg, ctx.release), '24.11') ? 'hardware.graphics.enable' : 'hardware.opengl.enable';
      const driver = nvidiaDriver(cfg);
      if ((driver.x11 !== true && driver.datacenter !== true) || !cfg.complete || graphicsMaybeOn(cfg)) return [];
      const edit = defineOption(doc, cfg, option, 'true');
      return [...driver.x11Defs, ...driver.datacenterDefs].map(at => ({
        at,
        message: `the NVIDIA driver is on but no module of this configuration turns on ${option} (nor a desktop that would): nothing fills /run/opengl-driver, so CUDA, VA-API and Vulkan programs do not find libcuda and friends; set ${option} = true`,
        fixes: edit ? [{ title: `Add ${option} = true;`, edits: [edit], preferred: true, safe: true }] : [],
      }));
    });
  },
};
