import * as path from 'path';
import { nixConf } from '../facts';
import { ok, option, skip, type CheckFn } from '../types';

/** Binary caches that hold nixpkgs' CUDA packages, with the keys that sign them. */
export const CUDA_CACHES = [
  { url: 'https://cache.nixos-cuda.org', key: 'cache.nixos-cuda.org:74DUi4Ye579gUqzH4ziL9IyiJBlDpMRn9MBN8oNan9M=' },
  { url: 'https://cuda-maintainers.cachix.org', key: 'cuda-maintainers.cachix.org-1:0dq3bujKpuEPMCX6U4WylrUDZ9JyUG0VpVZa7CNfq5E=' },
] as const;

const NIXOS_LINES = `nix.settings.extra-substituters = [ "${CUDA_CACHES[0].url}" ]; nix.settings.extra-trusted-public-keys = [ "${CUDA_CACHES[0].key}" ];`;

/** The nix.conf files Nix reads: the system's, and on the host the user's own. */
function confFiles(env: NodeJS.ProcessEnv, host: boolean): string[] {
  const files = [`${env.NIX_CONF_DIR && host ? env.NIX_CONF_DIR : '/etc/nix'}/nix.conf`];
  if (host) {
    const config = env.XDG_CONFIG_HOME || (env.HOME && path.join(env.HOME, '.config'));
    if (config) files.push(path.join(config, 'nix/nix.conf'));
  }
  return files;
}

/** Without a CUDA cache every CUDA package compiles for hours; without its key Nix ignores it. */
export const cudaCacheCheck: CheckFn = exam => {
  const id = 'cuda-cache';
  const wantsCuda = exam.nvidia || exam.host?.isTrue('nixpkgs.config.cudaSupport') === true;
  if (!wantsCuda) return skip(id, 'no NVIDIA GPU here and no CUDA in the host\'s configuration');
  if (exam.os.kind === 'macos') return skip(id, 'CUDA does not build on macOS');
  const conf = nixConf(exam.machine, confFiles(exam.env, exam.machine.isHost));
  const substituters = conf.get('substituters') ?? [];
  const keys = conf.get('trusted-public-keys') ?? [];
  const listed = CUDA_CACHES.filter(c => substituters.some(s => s.replace(/\/+$/, '') === c.url));
  const trusted = listed.filter(c => keys.includes(c.key));
  if (trusted.length) return ok(id, `${trusted.map(c => c.url).join(', ')} is a substituter, with its key trusted`);
  if (listed.length) {
    return {
      id, status: 'fail',
      message: `${listed.map(c => c.url).join(', ')} is a substituter, but its key is not in trusted-public-keys: Nix ignores what it offers and builds CUDA from source`,
      fix: exam.os.kind === 'nixos' ? `Add the key: nix.settings.extra-trusted-public-keys = [ "${listed[0].key}" ];` : `Add to /etc/nix/nix.conf: extra-trusted-public-keys = ${listed[0].key}`,
      action: option(exam, 'nix.settings.trusted-public-keys'),
    };
  }
  return {
    id, status: 'warn',
    message: 'no CUDA binary cache among nix.conf\'s substituters: every CUDA package (torch, ollama-cuda, cudnn) is compiled here, which takes hours',
    fix: exam.os.kind === 'nixos' ? `Add the cache: ${NIXOS_LINES}` : `Add to /etc/nix/nix.conf: extra-substituters = ${CUDA_CACHES[0].url} and extra-trusted-public-keys = ${CUDA_CACHES[0].key}, then restart nix-daemon.`,
    action: option(exam, 'nix.settings.substituters'),
  };
};
