import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, checkFix, unmark } from '../ruleFixtures';

const r = (name: string) => ({ context: { release: { name, source: 'setting' as const } } });
const M = (body: string) => `{ config, lib, pkgs, ... }:\n{\n${body}\n}\n`;
const NV = '  nixpkgs.config.allowUnfree = true;\n  hardware.graphics.enable = true;\n';
/**
 * A whole configuration: a configuration.nix that nothing imports, outside any flake, is a root
 * (the /etc/nixos layout), so "not set anywhere" can be answered. The default uri, module.nix, is
 * a module nothing here imports: rules that need "not set" stay silent there.
 */
const HOST = 'file:///work/configuration.nix';
const host = (opts: object = {}) => ({ ...opts, uri: HOST });
const hostFix = (code: string, marked: string, title: RegExp, expected: string) => checkFix(code, marked, title, expected, host());

const CASES: Array<[string, string, object?]> = [
  ['nvidia-open-unset', M(`${NV}  «services.xserver.videoDrivers» = [ "nvidia" ];`), host()],
  ['nvidia-open-unset', M(`${NV}  services.xserver = { «videoDrivers» = [ "modesetting" "nvidia" ]; };`), host()],
  ['nvidia-open-unset', M(`${NV}  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = false;`), host()],
  ['nvidia-open-unset', M(`${NV}  services.xserver.videoDrivers = [ "nvidia" ];`), host(r('24.05'))],
  ['nvidia-open-unset', M(`${NV}  services.xserver.videoDrivers = [ "amdgpu" ];`), host()],

  ['nvidia-graphics-disabled', M('  nixpkgs.config.allowUnfree = true;\n  «services.xserver.videoDrivers» = [ "nvidia" ];\n  hardware.nvidia.open = true;'), host()],
  ['nvidia-graphics-disabled', M('  nixpkgs.config.allowUnfree = true;\n  «hardware.nvidia.datacenter.enable» = true;\n  hardware.graphics.enable = false;'), host()],
  ['nvidia-graphics-disabled', M(`${NV}  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = true;`), host()],
  ['nvidia-graphics-disabled', M('  nixpkgs.config.allowUnfree = true;\n  services.xserver.enable = true;\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = true;'), host()],

  ['prime-bus-id-missing', M('  «hardware.nvidia.prime.offload.enable» = true;\n  hardware.nvidia.prime.nvidiaBusId = "PCI:1:0:0";'), host()],
  ['prime-bus-id-missing', M('  hardware.nvidia.prime = { «sync.enable» = true; };'), host()],
  ['prime-bus-id-missing', M('  hardware.nvidia.prime = { sync.enable = true; nvidiaBusId = "PCI:1:0:0"; amdgpuBusId = "PCI:5:0:0"; };'), host()],
  ['prime-bus-id-missing', M('  hardware.nvidia.prime.offload.enable = false;'), host()],

  ['prime-bus-id-format', M('  hardware.nvidia.prime.nvidiaBusId = «"PCI:c4:0:0"»;\n  hardware.nvidia.prime.intelBusId = «"00:02.0"»;')],
  ['prime-bus-id-format', M('  hardware.nvidia.prime = { amdgpuBusId = «"0000:05:00.0"»; };')],
  ['prime-bus-id-format', M('  hardware.nvidia.prime.nvidiaBusId = "PCI:196:0:0";\n  hardware.nvidia.prime.intelBusId = "PCI:0:2:0";')],
  ['prime-bus-id-format', M('  hardware.nvidia.prime.nvidiaBusId = "PCI:1@0:0:0";')],

  ['prime-mode-conflict', M('  «hardware.nvidia.prime.sync.enable» = true;\n  «hardware.nvidia.prime.offload.enable» = true;')],
  ['prime-mode-conflict', M('  «hardware.nvidia.powerManagement.finegrained» = true;\n  hardware.nvidia.prime.sync.enable = true;'), host()],
  ['prime-mode-conflict', M('  hardware.nvidia.prime = { «intelBusId» = "PCI:0:2:0"; «amdgpuBusId» = "PCI:5:0:0"; };')],
  ['prime-mode-conflict', M('  hardware.nvidia.prime.offload.enable = true;\n  hardware.nvidia.powerManagement.finegrained = true;')],
  ['prime-mode-conflict', M('  hardware.nvidia.prime.sync.enable = true;\n  hardware.nvidia.prime.offload.enable = lib.mkIf false true;')],

  ['nvidia-datacenter-x11', M(`${NV}  hardware.nvidia.open = true;\n  «services.xserver.videoDrivers» = [ "nvidia" ];\n  «hardware.nvidia.datacenter.enable» = true;`)],
  ['nvidia-datacenter-x11', M(`${NV}  hardware.nvidia.open = true;\n  hardware.nvidia = { «datacenter.enable» = true; };\n  services.xserver = { «videoDrivers» = [ "nvidia" ]; };`)],
  ['nvidia-datacenter-x11', M(`${NV}  hardware.nvidia.datacenter.enable = true;`)],
  ['nvidia-datacenter-x11', M(`${NV}  hardware.nvidia.open = true;\n  services.xserver.videoDrivers = [ "nvidia" ];`)],

  ['container-toolkit-no-driver', M('  «hardware.nvidia-container-toolkit.enable» = true;'), host()],
  ['container-toolkit-no-driver', M('  hardware = { «nvidia-container-toolkit.enable» = true; graphics.enable = true; };'), host()],
  ['container-toolkit-no-driver', M(`${NV}  hardware.nvidia-container-toolkit.enable = true;\n  hardware.nvidia.datacenter.enable = true;`), host()],
  ['container-toolkit-no-driver', M('  hardware.nvidia-container-toolkit = { enable = true; suppressNvidiaDriverAssertion = true; };'), host()],

  ['cuda-unfree', M('  hardware.graphics.enable = true;\n  hardware.nvidia.open = true;\n  «services.xserver.videoDrivers» = [ "nvidia" ];'), host()],
  ['cuda-unfree', M('  nixpkgs.config.«cudaSupport» = true;\n  environment.systemPackages = [ pkgs.«cudaPackages».cudatoolkit pkgs.python3Packages.«torchWithCuda» ];'), host()],
  ['cuda-unfree', M('  nixpkgs.config = { allowUnfree = true; cudaSupport = true; };'), host()],
  ['cuda-unfree', M('  nixpkgs.config.allowUnfreePredicate = pkg: true;\n  services.ollama.package = pkgs.ollama-cuda;'), host()],

  ['deprecated-option', M('  «hardware.opengl.enable» = true;\n  hardware.opengl = { «driSupport32Bit» = true; };')],
  ['deprecated-option', M('  «virtualisation.docker.enableNvidia» = true;')],
  ['deprecated-option', M('  hardware.opengl.enable = true;'), r('24.05')],
  ['deprecated-option', M('  hardware.graphics.enable = true;\n  hardware.nvidia-container-toolkit.enable = lib.mkIf false true;')],

  ['removed-option', M('  «hardware.opengl.driSupport» = true;\n  services.xserver.videoDrivers = [ «"nvidiaLegacy390"» ];')],
  ['removed-option', M('  «services.ollama.acceleration» = "cuda";\n  «hardware.amdgpu.amdvlk.enable» = true;')],
  ['removed-option', M('  services.ollama.acceleration = "cuda";\n  hardware.amdgpu.amdvlk.enable = true;'), r('25.05')],
  ['removed-option', M('  services.ollama.package = pkgs.ollama-cuda;\n  services.xserver.videoDrivers = [ "nvidia" ];')],
  // writablePaths existed in 24.05 only (added by nixpkgs PR #305076, gone with #328713)
  ['removed-option', M('  services.ollama.writablePaths = [ "/mnt/ollama" ];'), r('24.05')],
  ['removed-option', M('  «services.ollama.writablePaths» = [ "/mnt/ollama" ];'), r('24.11')],

  ['removed-package', M('  hardware.graphics.extraPackages = with pkgs; [ «amdvlk» «rocm-opencl-icd» ];\n  hardware.graphics.extraPackages32 = [ pkgs.«driversi686Linux.amdvlk» ];'), r('25.11')],
  ['removed-package', M('  environment.systemPackages = [ pkgs.«cudaPackages_11».cudatoolkit pkgs.«cudaPackages_12_4».cudnn pkgs.cudaPackages_12_8.cudnn ];'), r('25.11')],
  ['removed-package', M('  hardware.graphics.extraPackages = with pkgs; [ amdvlk «cudaPackages_10».cudatoolkit ];'), r('25.05')],
  ['removed-package', M('  hardware.graphics.extraPackages = with pkgs; [ amdvlk rocm-opencl-icd ];'), r('24.11')],
  // a recipe's own argument is whatever its caller passes, not nixpkgs' attribute
  ['removed-package', '{ stdenv, amdvlk, cudaPackages_11 }: stdenv.mkDerivation { buildInputs = [ amdvlk cudaPackages_11.cudatoolkit ]; }', r('25.11')],
  ['unknown-option', M('  «hardware.nvidia.enable» = true;')],
  ['unknown-option', M('  hardware.nvidia = { «opn» = true; «prime.offlod.enable» = true; };')],
  ['unknown-option', M('  hardware.nvidia.open = true;\n  hardware.nvidia.moduleParams.nvidia.NVreg_X = 1;\n  services.anything.goes = 1;')],
  ['unknown-option', M('  hardware.graphics = { enable = true; extraPackages = [ ]; };')],
  ['unknown-option', M('  «hardware.nvidia.branch» = "production";'), r('25.11')],
  ['unknown-option', M('  hardware.nvidia.branch = "production";'), r('unstable')],

  ['option-type', M('  hardware.nvidia.open = «"true"»;\n  services.ollama.acceleration = «"opencl"»;'), r('25.11')],
  ['option-type', M('  services.xserver.videoDrivers = «"nvidia"»;\n  services.ollama.port = «"11434"»;')],
  ['option-type', M('  hardware.nvidia.open = true;\n  services.ollama.port = 11434;\n  services.xserver.videoDrivers = [ "nvidia" ];')],
  ['option-type', M('  hardware.nvidia.open = lib.mkDefault false;\n  services.ollama.acceleration = null;')],

  ['port-conflict', M('  «services.open-webui.enable» = true;\n  «services.llama-cpp.enable» = true;'), host()],
  ['port-conflict', M('  services.ollama = { enable = true; port = «8080»; };\n  «services.open-webui.enable» = true;'), host()],
  ['port-conflict', M('  services.open-webui.enable = true;\n  services.llama-cpp = { enable = true; port = 8081; };'), host()],
  ['port-conflict', M('  services.open-webui.enable = true;\n  services.ollama.enable = true;'), host()],
];

for (const [code, fixture, options] of CASES) {
  test(`${code}: ${fixture.replace(/\n/g, ' ')}`, async () => {
    await check(code, fixture, options);
  });
}

test('a module nothing here imports is judged on what it says: what needs "not set anywhere" stays silent', async () => {
  let checked = 0;
  for (const [code, fixture, options] of CASES) {
    if ((options as { uri?: string } | undefined)?.uri !== HOST || !fixture.includes('«')) continue;
    await check(code, unmark(fixture).text);
    checked++;
  }
  assert.ok(checked >= 12, `${checked} cases`);
});

test('nvidia-open-unset names the release it assumed, and offers both choices', async () => {
  const { found } = await check('nvidia-open-unset', M(`${NV}  «services.xserver.videoDrivers» = [ "nvidia" ];`), host());
  assert.match(found[0].message, /NixOS 26\.05 \(assumed/);
  assert.equal(found[0].severity, 'information', 'an assumed release is no proof');
  const { found: known } = await check('nvidia-open-unset', M(`${NV}  «services.xserver.videoDrivers» = [ "nvidia" ];`), host(r('25.11')));
  assert.equal(known[0].severity, 'error');
  const { found: removed } = await check('removed-option', M('  «services.ollama.acceleration» = "cuda";'));
  assert.equal(removed[0].severity, 'information');
  const { found: renamed } = await check('deprecated-option', M('  «hardware.opengl.enable» = true;'));
  assert.equal(renamed[0].severity, 'information', 'on an older release the new name may not exist yet');
  const { found: renamedKnown } = await check('deprecated-option', M('  «hardware.opengl.enable» = true;'), r('25.11'));
  assert.equal(renamedKnown[0].severity, 'warning');
  assert.deepEqual(found[0].fixes?.map(f => f.title), [
    'Set hardware.nvidia.open = true (open kernel modules: Turing (RTX, GTX 16xx) and newer)',
    'Set hardware.nvidia.open = false (closed modules: Maxwell, Pascal, Volta and older)',
  ]);
  await hostFix('nvidia-open-unset', M(`${NV}  «services.xserver.videoDrivers» = [ "nvidia" ];`), /= false/,
    M(`${NV}  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = false;`));
  await hostFix('nvidia-open-unset', M(`${NV}  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia = {\n    «modesetting.enable» = true;\n  };`.replace('«modesetting.enable»', 'modesetting.enable').replace('services.xserver.videoDrivers', '«services.xserver.videoDrivers»')), /= true/,
    M(`${NV}  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia = {\n    modesetting.enable = true;\n    open = true;\n  };`));
});

test('removed-package: an assumed release is information; the fixes use the replacement or drop the element', async () => {
  const { found } = await check('removed-package', M('  hardware.graphics.extraPackages = with pkgs; [ «amdvlk» ];'));
  assert.equal(found[0].severity, 'information');
  assert.match(found[0].message, /amdvlk is gone from nixpkgs since NixOS 25\.11 \(checked against NixOS 26\.05 \(assumed/);
  const { found: locked } = await check('removed-package', M('  environment.systemPackages = [ pkgs.«cudaPackages_11».cudatoolkit ];'), r('26.05'));
  assert.equal(locked[0].severity, 'error');
  await checkFix('removed-package', M('  hardware.graphics.extraPackages = with pkgs; [ «rocm-opencl-icd» ];'), /^Use rocmPackages\.clr\.icd$/,
    M('  hardware.graphics.extraPackages = with pkgs; [ rocmPackages.clr.icd ];'), r('25.11'));
  await checkFix('removed-package', M('  environment.systemPackages = [ pkgs.«cudaPackages_11».cudatoolkit ];'), /^Use cudaPackages$/,
    M('  environment.systemPackages = [ pkgs.cudaPackages.cudatoolkit ];'), r('25.11'));
  await checkFix('removed-package', M('  hardware.graphics.extraPackages = [ pkgs.mesa pkgs.«amdvlk» ];'), /^Remove amdvlk from the list$/,
    M('  hardware.graphics.extraPackages = [ pkgs.mesa ];'), r('25.11'));
});

test('fixes: graphics, bus ids, unfree, renames, ollama, hardware.nvidia.enable', async () => {
  await hostFix('nvidia-graphics-disabled', M('  nixpkgs.config.allowUnfree = true;\n  «services.xserver.videoDrivers» = [ "nvidia" ];\n  hardware.nvidia.open = true;'), /graphics/,
    M('  nixpkgs.config.allowUnfree = true;\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = true;\n  hardware.graphics.enable = true;'));
  await checkFix('prime-bus-id-format', M('  hardware.nvidia.prime.nvidiaBusId = «"PCI:c4:0:0"»;'), /^Use "PCI:196:0:0"$/, M('  hardware.nvidia.prime.nvidiaBusId = "PCI:196:0:0";'));
  await checkFix('prime-bus-id-format', M('  hardware.nvidia.prime.intelBusId = «"0000:00:02.0"»;'), /^Use "PCI:0:2:0"$/, M('  hardware.nvidia.prime.intelBusId = "PCI:0:2:0";'));
  await hostFix('cuda-unfree', M('  hardware.graphics.enable = true;\n  hardware.nvidia.open = true;\n  «services.xserver.videoDrivers» = [ "nvidia" ];'), /allowUnfree = true/,
    M('  hardware.graphics.enable = true;\n  hardware.nvidia.open = true;\n  services.xserver.videoDrivers = [ "nvidia" ];\n  nixpkgs.config.allowUnfree = true;'));
  await hostFix('cuda-unfree', M('  hardware.graphics.enable = true;\n  hardware.nvidia.open = true;\n  «services.xserver.videoDrivers» = [ "nvidia" ];'), /allowUnfreePredicate/,
    M('  hardware.graphics.enable = true;\n  hardware.nvidia.open = true;\n  services.xserver.videoDrivers = [ "nvidia" ];\n  nixpkgs.config.allowUnfreePredicate = pkg: builtins.elem (lib.getName pkg) [ "nvidia-x11" "nvidia-settings" "nvidia-persistenced" ];'));
  await checkFix('deprecated-option', M('  «hardware.opengl.enable» = true;'), /^Rename to hardware\.graphics\.enable$/, M('  hardware.graphics.enable = true;'));
  await checkFix('deprecated-option', M('  hardware.opengl = {\n    «driSupport32Bit» = true;\n  };'), /^Rename to hardware\.graphics\.enable32Bit$/,
    M('  hardware.opengl = {\n  };\n  hardware.graphics.enable32Bit = true;'));
  await checkFix('removed-option', M('  services.ollama = {\n    enable = true;\n    «acceleration» = "rocm";\n  };'), /ollama-rocm/, M('  services.ollama = {\n    enable = true;\n    package = pkgs.ollama-rocm;\n  };'));
  await checkFix('removed-option', M('  hardware.graphics.enable = true;\n  «hardware.opengl.driSupport» = true;'), /Remove/, M('  hardware.graphics.enable = true;'));
  await checkFix('unknown-option', M('  «hardware.nvidia.enable» = true;'), /videoDrivers/, M('  services.xserver.videoDrivers = [ "nvidia" ];'));
});

/** Findings of one file of an in-memory workspace (paths under /ws), with what the others say. */
async function inWorkspace(files: Record<string, string>, file: string, code: string, release = 'assumed') {
  const { workspaceOf } = await import('../helpers');
  const { diagnose } = await import('../../server/src/features/diagnostics');
  const { analysis, docs } = await workspaceOf(files);
  const rel = release === 'assumed' ? { name: '26.05', source: 'assumed' as const } : { name: release, source: 'setting' as const };
  return diagnose(docs.get(`/ws/${file}`)!, { context: { configurations: analysis.configurationsOf(`/ws/${file}`), release: rel } }).filter(f => f.code === code);
}

test('unknown-option: options the configuration declares exist; unknown ones are errors only in a whole configuration', async () => {
  const declares = '{ lib, ... }: { options.hardware.nvidia.myTweak = lib.mkEnableOption "a tweak"; }';
  const uses = '{ ... }: { hardware.nvidia.myTweak = true; }';
  // declared by a module of the configuration
  assert.deepEqual(await inWorkspace({ 'configuration.nix': '{ ... }: { imports = [ ./opts.nix ./gpu.nix ]; }', 'opts.nix': declares, 'gpu.nix': uses }, 'gpu.nix', 'unknown-option'), []);
  // a module nothing imports, and another file here declares the option: it may be imported along with it
  assert.deepEqual(await inWorkspace({ 'opts.nix': declares, 'gpu.nix': uses }, 'gpu.nix', 'unknown-option'), []);
  // a whole configuration that declares nothing: an error when the release is known, information when assumed
  const whole = { 'configuration.nix': '{ ... }: { imports = [ ./gpu.nix ]; }', 'gpu.nix': uses };
  assert.deepEqual((await inWorkspace(whole, 'gpu.nix', 'unknown-option', '25.11')).map(f => f.severity), ['error']);
  assert.deepEqual((await inWorkspace(whole, 'gpu.nix', 'unknown-option')).map(f => f.severity), ['information']);
  // a module nothing imports and nothing declares: a module from elsewhere might, so information
  const lone = await inWorkspace({ 'gpu.nix': uses }, 'gpu.nix', 'unknown-option', '25.11');
  assert.deepEqual(lone.map(f => f.severity), ['information']);
  assert.match(lone[0].message, /unless a module this configuration takes from elsewhere declares it/);
});

test('modules a flake exports get the file-local checks (a removed driver name in an exported module)', async () => {
  const found = await inWorkspace({
    'flake.nix': '{ outputs = _: { nixosModules.mac = import ./mac.nix; }; }',
    'mac.nix': '{ lib, ... }: { services.xserver.videoDrivers = lib.mkDefault [ "nvidiaLegacy340" ]; }',
  }, 'mac.nix', 'removed-option');
  assert.equal(found.length, 1);
});

test('patterns from real hosts: a specialisation that forces the other PRIME mode, bus ids from an unread module', async () => {
  // the specialisation forces sync off and offload on: no view has both
  const spec = '{ lib, ... }: {\n  hardware.nvidia.prime.sync.enable = true;\n  hardware.nvidia.prime.nvidiaBusId = "PCI:1:0:0";\n  hardware.nvidia.prime.intelBusId = "PCI:0:2:0";\n'
    + '  specialisation.on-the-go.configuration = {\n    hardware.nvidia.prime.offload.enable = lib.mkForce true;\n    hardware.nvidia.prime.sync.enable = lib.mkForce false;\n  };\n}\n';
  assert.deepEqual(await inWorkspace({ 'configuration.nix': spec }, 'configuration.nix', 'prime-mode-conflict'), []);
  // without mkForce on sync, the specialisation has both on
  const both = spec.replace('sync.enable = lib.mkForce false', 'finegrained = false');
  assert.equal((await inWorkspace({ 'configuration.nix': both }, 'configuration.nix', 'prime-mode-conflict')).length, 2);
  // a laptop module from nixos-hardware sets the bus ids the host leaves out
  const flake = '{ outputs = { nixpkgs, nixos-hardware, ... }: { nixosConfigurations.laptop = nixpkgs.lib.nixosSystem { modules = [ ./host.nix nixos-hardware.nixosModules.lenovo-legion-16ach6h-hybrid ]; }; }; }';
  const hostOnly = '{ ... }: { hardware.nvidia.prime.offload.enable = true; }';
  assert.deepEqual(await inWorkspace({ 'flake.nix': flake, 'host.nix': hostOnly }, 'host.nix', 'prime-bus-id-missing'), []);
  assert.equal((await inWorkspace({ 'flake.nix': flake.replace(' nixos-hardware.nixosModules.lenovo-legion-16ach6h-hybrid', ''), 'host.nix': hostOnly }, 'host.nix', 'prime-bus-id-missing')).length, 1);
});
