import { generationOf } from '../facts';
import { ok, option, skip, type CheckFn } from '../types';
import { describe } from './system';

const NO_NVIDIA = 'no NVIDIA GPU on this machine';

/** How to bring the NVIDIA driver into a NixOS configuration. */
const NIXOS_DRIVER_FIX = 'Add the driver: services.xserver.videoDrivers = [ "nvidia" ]; (or hardware.nvidia.datacenter.enable = true; on a headless data-center GPU), then rebuild and reboot.';

/** The loaded kernel module against the driver libraries programs load, and the booted system. */
export const nvidiaModuleCheck: CheckFn = exam => {
  const id = 'nvidia-module';
  if (!exam.nvidia) return skip(id, NO_NVIDIA);
  const { loaded, libs, machine } = exam;
  if (!loaded?.version) {
    const nouveau = machine.exists('/sys/module/nouveau') ? ' (nouveau, the free driver, has the card)' : '';
    if (loaded) return { id, status: 'warn', message: 'an NVIDIA kernel module is loaded but its version cannot be read from /proc/driver/nvidia/version or /sys/module/nvidia/version', fix: 'Run nvidia-smi to see the version the kernel reports.' };
    if (exam.os.kind !== 'nixos') return { id, status: 'fail', message: `the NVIDIA kernel module is not loaded${nouveau}`, fix: 'Install the NVIDIA driver of your distribution, then reboot.' };
    const waiting = exam.currentModule?.version;
    return waiting
      ? { id, status: 'fail', message: `the NVIDIA kernel module is not loaded${nouveau}, though the current system carries ${waiting}`, fix: `Reboot to load the ${waiting} module.`, action: { kind: 'reboot' } }
      : { id, status: 'fail', message: `the NVIDIA kernel module is not loaded${nouveau}, and the current system carries none`, fix: NIXOS_DRIVER_FIX, action: option(exam, 'services.xserver.videoDrivers') };
  }
  const running = loaded.version;
  const userland = libs.version ?? exam.currentModule?.version;
  const where = libs.version ? (exam.os.kind === 'nixos' ? '/run/opengl-driver' : 'the system\'s libraries') : 'the current system';
  if (!userland) return ok(id, `kernel module ${running} loaded (no driver libraries to compare it with)`);
  if (userland === running) return ok(id, `kernel module ${running} matches the driver in ${where}`);
  const message = [`the loaded kernel module is ${running}, but the driver in ${where} is ${userland}: CUDA programs and nvidia-smi fail with "driver/library version mismatch" until both are the same`];
  const booted = generationOf(machine, '/run/booted-system', exam.generations);
  const current = generationOf(machine, '/run/current-system', exam.generations);
  if (booted && current && booted.number !== current.number && exam.bootedModule?.version === running) {
    message.push(`(generation ${booted.number} booted with ${running}; generation ${current.number} runs now with ${userland})`);
  }
  const fix = [`Reboot to load the ${userland} module.`];
  const back = [...exam.generations].reverse().find(g => g.number !== current?.number && exam.moduleOf(g.link)?.version === running);
  if (back) {
    fix.push(current && back.number === current.number - 1
      ? `Or go back to generation ${back.number}, which has ${running}, without a reboot: sudo nixos-rebuild switch --rollback`
      : `Or go back to generation ${back.number}, which has ${running}, without a reboot: sudo nix-env --profile /nix/var/nix/profiles/system --switch-generation ${back.number} && sudo /nix/var/nix/profiles/system/bin/switch-to-configuration switch`);
  }
  return { id, status: 'fail', message: message.join(' '), fix: fix.join(' '), action: { kind: 'reboot' } };
};

/** The open or the closed kernel module: what is loaded against what the system and the workspace configure. */
export const nvidiaOpenCheck: CheckFn = exam => {
  const id = 'nvidia-open';
  if (!exam.nvidia) return skip(id, NO_NVIDIA);
  const open = exam.loaded?.open;
  if (open === undefined) return skip(id, 'no NVIDIA module loaded, or its kind is not shown in /proc/driver/nvidia/version');
  const kind = (o: boolean) => (o ? 'the open kernel module' : 'NVIDIA\'s closed kernel module');
  const configured = exam.host?.isTrue('hardware.nvidia.open');
  if (configured !== undefined && configured !== 'unknown' && configured !== open) {
    const rebuilt = exam.currentModule && exam.currentModule.open === configured;
    return {
      id, status: 'warn',
      message: `${kind(open)} is loaded, but ${exam.host!.description} sets hardware.nvidia.open = ${configured}${rebuilt ? ' and the current system has it' : ''}`,
      fix: rebuilt ? 'Reboot to load the module the current system carries.' : 'Rebuild and switch to the configuration, then reboot.',
      action: rebuilt ? { kind: 'reboot' } : { kind: 'rebuild' },
    };
  }
  if (exam.currentModule && exam.currentModule.open !== open) {
    return { id, status: 'warn', message: `${kind(open)} is loaded, but the current system carries ${kind(exam.currentModule.open)}`, fix: 'Reboot to load the module the current system carries.', action: { kind: 'reboot' } };
  }
  return ok(id, `${kind(open)} is loaded${configured === open ? ', as the workspace configures it' : ''}`);
};

/** libcuda.so.1, which every CUDA program loads from the driver. */
export const libcudaCheck: CheckFn = exam => {
  const id = 'libcuda';
  if (!exam.nvidia) return skip(id, NO_NVIDIA);
  const { libs, machine } = exam;
  if (libs.libcuda) return ok(id, `${libs.libcuda}${libs.version ? ` (driver ${libs.version})` : ''}`);
  if (exam.os.kind === 'nixos') {
    if (!machine.exists('/run/opengl-driver')) {
      return { id, status: 'fail', message: '/run/opengl-driver does not exist: hardware.graphics is off, so CUDA, Vulkan and VA-API programs cannot find the driver', fix: 'Set hardware.graphics.enable = true; then rebuild.', action: option(exam, 'hardware.graphics.enable') };
    }
    return { id, status: 'fail', message: 'no libcuda.so.1 in /run/opengl-driver/lib: the NVIDIA driver is not among the graphics drivers', fix: NIXOS_DRIVER_FIX, action: option(exam, 'services.xserver.videoDrivers') };
  }
  return { id, status: 'fail', message: `no libcuda.so.1 in ${exam.libDirs.join(', ')}`, fix: 'Install the CUDA library of your distribution\'s NVIDIA driver (libcuda1, nvidia-utils or the like).' };
};

/** nvidia-smi answers, within the doctor's timeout. */
export const nvidiaSmiCheck: CheckFn = async exam => {
  const id = 'nvidia-smi';
  if (!exam.nvidia) return skip(id, NO_NVIDIA);
  const ran = await exam.run('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader']);
  if (!ran.path) {
    return { id, status: 'warn', message: 'nvidia-smi is not installed', fix: exam.os.kind === 'nixos' ? 'It comes with the driver: it is installed once services.xserver.videoDrivers has "nvidia" (or hardware.nvidia.datacenter.enable is set).' : 'Install your distribution\'s NVIDIA utilities.' };
  }
  const r = ran.result;
  if (!r) return skip(id, `${ran.path} was not run: under --root it would talk to this computer's driver, not the disk's (--run-programs runs it anyway)`);
  if (r.kind === 'ok') {
    const gpus = r.stdout.split('\n').map(l => l.trim()).filter(Boolean).map(l => l.split(/\s*,\s*/));
    return ok(id, `nvidia-smi answers: ${gpus.map(([name, version]) => `${name}${version ? ` (driver ${version})` : ''}`).join('; ') || 'no GPU listed'}`);
  }
  if (r.kind === 'timeout') {
    return { id, status: 'fail', message: `nvidia-smi (${ran.path}) gave ${describe(r)}: the driver may be stuck`, fix: 'Look for "Xid" errors in journalctl -k, then reboot; if it hangs again, check the GPU\'s power and seating.', action: { kind: 'reboot' } };
  }
  const output = r.kind === 'failed' ? `${r.stdout}\n${r.stderr}` : '';
  if (/mismatch/i.test(output)) {
    return { id, status: 'fail', message: `nvidia-smi: ${output.trim().split('\n').find(l => /mismatch/i.test(l))!.trim()}`, fix: 'The loaded kernel module and the driver libraries differ: reboot (see nvidia-module).', action: { kind: 'reboot' } };
  }
  return { id, status: 'fail', message: `nvidia-smi (${ran.path}) failed: ${describe(r)}`, fix: 'Check that the NVIDIA module is loaded (nvidia-module) and read the kernel log: journalctl -k | grep -i nvidia.' };
};
