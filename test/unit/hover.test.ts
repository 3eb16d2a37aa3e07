import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hover } from '../../server/src/features/hover';
import { createKnowledge } from '../../server/src/options/knowledge';
import { withCursor, workspaceOf } from '../helpers';

const kb = createKnowledge();

async function hoverAt(marked: string, uri = 'file:///etc/nixos/configuration.nix', knowledge = kb) {
  const { doc, offset } = await withCursor(marked, uri);
  const h = hover(doc, offset, knowledge);
  return h && { ...h, text: doc.text.slice(h.start, h.end) };
}

test('hover on any segment of an option path, dotted or nested', async () => {
  const leaf = await hoverAt('{ hardware.nvidia.op$0en = true; }');
  assert.equal(leaf?.text, 'open');
  assert.match(leaf!.markdown, /^\*\*hardware\.nvidia\.open\*\* · `null or boolean`/);
  assert.match(leaf!.markdown, /\*Default:\* `if lib\.versionOlder/);
  assert.match(leaf!.markdown, /\*Releases:\* since NixOS 22\.05/);
  assert.match(leaf!.markdown, /\*Declared in\* `nixos\/modules\/hardware\/video\/nvidia\.nix`/);
  const group = await hoverAt('{ hardware.nvi$0dia.open = true; }');
  assert.match(group!.markdown, /^\*\*hardware\.nvidia\*\* · \d+ options/);
  assert.match(group!.markdown, /`prime`/);
  const nested = await hoverAt('{ hardware = { nvidia = { prime = { sync.ena$0ble = true; }; }; }; }');
  assert.match(nested!.markdown, /^\*\*hardware\.nvidia\.prime\.sync\.enable\*\*/);
  const inMkIf = await hoverAt('{ lib, config, ... }: { config = lib.mkIf true { services.ollama.pack$0age = null; }; }');
  assert.match(inMkIf!.markdown, /ollama-cuda/);
  const configRead = await hoverAt('{ config, ... }: { x = config.hardware.graphics.ena$0ble; }');
  assert.match(configRead!.markdown, /^\*\*hardware\.graphics\.enable\*\*/);
});

test('hover says when an option was renamed or removed, and links the declaration at the locked revision', async () => {
  const renamed = await hoverAt('{ hardware.opengl.driSup$0port32Bit = true; }');
  assert.match(renamed!.markdown, /\*\*Renamed\*\* to `hardware\.graphics\.enable32Bit` in NixOS 24\.11/);
  const removed = await hoverAt('{ services.ollama.accel$0eration = "cuda"; }');
  assert.match(removed!.markdown, /\*\*Removed\*\* in NixOS 26\.05/);
  const linked = await hoverAt('{ hardware.nvidia.op$0en = true; }', undefined, createKnowledge({}, { nixpkgsRev: 'abc123' }));
  assert.match(linked!.markdown, /\[nixos\/modules\/hardware\/video\/nvidia\.nix\]\(https:\/\/github\.com\/NixOS\/nixpkgs\/blob\/abc123\/nixos\/modules\/hardware\/video\/nvidia\.nix\)/);
});

test('hover on packages, builtins and local names', async () => {
  const drv = await hoverAt('{ config, ... }: { hardware.nvidia.package = config.boot.kernelPackages.nvidiaPackages.legacy_4$070; }');
  assert.match(drv!.markdown, /acceptLicense/);
  const cudnn = await hoverAt('{ pkgs, ... }: { x = pkgs.cudaPackages.cud$0nn; }');
  assert.match(cudnn!.markdown, /^\*\*pkgs\.cudaPackages\.cudnn\*\* · package/);
  const getEnv = await hoverAt('{ x = builtins.get$0Env "HOME"; }');
  assert.match(getEnv!.markdown, /builtins\.getEnv name/);
  assert.match(getEnv!.markdown, /Impure/);
  const bare = await hoverAt('{ x = toStr$0ing 1; }');
  assert.match(bare!.markdown, /builtins\.toString e/);
  const local = await hoverAt('let\n  cuda = pkgs.cudaPackages;\nin { x = cu$0da.cudnn; }');
  assert.equal(local!.markdown, '```nix\ncuda = pkgs.cudaPackages\n```\nlet binding, defined on line 2');
  const formal = await hoverAt('{ pkgs, cudaSupport ? true }: { x = cudaSup$0port; }');
  assert.match(formal!.markdown, /\{ cudaSupport \? true, … \}/);
  const fromWith = await hoverAt('{ pkgs, ... }: { x = with pkgs; [ ollama-cu$0da ]; }');
  assert.match(fromWith!.markdown, /^\*\*pkgs\.ollama-cuda\*\*/);
});

test('no hover on plain attributes, numbers or unknown names', async () => {
  assert.equal(await hoverAt('let settings = { hardware.nv$0idia = 1; }; in settings'), undefined);
  assert.equal(await hoverAt('{ x = 4$02; }'), undefined);
  assert.equal(await hoverAt('{ x = unkno$0wn; }'), undefined);
});

/** Hover in a workspace of files under /ws: `marked` holds the $0 cursor and is written as `file`. */
async function hoverInWorkspace(files: Record<string, string>, file: string, marked: string) {
  const offset = marked.indexOf('$0');
  const { analysis, docs } = await workspaceOf({ ...files, [file]: marked.replace('$0', '') });
  return hover(docs.get(`/ws/${file}`)!, offset, kb, analysis.configurationsOf(`/ws/${file}`))?.markdown ?? '';
}

test('an option hover says what each configuration of the file makes of it: the winning value, not set, or what is unknown', async () => {
  const flake = '{ outputs = { nixpkgs, ... }: { nixosConfigurations.gpu-box = nixpkgs.lib.nixosSystem { modules = [ ./hosts/gpu.nix ./hosts/base.nix ]; }; }; }';
  const base = '{ lib, ... }: { hardware.nvidia.open = lib.mkForce false; }';
  const set = await hoverInWorkspace({ 'flake.nix': flake, 'hosts/base.nix': base }, 'hosts/gpu.nix', '{ ... }: { hardware.nvidia.op$0en = true; services.xserver.videoDrivers = [ "nvidia" ]; }');
  assert.match(set, /\*\*hardware\.nvidia\.open\*\*/, 'the option docs come first');
  assert.match(set, /- \*\*gpu-box \(\.\.\/flake\.nix, 3 files\)\*\*: `false` from `base\.nix` \(mkForce\)/);

  const unset = await hoverInWorkspace({ 'flake.nix': flake, 'hosts/base.nix': '{ ... }: { }' }, 'hosts/gpu.nix', '{ config, ... }: { x = config.hardware.nvidia.op$0en; }');
  assert.match(unset, /gpu-box .*: not set in any module, so its default applies/);

  const withInput = flake.replace('./hosts/base.nix', 'inputs.hw.nixosModules.laptop');
  const unknown = await hoverInWorkspace({ 'flake.nix': withInput }, 'hosts/gpu.nix', '{ ... }: { services.xserver.videoDri$0vers = [ "nvidia" ]; hardware.nvidia.open = lib.mkDefault true; }');
  assert.match(unknown, /`\[ "nvidia" \]` from `gpu\.nix` \(modules that could not be read may add to it\)/);
  const byDefault = await hoverInWorkspace({ 'flake.nix': withInput }, 'hosts/gpu.nix', '{ lib, ... }: { hardware.nvidia.op$0en = lib.mkDefault true; }');
  assert.match(byDefault, /written in `gpu\.nix`, but unknown: a module could not be read \(`inputs\.hw\.nixosModules\.laptop`\)/);

  // a group of options, or a file no configuration includes, gets the docs alone
  const group = await hoverInWorkspace({ 'flake.nix': flake }, 'hosts/gpu.nix', '{ ... }: { hardware.nvi$0dia.open = true; }');
  assert.doesNotMatch(group, /configurations this file belongs to/);
});
