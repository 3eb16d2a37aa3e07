import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { diagnose } from '../../server/src/features/diagnostics';
import { createKnowledge } from '../../server/src/options/knowledge';
import { readDocument } from '../../server/src/parse/documents';
import { readTextFile } from '../../server/src/util/files';
import { collectNixFiles } from '../../server/src/util/nixFiles';
import { Project } from '../../server/src/workspace/project';
import { tmpDir } from '../fixtureWorkspace';
import { parseDoc, parser } from '../helpers';

/** As many .nix files as the server reads of a workspace for cross-file checks (server.ts). */
const SERVER_READS = 3000;

/** A correct GPU flake: its host module (a configuration.nix) gets allowUnfree from a module beside it. */
const FLAKE: Record<string, string> = {
  'flake.nix': `{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";
  outputs = { nixpkgs, ... }: { nixosConfigurations.gpu = nixpkgs.lib.nixosSystem { modules = [ ./configuration.nix ./unfree.nix ]; }; };
}
`,
  'configuration.nix': '{ ... }: {\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = true;\n  hardware.graphics.enable = true;\n}\n',
  'unfree.nix': '{ ... }: { nixpkgs.config.allowUnfree = true; }\n',
};

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** What the server reports for the flake's configuration.nix, open in an editor, with the workspace at `root`. */
async function reportFor(root: string, flakeDir: string): Promise<string[]> {
  const p = await parser();
  const { files, truncated } = collectNixFiles([root], SERVER_READS);
  const file = path.join(flakeDir, 'configuration.nix');
  const doc = await parseDoc(fs.readFileSync(file, 'utf8'), pathToFileURL(file).href);
  const project = new Project(p, {
    read: readTextFile,
    files: () => [...files, file],
    open: f => (f === file ? doc : undefined),
    parse: (f, t) => readDocument(p, f, t),
    partial: () => truncated,
  });
  const context = project.contextFor(doc, 'auto', createKnowledge());
  return diagnose(doc, { context }).filter(f => f.severity !== 'hint').map(f => `${f.severity} ${f.code} ${f.range.start.line + 1}`).sort();
}

test('a flake gets the same findings opened alone and inside a workspace of 10,000 other .nix files', async () => {
  const alone = tmpDir('flake-alone');
  write(alone, FLAKE);
  const big = tmpDir('big-workspace');
  // 10,000 small files the directory walk meets first, then the flake
  const filler: Record<string, string> = {};
  for (let i = 0; i < 10_000; i++) filler[`aaa-${String(i % 100).padStart(3, '0')}/m${i}.nix`] = `{ ... }: { networking.hostName = "h${i}"; }\n`;
  write(big, filler);
  write(path.join(big, 'zzz-flake'), FLAKE);

  const expected = await reportFor(alone, alone);
  assert.deepEqual(expected, [], 'the flake is correct');
  assert.deepEqual(await reportFor(big, path.join(big, 'zzz-flake')), expected);

  // and a broken one is broken in both: the host no longer gets allowUnfree
  fs.writeFileSync(path.join(alone, 'unfree.nix'), '{ ... }: { }\n');
  fs.writeFileSync(path.join(big, 'zzz-flake', 'unfree.nix'), '{ ... }: { }\n');
  const broken = await reportFor(alone, alone);
  assert.deepEqual(broken, ['error cuda-unfree 2']);
  assert.deepEqual(await reportFor(big, path.join(big, 'zzz-flake')), broken);
});
