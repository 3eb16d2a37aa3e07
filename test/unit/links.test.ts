import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentLinks, flakeRefPage, type PathKind } from '../../server/src/features/links';
import { parseDoc } from '../helpers';

const tree: Record<string, 'file' | 'directory'> = {
  '/w/hosts/gpu.nix': 'file', '/w/modules': 'directory', '/w/modules/default.nix': 'file', '/w/empty': 'directory',
  '/w/sub': 'directory', '/w/sub/flake.nix': 'file', '/etc/nixos/configuration.nix': 'file', '/home/me/x.nix': 'file',
};
const kind: PathKind = f => tree[f];

async function links(text: string): Promise<Array<[string, string]>> {
  const doc = await parseDoc(text, 'file:///w/flake.nix');
  return documentLinks(doc, kind, '/home/me').map(l => [text.slice(l.start, l.end), l.target]);
}

test('links: paths that exist, a folder to its default.nix, home paths; not missing or interpolated ones', async () => {
  assert.deepEqual(await links('[ ./hosts/gpu.nix ./modules ./empty ./missing.nix ./${x}.nix /etc/nixos/configuration.nix ~/x.nix <nixpkgs> ]'), [
    ['./hosts/gpu.nix', 'file:///w/hosts/gpu.nix'],
    ['./modules', 'file:///w/modules/default.nix'],
    ['/etc/nixos/configuration.nix', 'file:///etc/nixos/configuration.nix'],
    ['~/x.nix', 'file:///home/me/x.nix'],
  ]);
});

test('links: URLs in strings and bare, flake references to their page, path: to the flake', async () => {
  assert.deepEqual(await links(`{
    a.url = "github:NixOS/nixpkgs/nixos-25.11";
    b.url = "github:nix-community/home-manager";
    c.url = "gitlab:owner/repo/main?dir=sub";
    d.url = "sourcehut:~user/repo";
    e.url = "git+https://git.example.org/x.git?ref=main";
    f.url = "path:./sub";
    g = "https://developer.nvidia.com/cuda";
    h = https://example.org/bare;
    i = "see https://example.org inside";
    j = "github:\${owner}/repo";
  }`), [
    ['github:NixOS/nixpkgs/nixos-25.11', 'https://github.com/NixOS/nixpkgs/tree/nixos-25.11'],
    ['github:nix-community/home-manager', 'https://github.com/nix-community/home-manager'],
    ['gitlab:owner/repo/main?dir=sub', 'https://gitlab.com/owner/repo/-/tree/main'],
    ['sourcehut:~user/repo', 'https://git.sr.ht/~user/repo'],
    ['git+https://git.example.org/x.git?ref=main', 'https://git.example.org/x.git'],
    ['path:./sub', 'file:///w/sub/flake.nix'],
    ['https://developer.nvidia.com/cuda', 'https://developer.nvidia.com/cuda'],
    ['https://example.org/bare', 'https://example.org/bare'],
  ]);
  assert.equal(flakeRefPage('nixpkgs'), undefined, 'an indirect reference has no page of its own');
  assert.equal(flakeRefPage('tarball+https://example.org/a.tar.gz'), 'https://example.org/a.tar.gz');
});
