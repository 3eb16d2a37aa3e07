import * as path from 'path';
import { groupsOf } from '../facts';
import { ok, option, skip, type CheckFn, type Exam } from '../types';

/** The render nodes (/dev/dri/renderD*) an Intel GPU's driver (i915, xe) made. */
function intelRenderNodes(exam: Exam): string[] {
  return exam.machine.list('/sys/class/drm').filter(n => /^renderD\d+$/.test(n)).filter(n => {
    const vendor = exam.machine.read(`/sys/class/drm/${n}/device/vendor`)?.trim();
    return vendor === '0x8086';
  });
}

export const intelRenderCheck: CheckFn = exam => {
  const id = 'intel-render';
  const intel = exam.gpus.filter(g => g.vendor === 'intel');
  if (!intel.length) return skip(id, 'no Intel GPU on this machine');
  const nodes = intelRenderNodes(exam).filter(n => exam.machine.exists(`/dev/dri/${n}`));
  if (!nodes.length) {
    return { id, status: 'fail', message: `no render node for the Intel GPU (${intel.map(g => g.driver ?? 'no driver').join(', ')}): compute and video decoding cannot reach it`, fix: 'Load the i915 (or, on kernel 6.8 and later, xe) driver, then reboot.' };
  }
  const node = `/dev/dri/${nodes[0]}`;
  const stat = exam.machine.stat(node);
  const groups = groupsOf(exam.machine, exam.user);
  if (stat && (stat.mode & 0o006) !== 0o006 && !groups.has('render') && !groups.has('video')) {
    return { id, status: 'warn', message: `${exam.user} is not in the render or video group: ${node} may not open outside a desktop session`, fix: exam.os.kind === 'nixos' ? `users.users.${exam.user}.extraGroups = [ "render" "video" ];` : `sudo usermod -aG render,video ${exam.user}` };
  }
  const driver = intel.find(g => g.driver)?.driver;
  return ok(id, `${node}${driver ? ` (driver ${driver})` : ''}`);
};

/** Intel's compute runtime (OpenCL and Level Zero), which oneAPI, llama.cpp SYCL and torch XPU need. */
export const intelComputeCheck: CheckFn = exam => {
  const id = 'intel-compute';
  if (!exam.gpus.some(g => g.vendor === 'intel')) return skip(id, 'no Intel GPU on this machine');
  const dirs = exam.os.kind === 'nixos' ? ['/run/opengl-driver'] : ['/usr', '/etc'];
  const libDirs = exam.os.kind === 'nixos' ? ['/run/opengl-driver/lib'] : ['/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib'];
  const levelZero = libDirs.find(d => exam.machine.list(d).some(n => n.startsWith('libze_intel_gpu.so')));
  const icd = dirs.map(d => path.posix.join(d, 'etc/OpenCL/vendors')).concat('/etc/OpenCL/vendors').find(d => exam.machine.list(d).some(n => /intel/i.test(n)));
  if (levelZero || icd) return ok(id, `Intel's compute runtime: ${[levelZero && `Level Zero in ${levelZero}`, icd && `OpenCL in ${icd}`].filter(Boolean).join(', ')}`);
  return {
    id, status: 'warn',
    message: 'Intel\'s compute runtime is not installed: OpenCL, oneAPI/SYCL and torch XPU find no Intel GPU (video decoding is not affected)',
    fix: exam.os.kind === 'nixos' ? 'Add it: hardware.graphics.extraPackages = [ pkgs.intel-compute-runtime ]; then rebuild.' : 'Install intel-opencl-icd and the Level Zero GPU driver of your distribution.',
    ...(exam.os.kind === 'nixos' ? { action: option(exam, 'hardware.graphics.extraPackages') } : {}),
  };
};
