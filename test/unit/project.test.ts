import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NixDocument } from '../../server/src/parse/documents';
import { Project } from '../../server/src/workspace/project';
import { parseDoc, parser } from '../helpers';

/** A project over in-memory files under /ws, with `open` documents that win over the disk. */
async function projectOf(disk: Record<string, string>) {
  const open = new Map<string, NixDocument>();
  const project = new Project(await parser(), {
    read: file => disk[file.replace('/ws/', '')],
    files: () => Object.keys(disk).map(f => `/ws/${f}`),
    open: file => open.get(file),
  });
  const edit = async (name: string, text: string) => {
    open.set(`/ws/${name}`, await parseDoc(text, `file:///ws/${name}`));
    project.changed();
  };
  const files = (name: string) => project.analyze().configurationsOf(`/ws/${name}`).flatMap(c => [...c.files]).map(f => f.replace('/ws/', '')).sort();
  const isSet = (name: string, option: string) => project.analyze().configurationsOf(`/ws/${name}`).map(c => c.isSet(option));
  return { edit, files, isSet };
}

test('an edit of an open document reaches exactly the files it names now', async () => {
  const { edit, files, isSet } = await projectOf({
    'host.nix': '{ ... }: { networking.hostName = "box"; }',
    // names no other file: read only when something imports it
    'a.nix': '{ ... }: { services.ollama.enable = true; }',
    'b.nix': '{ ... }: { imports = [ ./c.nix ]; }',
    'c.nix': '{ ... }: { hardware.nvidia.open = true; }',
  });
  await edit('host.nix', '{ ... }: { networking.hostName = "box2"; }');
  assert.deepEqual(files('host.nix'), ['host.nix']);
  assert.deepEqual(isSet('host.nix', 'hardware.nvidia.open'), ['unknown'], 'not set here, and a module nobody imports may be completed elsewhere');
  // the same files named, other definitions: the new definitions are what the configuration holds
  await edit('host.nix', '{ ... }: { networking.hostName = "box3"; hardware.nvidia.open = false; }');
  assert.deepEqual(files('host.nix'), ['host.nix']);
  assert.deepEqual(isSet('host.nix', 'hardware.nvidia.open'), ['set']);
  // now it names a file nothing reached before
  await edit('host.nix', '{ ... }: { imports = [ ./a.nix ]; }');
  assert.deepEqual(files('host.nix'), ['a.nix', 'host.nix']);
  await edit('host.nix', '{ ... }: { imports = [ ./b.nix ]; }');
  assert.deepEqual(files('host.nix'), ['b.nix', 'c.nix', 'host.nix']);
});

test("a file's flake is looked for a bounded number of folders up, and found where it is", async () => {
  const asked: string[] = [];
  const disk: Record<string, string> = { '/ws/flake.nix': '{ inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05"; outputs = _: { }; }' };
  const project = new Project(await parser(), {
    read: file => {
      asked.push(file);
      return disk[file];
    },
    files: () => [],
    open: () => undefined,
  });
  assert.equal(project.flakeOf('/ws/hosts/gpu/default.nix')?.nixpkgsUrl, 'github:NixOS/nixpkgs/nixos-25.05');
  asked.length = 0;
  // a path 50,000 folders deep (an editor may send one): no flake, and no 50,000 look-ups
  assert.equal(project.flakeOf(`/${'d/'.repeat(50_000)}x.nix`), undefined);
  assert.ok(asked.length > 0 && asked.length <= 128, `${asked.length} folders looked at`);
});
