import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareReleases, detectRelease, describeRelease, releaseFromLock, releaseFromUrl } from '../../server/src/analysis/release';

const lock = (original: object, inputName = 'nixpkgs') => JSON.stringify({
  version: 7, root: 'root',
  nodes: { root: { inputs: { nixpkgs: inputName } }, [inputName]: { locked: {}, original } },
});

test('the release comes from the nixpkgs input of flake.lock', () => {
  assert.equal(releaseFromLock(lock({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-25.11' })), '25.11');
  assert.equal(releaseFromLock(lock({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-24.05-small' })), '24.05');
  assert.equal(releaseFromLock(lock({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'release-25.05' })), '25.05');
  assert.equal(releaseFromLock(lock({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-unstable' })), 'unstable');
  assert.equal(releaseFromLock(lock({ type: 'github', owner: 'NixOS', repo: 'nixpkgs' })), 'unstable', 'no ref follows master');
  assert.equal(releaseFromLock(lock({ type: 'indirect', id: 'nixpkgs' })), 'unstable');
  assert.equal(releaseFromLock(lock({ type: 'git', url: 'https://github.com/NixOS/nixpkgs?ref=nixos-26.05' }, 'nixpkgs_2')), '26.05');
  assert.equal(releaseFromLock(lock({ type: 'github', owner: 'numtide', repo: 'flake-utils' }, 'utils')), undefined);
  assert.equal(releaseFromLock('not json'), undefined);
});

test('a setting wins; with nothing known the newest stable release is assumed and messages say so', () => {
  const locked = lock({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-24.11' });
  assert.deepEqual(detectRelease('25.05', locked), { name: '25.05', source: 'setting' });
  assert.deepEqual(detectRelease('auto', locked), { name: '24.11', source: 'flake.lock' });
  const assumed = detectRelease('auto', undefined);
  assert.deepEqual(assumed, { name: '26.05', source: 'assumed' });
  assert.match(describeRelease(assumed), /^NixOS 26\.05 \(assumed; set nixAi\.nixosRelease/);
  assert.ok(compareReleases('unstable', '26.05') > 0 && compareReleases('24.11', '25.05') < 0 && compareReleases('25.11', '25.11') === 0);
});

test("without a flake.lock the branch in flake.nix's nixpkgs url says the release; a commit or another repository says nothing", () => {
  assert.equal(releaseFromUrl('github:NixOS/nixpkgs/nixos-25.11'), '25.11');
  assert.equal(releaseFromUrl('github:nixos/nixpkgs?ref=nixos-24.05'), '24.05');
  assert.equal(releaseFromUrl('github:NixOS/nixpkgs/nixos-unstable'), 'unstable');
  assert.equal(releaseFromUrl('nixpkgs/nixos-unstable'), 'unstable');
  assert.equal(releaseFromUrl('github:NixOS/nixpkgs'), 'unstable', 'no branch follows master');
  assert.equal(releaseFromUrl('https://github.com/NixOS/nixpkgs/archive/nixos-25.05.tar.gz'), '25.05');
  assert.equal(releaseFromUrl('github:NixOS/nixpkgs/0123456789abcdef0123456789abcdef01234567'), undefined);
  assert.equal(releaseFromUrl('github:nix-community/home-manager/release-25.05'), undefined);
  assert.deepEqual(detectRelease('auto', undefined, 'github:NixOS/nixpkgs/nixos-25.05'), { name: '25.05', source: 'flake.nix' });
  assert.match(describeRelease({ name: '25.05', source: 'flake.nix' }), /from flake\.nix's nixpkgs url/);
  const locked = lock({ type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref: 'nixos-24.11' });
  assert.deepEqual(detectRelease('auto', locked, 'github:NixOS/nixpkgs/nixos-25.05'), { name: '24.11', source: 'flake.lock' }, 'the lock wins');
});
