import { findProgram } from '../machine';
import { ok, option, skip, type CheckFn, type Exam } from '../types';

const CDI_DIRS = ['/run/cdi', '/var/run/cdi', '/etc/cdi'];

/** The CDI spec files that describe NVIDIA GPUs (nvidia.com/gpu), by machine path. */
export function nvidiaCdiSpecs(exam: Exam): string[] {
  const out: string[] = [];
  for (const dir of CDI_DIRS) {
    for (const name of exam.machine.list(dir)) {
      if (!/\.(json|ya?ml)$/.test(name)) continue;
      if (/nvidia\.com\/gpu|"kind":\s*"nvidia\.com/.test(exam.machine.read(`${dir}/${name}`) ?? '')) out.push(`${dir}/${name}`);
    }
  }
  return [...new Set(out)];
}

/** The container engines the machine has: programs, or their sockets. */
function engines(exam: Exam): string[] {
  const has = (name: string, socket: string) => findProgram(exam.machine, name, exam.env) || exam.machine.exists(socket);
  return [has('docker', '/run/docker.sock') && 'docker', has('podman', '/run/podman/podman.sock') && 'podman'].filter((e): e is string => !!e);
}

const NIXOS_TOOLKIT = 'hardware.nvidia-container-toolkit.enable = true;';

/** Docker and podman reach an NVIDIA GPU through the container toolkit's CDI spec. */
export const containerCdiCheck: CheckFn = exam => {
  const id = 'container-cdi';
  if (!exam.nvidia) return skip(id, 'no NVIDIA GPU on this machine');
  const found = engines(exam);
  if (!found.length) return skip(id, 'neither docker nor podman is installed');
  const specs = nvidiaCdiSpecs(exam);
  if (specs.length) return ok(id, `${found.join(' and ')} can reach the GPU: CDI spec ${specs.join(', ')} (run with --device nvidia.com/gpu=all)`);
  return {
    id, status: 'fail',
    message: `${found.join(' and ')} ${found.length > 1 ? 'are' : 'is'} installed, but no CDI spec names nvidia.com/gpu in ${CDI_DIRS.join(', ')}: containers started with --device nvidia.com/gpu=all (or docker --gpus) fail`,
    fix: exam.os.kind === 'nixos' ? `Set ${NIXOS_TOOLKIT} (it replaces virtualisation.docker.enableNvidia), rebuild, then check /run/cdi.` : 'Generate the spec: sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml',
    ...(exam.os.kind === 'nixos' ? { action: option(exam, 'hardware.nvidia-container-toolkit.enable') } : {}),
  };
};

/**
 * Distrobox, the usual padded cell for software that fights Nix's purity (DaVinci Resolve and the
 * like): can its containers reach the GPU?
 */
export const distroboxCheck: CheckFn = exam => {
  const id = 'distrobox-gpu';
  if (!findProgram(exam.machine, 'distrobox', exam.env)) return skip(id, 'distrobox is not installed');
  if (!exam.gpus.length && !exam.nvidia) return skip(id, 'no GPU on this machine');
  if (!exam.nvidia) return ok(id, 'distrobox passes /dev/dri (and /dev/kfd) into its containers: AMD and Intel GPUs work in them');
  const specs = nvidiaCdiSpecs(exam);
  if (specs.length) return ok(id, `boxes reach the NVIDIA GPU through CDI (${specs[0]}): create them with distrobox create --additional-flags "--device nvidia.com/gpu=all"`);
  if (exam.os.kind !== 'nixos') return ok(id, 'distrobox create --nvidia shares the host\'s driver libraries with a box');
  return {
    id, status: 'warn',
    message: 'distrobox is installed but its boxes cannot reach the NVIDIA GPU: --nvidia looks for the driver in the host\'s usual folders, where NixOS keeps none, and there is no CDI spec',
    fix: `Set ${NIXOS_TOOLKIT} virtualisation.podman.enable = true; then create boxes with distrobox create --additional-flags "--device nvidia.com/gpu=all"`,
    action: option(exam, 'hardware.nvidia-container-toolkit.enable'),
  };
};
