import { ok, option, skip, type CheckFn, type FixAction } from '../types';
import { nvidiaCdiSpecs } from './containers';

/** The workspace's configuration of this host, compared with what the machine runs. */
export const hostConfigCheck: CheckFn = exam => {
  const id = 'host-config';
  if (!exam.workspace) return skip(id, 'no workspace folder given (--workspace)');
  const hostname = exam.machine.hostname();
  if (!exam.host) return skip(id, `the workspace has no NixOS configuration named ${hostname ? `"${hostname}"` : 'after this host'}`);
  const h = exam.host;
  const differences: Array<{ text: string; action?: FixAction }> = [];
  const nvidiaGpu = exam.gpus.some(g => g.vendor === 'nvidia');
  const nvidiaDriver = h.listHas('services.xserver.videoDrivers', 'nvidia');
  const datacenter = h.isTrue('hardware.nvidia.datacenter.enable');
  const wantsNvidia = nvidiaDriver === true || datacenter === true;
  if (wantsNvidia && !nvidiaGpu && !exam.loaded) differences.push({ text: 'it loads the NVIDIA driver, but this machine has no NVIDIA GPU' });
  else if (wantsNvidia && !exam.loaded) differences.push({ text: 'it loads the NVIDIA driver, but no NVIDIA module runs: switch to it and reboot', action: { kind: 'rebuild' } });
  if (nvidiaGpu && nvidiaDriver === false && datacenter === false) {
    differences.push({ text: 'this machine has an NVIDIA GPU, but the configuration loads no NVIDIA driver (services.xserver.videoDrivers)', action: option(exam, 'services.xserver.videoDrivers') });
  }
  if (h.isTrue('nixpkgs.config.cudaSupport') === true && !exam.nvidia) differences.push({ text: 'it builds packages with CUDA, but this machine has no NVIDIA GPU', action: option(exam, 'nixpkgs.config.cudaSupport') });
  if (h.isTrue('nixpkgs.config.rocmSupport') === true && !exam.gpus.some(g => g.vendor === 'amd')) differences.push({ text: 'it builds packages with ROCm, but this machine has no AMD GPU', action: option(exam, 'nixpkgs.config.rocmSupport') });
  if (h.isTrue('hardware.graphics.enable') === true && !exam.machine.exists('/run/opengl-driver')) differences.push({ text: 'it enables hardware.graphics, but /run/opengl-driver does not exist: the running system is older', action: { kind: 'rebuild' } });
  if (h.isTrue('hardware.nvidia-container-toolkit.enable') === true && exam.nvidia && !nvidiaCdiSpecs(exam).length) differences.push({ text: 'it enables the NVIDIA container toolkit, but no CDI spec exists: the running system is older', action: { kind: 'rebuild' } });
  if (h.isTrue('programs.nix-ld.enable') === true && !exam.machine.exists('/run/current-system/sw/share/nix-ld')) differences.push({ text: 'it enables nix-ld, but the running system has none', action: { kind: 'rebuild' } });
  if (!differences.length) return ok(id, `what runs agrees with ${h.description} on the GPU settings it makes`);
  return {
    id, status: 'warn',
    message: `${h.description} differs from what runs: ${differences.map(d => d.text).join('; ')}`,
    fix: differences.some(d => d.action?.kind === 'rebuild') ? 'Rebuild and switch to the configuration (then reboot when the driver changed).' : 'Change the configuration where it is wrong for this machine.',
    ...(differences.find(d => d.action) ? { action: differences.find(d => d.action)!.action } : {}),
  };
};
