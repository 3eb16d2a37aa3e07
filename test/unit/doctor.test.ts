import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, describe, test } from 'node:test';
import { runDoctor, exitCode, formatDoctorText, type DoctorOptions } from '../../server/src/doctor/doctor';
import { gfxName } from '../../server/src/doctor/facts';
import { Machine } from '../../server/src/doctor/machine';
import { nixFlavour } from '../../server/src/doctor/checks/system';
import type { Check } from '../../server/src/doctor/types';
import { afterDriverUpdate, FakeMachine } from '../doctorMachines';
import { parser } from '../helpers';

const made: FakeMachine[] = [];
after(() => made.forEach(m => m.remove()));

function machine(): FakeMachine {
  const m = new FakeMachine();
  made.push(m);
  return m;
}

/** One check of a doctor run on a fake machine (the shell's environment empty unless given). */
async function check(m: FakeMachine, id: string, opts: DoctorOptions = {}): Promise<Check> {
  const report = await runDoctor({ root: m.root, env: {}, user: 'alice', timeoutMs: 2000, runPrograms: true, ...opts });
  const c = report.checks.find(x => x.id === id);
  assert.ok(c, `no check ${id}`);
  return c;
}

/** A NixOS box with a working NVIDIA driver of one version. */
function healthyNvidia(version = '560.35.03', open = false): FakeMachine {
  const m = machine().nixos();
  m.generation(42, { version, open });
  return m.current(42).openglDriver(version).pci('0000:01:00.0', 'nvidia', 'nvidia').loadedNvidia(version, open);
}

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-doctor-ws-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  made.push({ remove: () => fs.rmSync(dir, { recursive: true, force: true }) } as FakeMachine);
  return dir;
}

describe('reading a machine under a root', () => {
  test('absolute links resolve inside the root, loops end', () => {
    const m = machine().link('/run/current-system', '/nix/store/abc-system').file('/nix/store/abc-system/sw/bin/nix', '', 0o755);
    m.link('/a', '/b').link('/b', '/a');
    const r = new Machine(m.root);
    assert.equal(r.resolve('/run/current-system/sw/bin/nix'), '/nix/store/abc-system/sw/bin/nix');
    assert.equal(r.resolve('/a'), undefined);
    assert.equal(r.resolve('/nowhere'), undefined);
  });

  test("KFD's numbers name gfx targets as ROCm does", () => {
    assert.deepEqual([100300, 110000, 90010, 90402].map(gfxName), ['gfx1030', 'gfx1100', 'gfx90a', 'gfx942']);
  });

  test('Nix, Lix and Determinate Nix are told apart', () => {
    assert.equal(nixFlavour('nix (Nix) 2.24.10'), 'Nix 2.24.10');
    assert.equal(nixFlavour('nix (Lix, like Nix) 2.91.1'), 'Lix 2.91.1');
    assert.equal(nixFlavour('nix (Determinate Nix 3.6.2) 2.29.0'), 'Determinate Nix 3.6.2');
    assert.equal(nixFlavour('/nix/store/0123456789abcdfghijklmnpqrsvwxyz-lix-2.91.1'), 'Lix 2.91.1');
    assert.equal(nixFlavour('/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nix-2.24.10'), 'Nix 2.24.10');
  });
});

describe('system checks', () => {
  test('os: the NixOS generation running and the one booted', async () => {
    const m = afterDriverUpdate();
    made.push(m);
    const c = await check(m, 'os');
    assert.equal(c.status, 'ok');
    assert.match(c.message, /NixOS 25\.11.*generation 42 running.*generation 41 booted/);
  });

  test('os: an empty folder is no machine', async () => {
    const c = await check(machine(), 'os');
    assert.equal(c.status, 'warn');
    assert.match(c.message, /no operating system/);
  });

  test("nix: what nix --version says, else the store path of the system's nix; or missing", async () => {
    const m = healthyNvidia();
    const nix = m.store('nix-2.29.0');
    m.program(`${nix}/bin/nix`, 'echo "nix (Determinate Nix 3.6.2) 2.29.0"').link('/run/current-system/sw/bin/nix', `${nix}/bin/nix`);
    assert.equal((await check(m, 'nix')).message, 'Determinate Nix 3.6.2 (/run/current-system/sw/bin/nix)');
    // under --root it is not run: the store path's name says which
    assert.equal((await check(m, 'nix', { runPrograms: undefined })).message, 'Nix 2.29.0 (/run/current-system/sw/bin)');
    const bare = machine().debian();
    assert.equal((await check(bare, 'nix')).status, 'warn');
  });

  test('flox: its version when installed, skipped otherwise', async () => {
    const m = machine().debian().program('/usr/bin/flox', 'echo 1.3.4');
    assert.deepEqual(await check(m, 'flox'), { id: 'flox', status: 'ok', message: 'flox 1.3.4', fix: '' });
    assert.equal((await check(machine().debian(), 'flox')).status, 'skip');
  });

  test('gpu: each display controller with its driver; one without a driver warns', async () => {
    const good = healthyNvidia();
    assert.match((await check(good, 'gpu')).message, /NVIDIA 10de:2684 at 0000:01:00\.0 \(driver nvidia\)/);
    const bad = machine().debian().pci('0000:03:00.0', 'amd');
    const c = await check(bad, 'gpu');
    assert.equal(c.status, 'warn');
    assert.match(c.message, /no kernel driver has taken 0000:03:00\.0/);
  });
});

describe('NVIDIA', () => {
  test("nvidia-module: the issue's machine after a driver update fails, naming both versions and the way back", async () => {
    const m = afterDriverUpdate();
    made.push(m);
    const c = await check(m, 'nvidia-module');
    assert.equal(c.status, 'fail');
    assert.match(c.message, /550\.78/);
    assert.match(c.message, /560\.35\.03/);
    assert.match(c.message, /generation 41 booted with 550\.78/);
    assert.match(c.fix, /Reboot to load the 560\.35\.03 module/);
    assert.match(c.fix, /generation 41.*nixos-rebuild switch --rollback/);
    assert.deepEqual(c.action, { kind: 'reboot' });
  });

  test('nvidia-module: the same version loaded and installed is fine; none loaded fails', async () => {
    assert.equal((await check(healthyNvidia(), 'nvidia-module')).status, 'ok');
    const m = machine().nixos();
    m.generation(1, { version: '560.35.03' });
    m.current(1).openglDriver('560.35.03').pci('0000:01:00.0', 'nvidia').file('/sys/module/nouveau/refcnt', '1');
    const c = await check(m, 'nvidia-module');
    assert.equal(c.status, 'fail');
    assert.match(c.message, /not loaded \(nouveau.*carries 560\.35\.03/);
  });

  test('nvidia-open: a closed module loaded while the system carries the open one warns', async () => {
    const m = machine().nixos();
    m.generation(7, { version: '560.35.03', open: true });
    m.current(7).openglDriver('560.35.03').pci('0000:01:00.0', 'nvidia', 'nvidia').loadedNvidia('560.35.03', false);
    const c = await check(m, 'nvidia-open');
    assert.equal(c.status, 'warn');
    assert.match(c.message, /closed kernel module is loaded, but the current system carries the open kernel module/);
    assert.equal((await check(healthyNvidia('560.35.03', true), 'nvidia-open')).status, 'ok');
  });

  test('libcuda: without /run/opengl-driver it points at hardware.graphics.enable', async () => {
    const m = machine().nixos().pci('0000:01:00.0', 'nvidia', 'nvidia').loadedNvidia('560.35.03');
    const c = await check(m, 'libcuda');
    assert.equal(c.status, 'fail');
    assert.match(c.fix, /hardware\.graphics\.enable = true/);
    assert.deepEqual(c.action, { kind: 'option', option: 'hardware.graphics.enable' });
    const fine = await check(healthyNvidia(), 'libcuda');
    assert.deepEqual([fine.status, fine.message], ['ok', '/run/opengl-driver/lib/libcuda.so.1 (driver 560.35.03)']);
  });

  describe('nvidia-smi', () => {
    const smi = (script: string) => healthyNvidia().program('/run/current-system/sw/bin/nvidia-smi', script);
    test('answers', async () => {
      const c = await check(smi('echo "NVIDIA GeForce RTX 4090, 560.35.03"'), 'nvidia-smi');
      assert.deepEqual([c.status, c.message], ['ok', 'nvidia-smi answers: NVIDIA GeForce RTX 4090 (driver 560.35.03)']);
    });
    test('hangs: stopped after the timeout', async () => {
      const c = await check(smi('exec sleep 60'), 'nvidia-smi', { timeoutMs: 300 });
      assert.equal(c.status, 'fail');
      assert.match(c.message, /no answer within 300 ms: the driver may be stuck/);
    });
    test('reports a version mismatch', async () => {
      const c = await check(smi('echo "Failed to initialize NVML: Driver/library version mismatch"; echo "NVML library version: 560.35"; exit 18'), 'nvidia-smi');
      assert.equal(c.status, 'fail');
      assert.equal(c.message, 'nvidia-smi: Failed to initialize NVML: Driver/library version mismatch');
      assert.deepEqual(c.action, { kind: 'reboot' });
    });
    test('fails otherwise', async () => {
      const c = await check(smi('echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2; exit 9'), 'nvidia-smi');
      assert.equal(c.status, 'fail');
      assert.match(c.message, /exit 9: NVIDIA-SMI has failed/);
    });
    test('is missing', async () => {
      assert.equal((await check(healthyNvidia(), 'nvidia-smi')).status, 'warn');
    });
    test("is not run from a disk under --root unless asked: it would ask this computer's driver", async () => {
      const c = await check(smi('echo "NVIDIA GeForce RTX 4090, 560.35.03"'), 'nvidia-smi', { runPrograms: undefined });
      assert.equal(c.status, 'skip');
      assert.match(c.message, /was not run/);
    });
  });
});

describe('can programs see the driver', () => {
  test("shell-libcuda: this shell's LD_LIBRARY_PATH, or nix-ld's libraries", async () => {
    const m = healthyNvidia();
    assert.equal((await check(m, 'shell-libcuda')).status, 'warn');
    assert.equal((await check(m, 'shell-libcuda', { env: { LD_LIBRARY_PATH: '/usr/lib:/run/opengl-driver/lib' } })).status, 'ok');
    m.link('/run/current-system/sw/share/nix-ld/lib/libcuda.so.1', '/run/opengl-driver/lib/libcuda.so.1');
    assert.match((await check(m, 'shell-libcuda')).message, /nix-ld/);
  });

  test('workspace-shell: a CUDA shell that never leads to /run/opengl-driver warns, with its line', async () => {
    const m = healthyNvidia();
    const bad = workspace({ 'flake.nix': '{\n  outputs = { nixpkgs, ... }: {\n    devShells.x86_64-linux.default = pkgs.mkShell {\n      packages = [ pkgs.python3Packages.torch ];\n    };\n  };\n}\n' });
    const c = await check(m, 'workspace-shell', { workspace: bad });
    assert.equal(c.status, 'warn');
    assert.match(c.message, /flake\.nix:3/);
    assert.deepEqual(c.action, { kind: 'open', file: path.join(bad, 'flake.nix'), line: 3 });
    const good = workspace({ 'shell.nix': '{ pkgs }: pkgs.mkShell { packages = [ pkgs.uv ]; LD_LIBRARY_PATH = "/run/opengl-driver/lib"; }\n' });
    assert.equal((await check(m, 'workspace-shell', { workspace: good })).status, 'ok');
  });

  test('host-driver: Nix on another Linux without /run/opengl-driver or nixGL warns', async () => {
    const m = machine().debian().dir('/nix/store').pci('0000:01:00.0', 'nvidia', 'nvidia').loadedNvidia('550.78');
    const c = await check(m, 'host-driver');
    assert.equal(c.status, 'warn');
    assert.match(c.fix, /nixGL/);
    m.program('/nix/var/nix/profiles/default/bin/nixGLNvidia', 'exit 0');
    assert.match((await check(m, 'host-driver')).message, /nixGLNvidia is installed/);
  });
});

describe('CUDA caches', () => {
  const withConf = (conf: string) => healthyNvidia().file('/etc/nix/nix.conf', conf);
  test('listed with its key: ok (include files followed)', async () => {
    const m = withConf('substituters = https://cache.nixos.org\n!include /etc/nix/cuda.conf\n');
    m.file('/etc/nix/cuda.conf', 'extra-substituters = https://cache.nixos-cuda.org\nextra-trusted-public-keys = cache.nixos-cuda.org:74DUi4Ye579gUqzH4ziL9IyiJBlDpMRn9MBN8oNan9M=\n');
    assert.equal((await check(m, 'cuda-cache')).status, 'ok');
  });
  test('listed without its key: fail', async () => {
    const c = await check(withConf('extra-substituters = https://cuda-maintainers.cachix.org\n'), 'cuda-cache');
    assert.equal(c.status, 'fail');
    assert.match(c.fix, /cuda-maintainers\.cachix\.org-1:/);
  });
  test('not listed: warn', async () => {
    const c = await check(withConf('substituters = https://cache.nixos.org\n'), 'cuda-cache');
    assert.equal(c.status, 'warn');
    assert.match(c.fix, /nix\.settings\.extra-substituters/);
  });
});

describe('containers', () => {
  test('container-cdi: docker without a CDI spec fails; with one it is fine', async () => {
    const m = healthyNvidia().program('/run/current-system/sw/bin/docker', 'exit 0');
    const c = await check(m, 'container-cdi');
    assert.equal(c.status, 'fail');
    assert.match(c.fix, /hardware\.nvidia-container-toolkit\.enable = true/);
    m.file('/run/cdi/nvidia-container-toolkit.json', '{"cdiVersion":"0.5.0","kind":"nvidia.com/gpu","devices":[]}');
    assert.equal((await check(m, 'container-cdi')).status, 'ok');
  });

  test('distrobox-gpu: on NixOS, boxes need CDI to reach an NVIDIA GPU', async () => {
    const m = healthyNvidia().program('/run/current-system/sw/bin/distrobox', 'exit 0');
    const c = await check(m, 'distrobox-gpu');
    assert.equal(c.status, 'warn');
    assert.match(c.fix, /--device nvidia\.com\/gpu=all/);
    m.file('/etc/cdi/nvidia.yaml', 'cdiVersion: 0.5.0\nkind: nvidia.com/gpu\n');
    assert.equal((await check(m, 'distrobox-gpu')).status, 'ok');
  });
});

describe('AMD', () => {
  const amd = (target = 110000) => machine().nixos().pci('0000:03:00.0', 'amd', 'amdgpu', '0x744c')
    .file('/sys/class/kfd/kfd/topology/nodes/0/properties', 'cpu_cores_count 16\ngfx_target_version 0\n')
    .file('/sys/class/kfd/kfd/topology/nodes/1/properties', `simd_count 192\ngfx_target_version ${target}\n`);

  test('amd-kfd: /dev/kfd missing fails, present is fine', async () => {
    assert.equal((await check(amd(), 'amd-kfd')).status, 'fail');
    assert.equal((await check(amd().file('/dev/kfd', '', 0o660), 'amd-kfd')).status, 'ok');
  });

  test('amd-groups: the user must be in render or video', async () => {
    const out = await check(amd().file('/dev/kfd', '', 0o660).users('alice', []), 'amd-groups');
    assert.equal(out.status, 'fail');
    assert.match(out.fix, /users\.users\.alice\.extraGroups = \[ "render" "video" \]/);
    assert.equal((await check(amd().file('/dev/kfd', '', 0o660).users('alice', ['render']), 'amd-groups')).status, 'ok');
  });

  test('amd-gfx: an unsupported target asks for the override, a wrong override warns', async () => {
    const c = await check(amd(100302), 'amd-gfx');
    assert.equal(c.status, 'warn');
    assert.match(c.message, /gfx1032/);
    assert.match(c.fix, /HSA_OVERRIDE_GFX_VERSION=10\.3\.0/);
    assert.equal((await check(amd(100302), 'amd-gfx', { env: { HSA_OVERRIDE_GFX_VERSION: '10.3.0' } })).status, 'ok');
    const wrong = await check(amd(100300), 'amd-gfx', { env: { HSA_OVERRIDE_GFX_VERSION: '11.0.0' } });
    assert.equal(wrong.status, 'warn');
    assert.match(wrong.message, /does not fit gfx1030/);
    assert.equal((await check(amd(110000), 'amd-gfx')).status, 'ok');
  });
});

describe('Intel', () => {
  const intel = () => machine().nixos().pci('0000:00:02.0', 'intel', 'i915', '0xa7a0').file('/sys/class/drm/renderD128/device/vendor', '0x8086\n');
  test('intel-render: a render node, or none', async () => {
    assert.equal((await check(intel(), 'intel-render')).status, 'fail');
    const c = await check(intel().file('/dev/dri/renderD128', '', 0o666), 'intel-render');
    assert.deepEqual([c.status, c.message], ['ok', '/dev/dri/renderD128 (driver i915)']);
  });
  test("intel-compute: Intel's compute runtime in /run/opengl-driver, or not", async () => {
    const m = intel();
    m.link('/run/opengl-driver', m.store('graphics-drivers')).file(`${m.store('graphics-drivers')}/lib/libGL.so.1`);
    const c = await check(m, 'intel-compute');
    assert.equal(c.status, 'warn');
    assert.match(c.fix, /intel-compute-runtime/);
    m.file(`${m.store('graphics-drivers')}/lib/libze_intel_gpu.so.1`);
    assert.equal((await check(m, 'intel-compute')).status, 'ok');
  });
});

describe('macOS', () => {
  const mac = () => machine().file('/System/Library/CoreServices/SystemVersion.plist', '<plist><dict><key>ProductVersion</key>\n<string>15.1</string></dict></plist>');
  test('macos-metal: a workspace asking for CUDA warns; otherwise Metal is fine', async () => {
    const ws = workspace({ 'flake.nix': '{\n  outputs = _: {\n    devShells.aarch64-darwin.default = mkShell { packages = [ cudaPackages.cudatoolkit ]; };\n  };\n}\n' });
    const c = await check(mac(), 'macos-metal', { workspace: ws });
    assert.equal(c.status, 'warn');
    assert.match(c.message, /flake\.nix:3 asks for CUDA/);
    assert.equal((await check(mac(), 'macos-metal')).status, 'ok');
    assert.equal((await check(mac(), 'os')).message, 'macOS 15.1');
    assert.equal((await check(machine().debian(), 'macos-metal')).status, 'skip');
  });
});

describe("the workspace's configuration of this host", () => {
  const flake = (drivers: string) => workspace({
    'flake.nix': `{\n  outputs = { nixpkgs, ... }: {\n    nixosConfigurations.gpu-box = nixpkgs.lib.nixosSystem {\n      modules = [ ./configuration.nix ];\n    };\n  };\n}\n`,
    'configuration.nix': `{ ... }: {\n  services.xserver.videoDrivers = [ ${drivers} ];\n  hardware.graphics.enable = true;\n}\n`,
  });

  test('host-config: configured as it runs is fine; the NVIDIA driver on a box without NVIDIA warns', async () => {
    const p = await parser();
    const ok = await check(healthyNvidia(), 'host-config', { workspace: flake('"nvidia"'), parser: p });
    assert.equal(ok.status, 'ok', ok.message);
    const amdBox = machine().nixos().pci('0000:03:00.0', 'amd', 'amdgpu');
    amdBox.link('/run/opengl-driver', amdBox.store('graphics-drivers')).dir(`${amdBox.store('graphics-drivers')}/lib`);
    const c = await check(amdBox, 'host-config', { workspace: flake('"nvidia"'), parser: p });
    assert.equal(c.status, 'warn');
    assert.match(c.message, /gpu-box \(flake\.nix, 2 files\) differs from what runs: it loads the NVIDIA driver, but this machine has no NVIDIA GPU/);
  });

  test('host-config: an NVIDIA box whose configuration loads no NVIDIA driver points at the option\'s line', async () => {
    const p = await parser();
    const ws = flake('"modesetting"');
    const c = await check(healthyNvidia(), 'host-config', { workspace: ws, parser: p });
    assert.equal(c.status, 'warn');
    assert.deepEqual(c.action, { kind: 'option', option: 'services.xserver.videoDrivers', file: path.join(ws, 'configuration.nix'), line: 2 });
    const other = await check(healthyNvidia().file('/etc/hostname', 'laptop\n'), 'host-config', { workspace: ws, parser: p });
    assert.deepEqual([other.status, other.message], ['skip', 'the workspace has no NixOS configuration named "laptop"']);
  });
});

describe('the report', () => {
  test("the issue's machine: exit 1, both versions in the text report", async () => {
    const m = afterDriverUpdate();
    made.push(m);
    const report = await runDoctor({ root: m.root, env: {}, user: 'alice', timeoutMs: 2000 });
    assert.equal(exitCode(report), 1);
    const text = formatDoctorText(report);
    assert.match(text, /FAIL {2}nvidia-module +the loaded kernel module is 550\.78, but the driver in \/run\/opengl-driver is 560\.35\.03/);
    assert.ok(report.checks.every(c => typeof c.id === 'string' && ['ok', 'warn', 'fail', 'skip'].includes(c.status) && typeof c.message === 'string' && typeof c.fix === 'string'));
  });

  test('a machine without a GPU: no check fails, and the report says there is no GPU', async () => {
    const report = await runDoctor({ root: machine().debian().dir('/proc').root, env: {}, timeoutMs: 2000 });
    assert.equal(exitCode(report), 0);
    assert.equal(report.checks.find(c => c.id === 'gpu')?.status, 'skip');
    assert.match(formatDoctorText(report), /skip {2}gpu +no GPU found/);
  });
});
