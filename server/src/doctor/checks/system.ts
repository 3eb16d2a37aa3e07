import * as path from 'path';
import type { RunResult } from '../../util/run';
import { generationOf, storeName } from '../facts';
import { ok, skip, type CheckFn } from '../types';

/** The operating system, and on NixOS the generation that runs and the one that booted. */
export const osCheck: CheckFn = exam => {
  const { os, machine } = exam;
  if (os.kind === 'other') return { id: 'os', status: 'warn', message: `no operating system found under ${machine.root} (no /etc/os-release, /proc or /sys)`, fix: 'Point --root at the folder a machine\'s disk is mounted on.' };
  if (os.kind !== 'nixos') return ok('os', os.kind === 'linux' && machine.exists('/nix/store') ? `${os.name}, with Nix` : os.name);
  const current = generationOf(machine, '/run/current-system', exam.generations);
  const booted = generationOf(machine, '/run/booted-system', exam.generations);
  const parts = [os.name];
  if (current) parts.push(`generation ${current.number} running`);
  if (booted && booted.number !== current?.number) parts.push(`generation ${booted.number} booted`);
  return ok('os', parts.join(', '));
};

/** The Nix a store path name or `nix --version` shows: Nix, Determinate Nix or Lix, with its version. */
export function nixFlavour(text: string): string | undefined {
  const determinate = /Determinate Nix\)?\s*([\d.]+)|determinate-nix-([\d.]+\d)/i.exec(text);
  if (determinate) return `Determinate Nix ${determinate[1] ?? determinate[2]}`;
  const lix = /\bLix\b.*?\)\s*([\d.]+\d)|lix-([\d.]+\d)/i.exec(text);
  if (lix) return `Lix ${lix[1] ?? lix[2]}`;
  const nix = /\(Nix\)\s*([\d.]+\d)|(?:^|-)nix-([\d.]+\d)/.exec(text);
  if (nix) return `Nix ${nix[1] ?? nix[2]}`;
  return undefined;
}

/**
 * Which Nix the machine has: `nix --version` where programs run (it names Determinate Nix and
 * Lix itself), else the name of the store path the system's nix lives in.
 */
export const nixCheck: CheckFn = async exam => {
  const { machine } = exam;
  const ran = await exam.run('nix', ['--version']);
  const said = ran.result?.kind === 'ok' ? nixFlavour(ran.result.stdout) : undefined;
  if (said) return ok('nix', `${said} (${ran.path})`);
  for (const p of ['/run/current-system/sw/bin/nix', '/nix/var/nix/profiles/default/bin/nix']) {
    const real = machine.resolve(p);
    const store = real && storeName(real);
    const flavour = store && nixFlavour(store);
    if (flavour) return ok('nix', `${flavour} (${path.posix.dirname(p)})`);
  }
  if (ran.result?.kind === 'ok') return ok('nix', `${ran.result.stdout.trim() || 'nix'} (${ran.path})`);
  if (!ran.path) {
    if (exam.os.kind === 'macos' || exam.os.kind === 'linux' || exam.os.kind === 'nixos') return { id: 'nix', status: 'warn', message: 'Nix was not found on this machine', fix: 'Install Nix (or Lix, or Determinate Nix), then open a new shell so it is on PATH.' };
    return skip('nix', 'no Nix found');
  }
  if (!ran.result) return ok('nix', `nix is installed (${ran.path}); its version is read by running it, which --root does not`);
  return { id: 'nix', status: 'warn', message: `${ran.path} --version did not answer: ${describe(ran.result as Exclude<RunResult, { kind: 'ok' }>)}`, fix: 'Check the Nix installation: run nix --version in a terminal.' };
};

export const floxCheck: CheckFn = async exam => {
  const ran = await exam.run('flox', ['--version']);
  if (!ran.path) return skip('flox', 'flox is not installed');
  if (!ran.result) return ok('flox', `flox is installed (${ran.path})`);
  if (ran.result.kind !== 'ok') return { id: 'flox', status: 'warn', message: `flox is installed (${ran.path}) but flox --version failed: ${describe(ran.result)}`, fix: 'Reinstall flox, or remove it from PATH.' };
  return ok('flox', `flox ${ran.result.stdout.trim().replace(/^flox\s*/i, '')}`);
};

/** The GPUs on the PCI bus and the drivers bound to them. */
export const gpuCheck: CheckFn = exam => {
  if (exam.os.kind === 'macos') return ok('gpu', 'an Apple GPU, used through Metal');
  if (!exam.gpus.length && !exam.loaded) {
    return skip('gpu', 'no GPU found on this machine (no display controller on the PCI bus): the GPU checks do not apply');
  }
  const names = exam.gpus.map(g => `${g.vendor === 'other' ? 'a GPU' : VENDOR_NAME[g.vendor]} ${g.id} at ${g.slot} (${g.driver ? `driver ${g.driver}` : 'no driver bound'})`);
  if (!exam.gpus.length) names.push('an NVIDIA kernel module, with no NVIDIA device on the PCI bus (a container or a passed-through GPU)');
  const unbound = exam.gpus.filter(g => !g.driver && g.vendor !== 'other');
  if (unbound.length) {
    return { id: 'gpu', status: 'warn', message: `${names.join('; ')}: no kernel driver has taken ${unbound.map(g => g.slot).join(', ')}`, fix: 'Load the vendor\'s driver: on NixOS set services.xserver.videoDrivers (NVIDIA) or hardware.amdgpu.initrd.enable / boot.initrd.kernelModules (AMD, Intel), rebuild and reboot.' };
  }
  return ok('gpu', names.join('; '));
};

export const VENDOR_NAME = { nvidia: 'NVIDIA', amd: 'AMD', intel: 'Intel' } as const;

/** A program's failure in one line. */
export function describe(r: Exclude<RunResult, { kind: 'ok' }>): string {
  switch (r.kind) {
    case 'timeout': return `no answer within ${r.afterMs < 1000 ? `${r.afterMs} ms` : `${Math.round(r.afterMs / 1000)} s`}`;
    case 'failed': return `exit ${r.code}: ${(r.stderr.trim() || r.stdout.trim()).split('\n')[0] || 'no output'}`;
    case 'missing': return 'not installed';
    case 'memory': return `stopped past ${r.limitMb} MB`;
    case 'cancelled': return 'cancelled';
  }
}

