import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Machines for the doctor's tests, laid out in a temporary folder as a real one would be: store
 * paths with absolute links between them, /run/current-system, profiles, /proc and /sys files.
 */
export class FakeMachine {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-machine-'));

  /** A file at a machine path (parents made), with text and mode. */
  file(p: string, text = '', mode = 0o644): this {
    const host = this.into(p);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    fs.writeFileSync(host, text, { mode });
    fs.chmodSync(host, mode);
    return this;
  }

  dir(p: string): this {
    fs.mkdirSync(this.into(p), { recursive: true });
    return this;
  }

  /** A symbolic link at a machine path, to a target as written (absolute targets are the machine's). */
  link(p: string, target: string): this {
    const host = this.into(p);
    fs.mkdirSync(path.dirname(host), { recursive: true });
    fs.rmSync(host, { force: true });
    fs.symlinkSync(target, host);
    return this;
  }

  /** A store path name with a made-up hash: /nix/store/<32 chars>-name. */
  store(name: string): string {
    const hash = crypto.createHash('sha256').update(name).digest('hex').slice(0, 32).replace(/[eotu]/g, 'x');
    return `/nix/store/${hash}-${name}`;
  }

  /** The host path of a machine path, the machine's links followed (to write into store paths). */
  host(p: string): string {
    return path.join(this.root, p);
  }

  nixos(hostname = 'gpu-box', version = '25.11 (Xantusia)'): this {
    return this.file('/etc/os-release', `NAME=NixOS\nID=nixos\nVERSION_ID="${version.split(' ')[0]}"\nPRETTY_NAME="NixOS ${version}"\n`).file('/etc/hostname', `${hostname}\n`).dir('/nix/store');
  }

  debian(hostname = 'ubuntu-box'): this {
    return this.file('/etc/os-release', 'NAME="Debian GNU/Linux"\nID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n').file('/etc/hostname', `${hostname}\n`);
  }

  /** The NVIDIA driver package of a version: its libraries and kernel module, as store paths. */
  nvidiaPackage(version: string, open = false, kernel = '6.6.52'): { lib: string; module: string } {
    const lib = this.store(`nvidia-x11-${version}-${kernel}`);
    this.file(`${lib}/lib/libcuda.so.${version}`).link(`${lib}/lib/libcuda.so.1`, `libcuda.so.${version}`);
    this.file(`${lib}/lib/libnvidia-ml.so.${version}`).link(`${lib}/lib/libnvidia-ml.so.1`, `libnvidia-ml.so.${version}`);
    const mod = open ? this.store(`nvidia-open-${kernel}-${version}`) : lib;
    const ko = `${mod}/lib/modules/${kernel}/misc/nvidia.ko.xz`;
    this.file(ko);
    return { lib, module: ko };
  }

  /** System generation `n` with (or without) an NVIDIA driver; the profile link names it. */
  generation(n: number, driver?: { version: string; open?: boolean }, kernel = '6.6.52'): string {
    const system = this.store(`nixos-system-gpu-box-${n}`);
    const modules = this.store(`linux-${kernel}-modules-${n}`);
    this.dir(`${modules}/lib/modules/${kernel}/kernel`);
    if (driver) this.link(`${modules}/lib/modules/${kernel}/misc/nvidia.ko.xz`, this.nvidiaPackage(driver.version, driver.open, kernel).module);
    this.link(`${system}/kernel-modules`, modules).dir(`${system}/sw/bin`);
    this.link(`/nix/var/nix/profiles/system-${n}-link`, system);
    return system;
  }

  /** Generation `n` is the one running (and, unless `booted` says otherwise, the one booted). */
  current(n: number, booted = n): this {
    this.link('/nix/var/nix/profiles/system', `system-${n}-link`);
    this.link('/run/current-system', fs.readlinkSync(this.host(`/nix/var/nix/profiles/system-${n}-link`)));
    this.link('/run/booted-system', fs.readlinkSync(this.host(`/nix/var/nix/profiles/system-${booted}-link`)));
    return this;
  }

  /** /run/opengl-driver as hardware.graphics makes it, with the driver's libraries linked in (absolute links). */
  openglDriver(version?: string): this {
    const drivers = this.store(`graphics-drivers-${version ?? 'mesa'}`);
    this.dir(`${drivers}/lib`);
    if (version) {
      const { lib } = this.nvidiaPackage(version);
      for (const name of ['libcuda.so.1', 'libnvidia-ml.so.1']) this.link(`${drivers}/lib/${name}`, `${lib}/lib/${name}`);
    }
    return this.link('/run/opengl-driver', drivers);
  }

  /** A display controller on the PCI bus. */
  pci(slot: string, vendor: 'nvidia' | 'amd' | 'intel', driver?: string, device = '0x2684'): this {
    const ids = { nvidia: '0x10de', amd: '0x1002', intel: '0x8086' };
    const dir = `/sys/bus/pci/devices/${slot}`;
    this.file(`${dir}/class`, '0x030000\n').file(`${dir}/vendor`, `${ids[vendor]}\n`).file(`${dir}/device`, `${device}\n`);
    if (driver) this.dir(`/sys/bus/pci/drivers/${driver}`).link(`${dir}/driver`, `../../drivers/${driver}`);
    return this;
  }

  /** The NVIDIA kernel module as loaded: /proc and /sys say its version and kind. */
  loadedNvidia(version: string, open = false): this {
    const line = open ? `NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  ${version}  Release Build  (nixbld@localhost)` : `NVRM version: NVIDIA UNIX x86_64 Kernel Module  ${version}  Tue Jul  1 00:00:00 UTC 2025`;
    return this.file('/proc/driver/nvidia/version', `${line}\nGCC version:  gcc version 13.3.0 (GCC)\n`).file('/sys/module/nvidia/version', `${version}\n`);
  }

  /** A program at a machine path: a shell script standing in for the real one. */
  program(p: string, script: string): this {
    return this.file(p, `#!/bin/sh\n${script}\n`, 0o755);
  }

  /** Where to write a machine path: its folder with the machine's links followed (into the store). */
  private into(p: string): string {
    return path.join(this.realHost(path.posix.dirname(p)), path.posix.basename(p));
  }

  /** The host path of a machine folder, following the machine's links (into the store). */
  private realHost(p: string): string {
    let at = this.root;
    for (const part of p.split('/').filter(Boolean)) {
      at = path.join(at, part);
      let target: string | undefined;
      try {
        target = fs.readlinkSync(at);
      } catch {
        continue;
      }
      at = target.startsWith('/') ? path.join(this.root, target) : path.resolve(path.dirname(at), target);
    }
    return at;
  }

  users(user: string, groups: string[]): this {
    return this.file('/etc/passwd', `root:x:0:0::/root:/bin/sh\n${user}:x:1000:100::/home/${user}:/bin/sh\n`)
      .file('/etc/group', `root:x:0:\nusers:x:100:\n${['render:x:303', 'video:x:26'].map(g => `${g}:${groups.includes(g.split(':')[0]) ? user : ''}`).join('\n')}\n`);
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** The issue's machine: NixOS after a driver update, module 550.78 still loaded, 560.35.03 installed. */
export function afterDriverUpdate(): FakeMachine {
  const m = new FakeMachine().nixos();
  m.generation(41, { version: '550.78' });
  m.generation(42, { version: '560.35.03' });
  m.current(42, 41).openglDriver('560.35.03').pci('0000:01:00.0', 'nvidia', 'nvidia').loadedNvidia('550.78');
  return m;
}
