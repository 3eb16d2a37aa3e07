import * as path from 'path';
import type { Machine } from './machine';

/** What the doctor reads off a machine, each fact read once by the checks that need it. */

export interface OsInfo {
  kind: 'nixos' | 'linux' | 'macos' | 'other';
  /** "NixOS 25.11 (Xantusia)", "Debian GNU/Linux 12 (bookworm)", "macOS 15.1". */
  name: string;
}

export function osInfo(m: Machine, platform: NodeJS.Platform): OsInfo {
  const plist = m.read('/System/Library/CoreServices/SystemVersion.plist');
  if (plist || (m.isHost && platform === 'darwin')) {
    const version = plist && /<key>ProductVersion<\/key>\s*<string>([^<]+)<\/string>/.exec(plist)?.[1];
    return { kind: 'macos', name: version ? `macOS ${version}` : 'macOS' };
  }
  const release = m.read('/etc/os-release') ?? m.read('/usr/lib/os-release');
  const field = (key: string) => release && new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(release)?.[1];
  const id = field('ID');
  const name = field('PRETTY_NAME') || field('NAME') || (m.exists('/proc') || m.exists('/sys') ? 'Linux' : 'unknown');
  if (id === 'nixos') return { kind: 'nixos', name };
  if (release || m.exists('/proc') || m.exists('/sys')) return { kind: 'linux', name };
  return { kind: 'other', name };
}

export type Vendor = 'nvidia' | 'amd' | 'intel' | 'other';

/** A display controller on the PCI bus (VGA, 3D or other), with the kernel driver bound to it. */
export interface Gpu {
  slot: string;
  vendor: Vendor;
  /** "10de:2684" */
  id: string;
  driver?: string;
}

const VENDORS: Record<string, Vendor> = { '0x10de': 'nvidia', '0x1002': 'amd', '0x8086': 'intel' };

export function gpus(m: Machine): Gpu[] {
  const out: Gpu[] = [];
  for (const slot of m.list('/sys/bus/pci/devices')) {
    const dir = `/sys/bus/pci/devices/${slot}`;
    // class 0x03xxxx: display controllers (VGA, XGA, 3D, other)
    if (!/^0x03/.test(m.read(`${dir}/class`)?.trim() ?? '')) continue;
    const vendor = m.read(`${dir}/vendor`)?.trim() ?? '';
    const device = m.read(`${dir}/device`)?.trim() ?? '';
    const driver = m.resolve(`${dir}/driver`);
    out.push({ slot, vendor: VENDORS[vendor] ?? 'other', id: `${vendor.replace(/^0x/, '')}:${device.replace(/^0x/, '')}`, ...(driver ? { driver: path.posix.basename(driver) } : {}) });
  }
  return out;
}

/** A driver version in a file or store path name: 550.78, 560.35.03 (never a kernel's 6.6.52). */
export function driverVersionIn(name: string): string | undefined {
  const lib = /\.so\.(\d{3}\.\d+(?:\.\d+)?)$/.exec(name);
  if (lib) return lib[1];
  return name.match(/\d+\.\d+(?:\.\d+)?/g)?.find(v => Number(v.split('.')[0]) >= 100);
}

/** The NVIDIA kernel module as the running kernel has it loaded. */
export interface LoadedNvidia {
  version?: string;
  /** The open kernel module (true), NVIDIA's closed one (false), or not known. */
  open?: boolean;
}

export function loadedNvidia(m: Machine): LoadedNvidia | undefined {
  const proc = m.read('/proc/driver/nvidia/version');
  const sys = m.read('/sys/module/nvidia/version')?.trim();
  if (!proc && !sys && !m.exists('/sys/module/nvidia')) return undefined;
  const line = proc?.split('\n').find(l => l.startsWith('NVRM')) ?? '';
  const version = sys || /\s(\d{3}\.\d+(?:\.\d+)?)\s/.exec(line)?.[1];
  return { ...(version ? { version } : {}), ...(line ? { open: /Open Kernel Module/i.test(line) } : {}) };
}

/** The NVIDIA driver's user-space libraries: where libcuda.so.1 is, and its version. */
export interface DriverLibs {
  /** The machine path of libcuda.so.1, when there is one. */
  libcuda?: string;
  version?: string;
}

/** Folders other Linux systems keep the driver's libraries in. */
export const HOST_LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/lib/wsl/lib'];

export function driverLibs(m: Machine, dirs: readonly string[]): DriverLibs {
  for (const dir of dirs) {
    for (const name of ['libcuda.so.1', 'libcuda.so']) {
      const real = m.resolve(`${dir}/${name}`);
      if (!real) continue;
      const store = storeName(real);
      const version = driverVersionIn(path.posix.basename(real)) ?? (store && driverVersionIn(store));
      return { libcuda: `${dir}/${name}`, ...(version ? { version } : {}) };
    }
  }
  // no libcuda, but the management library names the version all the same
  for (const dir of dirs) {
    const real = m.resolve(`${dir}/libnvidia-ml.so.1`);
    const version = real && driverVersionIn(path.posix.basename(real));
    if (version) return { version };
  }
  return {};
}

/** The name of the store path `p` lies in ("nvidia-x11-550.78-6.6.30"), or undefined outside the store. */
export function storeName(p: string): string | undefined {
  return /^\/nix\/store\/[0-9a-z]{32}-([^/]+)/.exec(p)?.[1];
}

/** The NVIDIA kernel module a NixOS system generation carries. */
export interface SystemModule {
  version?: string;
  open: boolean;
}

const MODULE_DIRS = ['misc', 'extra', 'updates', 'kernel/drivers/video'];

export function systemModule(m: Machine, system: string): SystemModule | undefined {
  for (const kernel of m.list(`${system}/kernel-modules/lib/modules`)) {
    for (const dir of MODULE_DIRS) {
      for (const name of ['nvidia.ko', 'nvidia.ko.xz', 'nvidia.ko.zst']) {
        const real = m.resolve(`${system}/kernel-modules/lib/modules/${kernel}/${dir}/${name}`);
        if (!real) continue;
        const store = storeName(real) ?? '';
        return { version: driverVersionIn(store), open: /nvidia-open/.test(store) };
      }
    }
  }
  return undefined;
}

/** A NixOS system generation (`/nix/var/nix/profiles/system-N-link`). */
export interface Generation {
  number: number;
  link: string;
  /** The store path it is. */
  target?: string;
}

export function generations(m: Machine): Generation[] {
  const out: Generation[] = [];
  for (const name of m.list('/nix/var/nix/profiles')) {
    const g = /^system-(\d+)-link$/.exec(name);
    if (!g) continue;
    const link = `/nix/var/nix/profiles/${name}`;
    out.push({ number: Number(g[1]), link, target: m.resolve(link) });
  }
  return out.sort((a, b) => a.number - b.number);
}

/** The generation a system path (/run/current-system, /run/booted-system) is. */
export function generationOf(m: Machine, system: string, all = generations(m)): Generation | undefined {
  const target = m.resolve(system);
  return target ? all.find(g => g.target === target) : undefined;
}

/** nix.conf's settings, `include` and `!include` followed, `extra-` values added to their setting. */
export function nixConf(m: Machine, files: readonly string[]): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  const seen = new Set<string>();
  const readFile = (file: string, required: boolean) => {
    if (seen.has(file) || seen.size > 20) return;
    seen.add(file);
    const text = m.read(file);
    if (text === undefined) return void required;
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      const inc = /^(!?)include\s+(\S+)$/.exec(line);
      if (inc) {
        readFile(path.posix.resolve(path.posix.dirname(file), inc[2]), inc[1] !== '!');
        continue;
      }
      const kv = /^([\w-]+)\s*=\s*(.*)$/.exec(line);
      if (!kv) continue;
      const extra = kv[1].startsWith('extra-');
      const key = extra ? kv[1].slice(6) : kv[1];
      const values = kv[2].split(/\s+/).filter(Boolean);
      settings.set(key, extra ? [...(settings.get(key) ?? []), ...values] : values);
    }
  };
  for (const f of files) readFile(f, false);
  return settings;
}

/** The groups a user is in: the primary one from /etc/passwd, and those that list the user. */
export function groupsOf(m: Machine, user: string): Set<string> {
  const out = new Set<string>();
  const passwd = m.read('/etc/passwd') ?? '';
  const gid = passwd.split('\n').map(l => l.split(':')).find(f => f[0] === user)?.[3];
  for (const line of (m.read('/etc/group') ?? '').split('\n')) {
    const [name, , id, members] = line.split(':');
    if (!name) continue;
    if (id === gid || (members ?? '').split(',').includes(user)) out.add(name);
  }
  return out;
}

/** The gfx targets of the AMD GPUs the kernel's compute driver (KFD) lists: "gfx1030", "gfx90a". */
export function gfxTargets(m: Machine): string[] {
  const out: string[] = [];
  const dir = '/sys/class/kfd/kfd/topology/nodes';
  for (const node of m.list(dir)) {
    const v = Number(/^gfx_target_version\s+(\d+)/m.exec(m.read(`${dir}/${node}/properties`) ?? '')?.[1] ?? 0);
    if (v) out.push(gfxName(v));
  }
  return [...new Set(out)];
}

/** KFD's number (major·10000 + minor·100 + stepping) as the name ROCm uses: 90010 is gfx90a. */
export function gfxName(v: number): string {
  const major = Math.floor(v / 10000);
  const minor = Math.floor(v / 100) % 100;
  return `gfx${major}${minor.toString(16)}${(v % 100).toString(16)}`;
}
