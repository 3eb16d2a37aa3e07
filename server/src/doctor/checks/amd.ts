import { gfxTargets, groupsOf } from '../facts';
import { ok, option, skip, type CheckFn, type Exam } from '../types';

function amdGpus(exam: Exam) {
  return exam.gpus.filter(g => g.vendor === 'amd');
}

/** ROCm's compute device: without /dev/kfd no ROCm program sees the GPU. */
export const amdKfdCheck: CheckFn = exam => {
  const id = 'amd-kfd';
  if (!amdGpus(exam).length) return skip(id, 'no AMD GPU on this machine');
  if (exam.machine.exists('/dev/kfd')) return ok(id, '/dev/kfd exists: ROCm can open the GPU');
  return {
    id, status: 'fail',
    message: '/dev/kfd does not exist: ROCm (ollama-rocm, torch with ROCm) finds no GPU',
    fix: amdGpus(exam).some(g => g.driver === 'amdgpu') ? 'The amdgpu driver is loaded but without compute (KFD): use a kernel built with HSA_AMD, as NixOS\'s are.' : 'Load the amdgpu driver: boot.initrd.kernelModules = [ "amdgpu" ]; (or hardware.amdgpu.initrd.enable = true;), then reboot.',
  };
};

/** A device file the user may open: world-readable and -writable, or through one of the user's groups. */
function mayOpen(exam: Exam, device: string, groups: Set<string>): boolean {
  const stat = exam.machine.stat(device);
  if (!stat) return false;
  if ((stat.mode & 0o006) === 0o006) return true;
  return groups.has('render') || groups.has('video');
}

/** ROCm needs the user in the render (or video) group to open /dev/kfd and the render node. */
export const amdGroupsCheck: CheckFn = exam => {
  const id = 'amd-groups';
  if (!amdGpus(exam).length) return skip(id, 'no AMD GPU on this machine');
  if (!exam.machine.exists('/dev/kfd')) return skip(id, 'no /dev/kfd (see amd-kfd)');
  const groups = groupsOf(exam.machine, exam.user);
  if (mayOpen(exam, '/dev/kfd', groups)) return ok(id, `${exam.user} may open /dev/kfd${groups.has('render') ? ' (group render)' : groups.has('video') ? ' (group video)' : ''}`);
  return {
    id, status: 'fail',
    message: `${exam.user} is not in the render or video group, so ROCm cannot open /dev/kfd ("Permission denied" or no GPU found)`,
    fix: exam.os.kind === 'nixos' ? `Add the groups: users.users.${exam.user}.extraGroups = [ "render" "video" ]; rebuild, then log in again.` : `sudo usermod -aG render,video ${exam.user}, then log in again.`,
    ...(exam.os.kind === 'nixos' ? { action: option(exam, `users.users.${exam.user}.extraGroups`) } : {}),
  };
};

/** gfx targets ROCm's libraries are built for. */
const ROCM_TARGETS = new Set(['gfx900', 'gfx906', 'gfx908', 'gfx90a', 'gfx940', 'gfx941', 'gfx942', 'gfx1030', 'gfx1100', 'gfx1101', 'gfx1102', 'gfx1200', 'gfx1201']);

/** The HSA_OVERRIDE_GFX_VERSION that makes ROCm treat a close relative as a supported target. */
export function overrideFor(target: string): string | undefined {
  if (/^gfx103[1-6]$/.test(target)) return '10.3.0';
  if (/^gfx110[3-9]$/.test(target)) return '11.0.0';
  return undefined;
}

/** The override's target family ("10.3.0" → gfx103). */
function family(version: string): string {
  const [major, minor] = version.split('.');
  return `gfx${major}${minor ?? ''}`;
}

/** The GPU's gfx target against ROCm's, and HSA_OVERRIDE_GFX_VERSION against the GPU. */
export const amdGfxCheck: CheckFn = exam => {
  const id = 'amd-gfx';
  if (!amdGpus(exam).length) return skip(id, 'no AMD GPU on this machine');
  const targets = gfxTargets(exam.machine);
  if (!targets.length) return skip(id, 'the kernel lists no compute target (/sys/class/kfd/kfd/topology)');
  const override = exam.env.HSA_OVERRIDE_GFX_VERSION?.trim();
  if (override) {
    const wrong = targets.filter(t => !t.startsWith(family(override)));
    if (wrong.length) {
      return { id, status: 'warn', message: `HSA_OVERRIDE_GFX_VERSION=${override} does not fit ${wrong.join(', ')}: ROCm then loads code for another GPU family and crashes or hangs`, fix: overrideFor(wrong[0]) ? `Use HSA_OVERRIDE_GFX_VERSION=${overrideFor(wrong[0])} (services.ollama.rocmOverrideGfx = "${overrideFor(wrong[0])}"; for ollama).` : 'Unset HSA_OVERRIDE_GFX_VERSION.' };
    }
    return ok(id, `${targets.join(', ')} with HSA_OVERRIDE_GFX_VERSION=${override}`);
  }
  const unsupported = targets.filter(t => !ROCM_TARGETS.has(t));
  if (!unsupported.length) return ok(id, `${targets.join(', ')}: a target ROCm is built for`);
  const suggestion = overrideFor(unsupported[0]);
  return {
    id, status: 'warn',
    message: `${unsupported.join(', ')} is not a target ROCm is built for: ROCm programs find no usable GPU${suggestion ? ' unless told to treat it as a close relative' : ''}`,
    fix: suggestion ? `Set HSA_OVERRIDE_GFX_VERSION=${suggestion} (for ollama: services.ollama.rocmOverrideGfx = "${suggestion}";).` : 'No override is known to fit it: if your ROCm is not built for it either, use Vulkan (ollama-vulkan, llama.cpp with Vulkan) instead.',
  };
};
