import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check, checkFix } from '../ruleFixtures';

const FLAKE = { uri: 'file:///work/flake.nix' };
const pure = { context: { pure: true } };

/** [code, fixture, options]: «…» marks where the rule must report; no marks, no report. */
const CASES: Array<[string, string, object?]> = [
  ['impure-env', '{ home = «builtins.getEnv» "HOME"; }'],
  ['impure-env', 'let e = «__getEnv»; in { u = e "USER"; }'],
  ['impure-env', '{ outputs = _: { x = «builtins.getEnv» "NIXPKGS_ALLOW_UNFREE"; }; }', FLAKE],
  ['impure-env', 'let builtins = { getEnv = _: "x"; }; in builtins.getEnv "HOME"'],
  ['impure-env', '{ getEnv }: getEnv "HOME"'],
  ['impure-env', '{ home = "/home/me"; }'],

  ['impure-current-system', '{ s = «builtins.currentSystem»; }'],
  ['impure-current-system', '{ outputs = { nixpkgs, ... }: { p = «import nixpkgs { }»; }; }', FLAKE],
  ['impure-current-system', '{ outputs = { nixpkgs, ... }: { p = «import nixpkgs { config.allowUnfree = true; }»; }; }', FLAKE],
  ['impure-current-system', '{ outputs = { nixpkgs, ... }: { p = import nixpkgs { system = "x86_64-linux"; }; }; }', FLAKE],
  ['impure-current-system', '{ outputs = { nixpkgs, ... }: let system = "x86_64-linux"; in { p = import nixpkgs { inherit system; }; }; }', FLAKE],
  ['impure-current-system', '{ nixpkgs }: import nixpkgs { }'],
  ['impure-current-system', '{ system }: { s = system; }'],

  ['impure-current-time', '{ t = «builtins.currentTime»; }'],
  ['impure-current-time', 'with builtins; toString «currentTime»'],
  ['impure-current-time', 'with builtins; let currentTime = 0; in currentTime'],
  ['impure-current-time', '{ outputs = { self }: { v = «builtins.currentTime»; }; }', FLAKE],
  ['impure-current-time', '{ self }: { v = self.lastModified; }'],

  ['impure-lookup-path', '{ pkgs ? import <nixpkgs> { } }: pkgs.hello'],
  ['impure-lookup-path', '{ pkgs ? import «<nixpkgs>» { } }: pkgs.hello', pure],
  ['impure-lookup-path', 'import «<nixpkgs/nixos>» { configuration = ./c.nix; }'],
  ['impure-lookup-path', '{ p = «builtins.nixPath»; f = «builtins.findFile» [ ] "x"; }'],
  ['impure-lookup-path', '{ nixpkgs }: import nixpkgs { system = "x86_64-linux"; }'],
  ['impure-lookup-path', '{ a = 1 < 2; b = "<nixpkgs>"; }'],

  ['impure-store-path', '{ p = «builtins.storePath» /nix/store/abc-hello; }'],
  ['impure-store-path', 'map «builtins.storePath» [ ]'],
  ['impure-store-path', '{ p = builtins.storeDir; }'],
  ['impure-store-path', 'let storePath = x: x; in storePath 1'],

  ['unpinned-fetch', '«builtins.fetchTarball "https://example.org/a.tar.gz"»'],
  ['unpinned-fetch', '«fetchTarball { url = "https://example.org/a.tar.gz"; }»'],
  ['unpinned-fetch', '«builtins.fetchGit { url = "https://example.org/r.git"; ref = "main"; }»'],
  ['unpinned-fetch', '«builtins.fetchGit "https://example.org/r.git"»'],
  ['unpinned-fetch', '«builtins.getFlake "github:NixOS/nixpkgs"»'],
  ['unpinned-fetch', '«builtins.fetchTree { type = "github"; owner = "o"; repo = "r"; }»'],
  ['unpinned-fetch', '{ pkgs }: «pkgs.fetchFromGitHub { owner = "o"; repo = "r"; rev = "v1"; }»'],
  ['unpinned-fetch', '{ fetchurl }: «fetchurl { url = "https://example.org/x"; }»'],
  ['unpinned-fetch', 'builtins.fetchTarball { url = "https://example.org/a.tar.gz"; sha256 = "0000000000000000000000000000000000000000000000000000"; }'],
  ['unpinned-fetch', 'builtins.fetchGit { url = "https://example.org/r.git"; ref = "main"; rev = "0123456789abcdef0123456789abcdef01234567"; }'],
  ['unpinned-fetch', 'builtins.getFlake "github:NixOS/nixpkgs/0123456789abcdef0123456789abcdef01234567"'],
  ['unpinned-fetch', '{ pkgs }: pkgs.fetchFromGitHub { owner = "o"; repo = "r"; rev = "v1"; hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; }'],
  ['unpinned-fetch', '{ pkgs, args }: pkgs.fetchurl args'],

  ['impure-absolute-path', '{ imports = [ «/etc/nixos/hardware-configuration.nix» ]; }'],
  ['impure-absolute-path', '{ k = builtins.readFile «~/.ssh/id.pub»; }'],
  ['impure-absolute-path', '{ src = builtins.path { path = «/home/me/src»; }; }'],
  ['impure-absolute-path', '{ src = builtins.path { path = /home/me/src; sha256 = "0000000000000000000000000000000000000000000000000000"; }; }'],
  ['impure-absolute-path', '{ imports = [ ./hardware-configuration.nix ]; home = "/home/me"; }'],

  ['impure-exec', '{ v = «builtins.exec» [ "date" ]; }'],
  ['impure-exec', 'derivation { name = "x"; builder = "/bin/sh"; system = "x86_64-linux"; «__impure» = true; }'],
  ['impure-exec', 'derivation { name = "x"; builder = "/bin/sh"; system = "x86_64-linux"; __impure = false; }'],
  ['impure-exec', '{ exec }: exec [ "date" ]'],
];

for (const [code, fixture, options] of CASES) {
  test(`${code}: ${fixture}`, async () => {
    await check(code, fixture, options);
  });
}

/**
 * What real code does on purpose: [code, fixture, options, the severity every finding has]. In a
 * file a flake evaluates, what Nix refuses is an error and what silently differs a warning;
 * elsewhere the same construct works (it only depends on the machine): information at most.
 */
const PLACES: Array<[string, string, object, string?]> = [
  ['impure-env', '{ outputs = _: { h = «builtins.getEnv» "HOME"; }; }', FLAKE, 'warning'],
  ['impure-env', '{ h = «builtins.getEnv» "HOME"; }', {}, 'information'],
  ['impure-env', '{ lib, ... }: { home.username = lib.mkDefault («builtins.getEnv» "USER"); }', pure, 'information'],
  ['impure-env', '{ h = if builtins ? getEnv then builtins.getEnv "HOME" else "/root"; }', pure],
  ['impure-current-time', '{ t = «builtins.currentTime»; }', pure, 'error'],
  ['impure-current-time', '{ t = «builtins.currentTime»; }', {}, 'information'],
  ['impure-current-system', '{ s = builtins.currentSystem or "x86_64-linux"; }', pure],
  ['impure-current-system', '{ s = if builtins ? currentSystem then builtins.currentSystem else "x86_64-linux"; }', pure],
  ['impure-current-system', '{ system ? builtins.currentSystem }: system', {}],
  ['impure-current-system', '{ system ? «builtins.currentSystem» }: system', pure, 'information'],
  ['impure-current-system', '{ pkgs ? «import nixpkgs { }», nixpkgs }: pkgs', pure, 'information'],
  ['impure-current-system', '{ nixpkgs }: { t = import (nixpkgs + "/lib/tests/release.nix") { }; m = import "${nixpkgs}/pkgs/top-level/metrics.nix" { }; }', pure],
  ['impure-current-system', 'let src = let lock = builtins.fromJSON (builtins.readFile ./flake.lock); in fetchTarball { url = lock.nodes.nixpkgs.url; sha256 = lock.nodes.nixpkgs.narHash; }; in import src { }', pure],
  ['impure-current-system', '{ outputs = { nixpkgs, ... }: { p = «import nixpkgs { }»; }; }', FLAKE, 'error'],
  ['impure-lookup-path', '{ f = import <nix/fetchurl.nix> { url = "https://example.org/x"; sha256 = "0000000000000000000000000000000000000000000000000000"; }; }', pure],
  ['impure-lookup-path', '{ p = import «<nixpkgs>» { }; }', pure, 'error'],
  ['impure-lookup-path', '{ p = import «<nixpkgs>» { }; }', {}, 'information'],
  ['impure-lookup-path', '{ lib ? import «<nixpkgs/lib>» }: lib', pure, 'information'],
  ['impure-store-path', '{ p = «builtins.storePath» /nix/store/abc-hello; }', {}, 'information'],
  ['impure-absolute-path', '{ a = ./. + /rel; b = root + /secrets/x.age; c = /. + "/etc/hosts"; d = import /${pkgs.path}/nixos/lib { }; e = "/${x}"; }', pure],
  ['impure-absolute-path', '{ services.transmission.home = /mnt/2tb; }', {}],
  ['impure-absolute-path', '{ services.transmission.home = «/mnt/2tb»; }', pure, 'information'],
  ['impure-absolute-path', '{ data = import «/etc/nixos/network.nix»; }', pure, 'error'],
  ['impure-absolute-path', '{ imports = [ «/etc/nixos/hardware-configuration.nix» ]; }', {}, 'information'],
  ['impure-absolute-path', '{ k = «~/.ssh/id.pub»; }', pure, 'error'],
  ['unpinned-fetch', '{ src = builtins.fetchGit ./.; }', {}],
  ['unpinned-fetch', '{ src = «builtins.fetchGit ./.»; }', pure, 'error'],
  ['unpinned-fetch', '{ fetchurl }: { a = fetchurl { url = "https://e.org/a"; md5 = "d41d8cd98f00b204e9800998ecf8427e"; }; b = fetchurl { url = "https://e.org/b"; sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"; }; c = fetchurl { url = "https://e.org/c"; sha512 = "x"; }; d = fetchurl { url = "https://e.org/d"; hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; }; }', {}],
  ['unpinned-fetch', '{ fetchurl }: fetchurl { url = "https://e.org/a"; showURLs = true; }', {}],
  ['unpinned-fetch', '{ hm = «builtins.fetchTarball "https://github.com/nix-community/home-manager/archive/master.tar.gz"»; }', {}, 'information'],
  ['unpinned-fetch', '{ fetchurl }: «fetchurl { url = "https://e.org/a"; }»', {}, 'error'],
  ['impure-exec', 'derivation { name = "x"; builder = "/bin/sh"; system = "x86_64-linux"; «__impure» = true; }', pure, 'information'],
  ['impure-store-path', '{ src }: { outPath = if builtins.isPath src && builtins ? currentSystem then builtins.storePath src else "${src}"; }', pure],
  ['impure-lookup-path', '{ config, pkgs, lib, ... }: { p = if lib.versionAtLeast config.home.stateVersion "20.09" then pkgs.path else «<nixpkgs>»; }', pure, 'information'],
  ['impure-current-time', '{ f, runCommand }: if f != null then f else runCommand "v" { time = «builtins.currentTime»; } "date > $out"', pure, 'information'],
  ['impure-env', '{ lib, c, ... }: { x = lib.mkIf c { u = «builtins.getEnv» "USER"; }; }', pure, 'information'],
  // a function inside the file: its callers are not checked, so its default is a hint
  ['impure-lookup-path', 'let mk = { pkgs ? import «<nixpkgs>» { } }: pkgs.hello; in { a = mk { pkgs = null; }; }', pure, 'hint'],
  ['impure-lookup-path', 'let x = 1; in { pkgs ? import «<nixpkgs>» { } }: pkgs.hello', pure, 'information'],
  // a let value is evaluated where it is used: only in a branch (niv's mkPkgs), or for sure
  ['impure-lookup-path', 'let has = builtins.any (x: x.prefix == "nixpkgs") «builtins.nixPath»; in if builtins.pathExists ./p then ./p else if has then «<nixpkgs>» else abort "no"', pure, 'information'],
  ['impure-lookup-path', 'let p = «<nixpkgs>»; in { a = import p { }; }', pure, 'error'],
  ['impure-lookup-path', 'let p = «<nixpkgs>»; in { a = import p { }; b = if c then p else null; }', pure, 'error'],
  // a generated pin loader (niv, npins, lon): its overrides from the environment are its design
  ['impure-env', '# This file has been generated by Niv.\nlet e = builtins.getEnv "NIV_OVERRIDE_x"; in if e == "" then ./a else /. + e', pure],
  ['impure-lookup-path', '# Generated by npins. Do not modify\n{ p = import «<nixpkgs>» { }; }', pure, 'error'],
  // nixos-generate-config's output is the user's to edit: it is no pin loader
  ['impure-lookup-path', "# Do not modify this file!  It was generated by 'nixos-generate-config'\n{ imports = [ «<nixpkgs/nixos/modules/installer/scan/not-detected.nix>» ]; }", {}, 'information'],
  [`impure-env`, `/*\n${'  licence text\n'.repeat(100)}*/\n# Generated by npins. Do not modify\nlet e = builtins.getEnv "NPINS_OVERRIDE_x"; in e`, pure],
  // a template's placeholder, and an option's example, are never evaluated
  ['impure-lookup-path', '{ pkgs, ... }: { systemd.services.x.serviceConfig.ExecStart = import <SERVICE-NAME> { }; p = <PACKAGE-NAME>; }', pure],
  ['impure-absolute-path', '{ lib, ... }: { options.x = lib.mkOption { type = lib.types.attrs; example = { passwordFile = /secrets/u1; }; }; }', pure],
  ['impure-absolute-path', '{ lib, ... }: { options.x = lib.mkOption { type = lib.types.path; default = «/secrets/u1»; }; }', pure, 'information'],
  // an archive of one commit does not change outside pure evaluation; a flake still refuses it
  ['unpinned-fetch', 'let rev = "4f6d8095fd51"; in import (fetchTarball { url = "https://github.com/nixos/nixpkgs/archive/${rev}.tar.gz"; }) { }', {}],
  ['unpinned-fetch', 'import (builtins.fetchTarball https://github.com/NixOS/nixpkgs/archive/93184413f2180ce79d53df91df4d43c2e8f931aa.tar.gz) { }', {}],
  ['unpinned-fetch', '{ p = «builtins.fetchTarball "https://github.com/NixOS/nixpkgs/archive/93184413f2180ce79d53df91df4d43c2e8f931aa.tar.gz"»; }', pure, 'error'],
];

for (const [code, fixture, options, severity] of PLACES) {
  test(`${code} ${severity ?? 'nothing'} where ${JSON.stringify(options)}: ${fixture}`, async () => {
    const { found } = await check(code, fixture, options);
    for (const f of found) assert.equal(f.severity, severity, f.message);
  });
}

test('messages say where Nix refuses the construct and where it only depends on the machine', async () => {
  const { found: inFlake } = await check('impure-env', '{ outputs = _: { h = «builtins.getEnv» "HOME"; }; }', FLAKE);
  assert.match(inFlake[0].message, /returns "" when Nix evaluates purely/);
  const { found: imported } = await check('impure-current-time', '{ t = «builtins.currentTime»; }', pure);
  assert.match(imported[0].message, /attribute 'currentTime' missing/);
  const { found: local } = await check('unpinned-fetch', '{ src = «builtins.fetchGit ./.»; }', pure);
  assert.match(local[0].message, /local checkout is refused when Nix evaluates purely/);
  const { found: byDefault } = await check('impure-lookup-path', '{ lib ? import «<nixpkgs/lib>» }: lib', pure);
  assert.match(byDefault[0].message, /default argument, used only when the caller passes nothing/);
});

test('fix: <nixpkgs> becomes the flake input in scope, or the module\'s pkgs', async () => {
  await checkFix('impure-lookup-path', '{ nixpkgs, ... }: import «<nixpkgs>» { system = "x86_64-linux"; }', /flake input/, '{ nixpkgs, ... }: import nixpkgs { system = "x86_64-linux"; }');
  await checkFix('impure-lookup-path', '{ inputs, ... }: import «<nixpkgs/nixos>» { }', /flake input/, '{ inputs, ... }: import (inputs.nixpkgs + "/nixos") { }');
  await checkFix('impure-lookup-path', '{ pkgs, ... }: { environment.systemPackages = [ (import «<nixpkgs>» { }).hello ]; }', /module's pkgs/, '{ pkgs, ... }: { environment.systemPackages = [ (pkgs).hello ]; }');
});

test('fix: an unpinned fetch gets a placeholder hash', async () => {
  await checkFix('unpinned-fetch', '{ lib, pkgs }: «pkgs.fetchFromGitHub {\n  owner = "o";\n  repo = "r";\n  rev = "v1";\n}»', /hash = lib\.fakeHash;.*prints the real hash/,
    '{ lib, pkgs }: pkgs.fetchFromGitHub {\n  owner = "o";\n  repo = "r";\n  rev = "v1";\n  hash = lib.fakeHash;\n}');
  await checkFix('unpinned-fetch', '«builtins.fetchTarball "https://example.org/a.tar.gz"»', /sha256/,
    'builtins.fetchTarball { url = "https://example.org/a.tar.gz"; sha256 = "0000000000000000000000000000000000000000000000000000"; }');
  await checkFix('unpinned-fetch', '{ fetchurl }: «fetchurl { url = "https://example.org/x"; }»', /hash = "sha256-/,
    '{ fetchurl }: fetchurl { url = "https://example.org/x"; hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; }');
});

test('fix: import nixpkgs { } in a flake gets the system in scope', async () => {
  await checkFix('impure-current-system', '{ outputs = { nixpkgs, ... }: let system = "x86_64-linux"; in { p = «import nixpkgs { }»; }; }', /inherit system/,
    '{ outputs = { nixpkgs, ... }: let system = "x86_64-linux"; in { p = import nixpkgs { inherit system; }; }; }', FLAKE);
});
