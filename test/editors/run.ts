import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { offlineFlakeConfig, tmpDir } from '../fixtureWorkspace';
import { ROOT } from '../helpers';

/**
 * Run an editor headless on a copy of test/editors/host.nix with the built server: it is told
 * where both are through NIX_AI_* variables and writes what it got to NIX_AI_OUT as JSON.
 */
export interface Editor {
  name: string;
  /** The test script under test/editors/. */
  script: string;
  /** The command line that runs it. */
  argv: (script: string) => string[];
  /** The Debian packages it comes from. */
  install: string;
}

export function runEditor({ name, script: scriptName, argv, install }: Editor): { answers: any; status: number | null; stderr: string } {
  const [command] = argv('');
  if (spawnSync(command, ['--version']).error) throw new Error(`${command} is not installed; this test runs the real ${name} (Debian: apt-get install ${install})`);
  const dir = tmpDir(name.toLowerCase());
  const file = path.join(dir, 'host.nix');
  fs.copyFileSync(path.join(ROOT, 'test', 'editors', 'host.nix'), file);
  const out = path.join(dir, 'answers.json');
  const flake = lockedFlake(dir);
  const script = path.join(ROOT, 'test', 'editors', scriptName);
  const r = spawnSync(command, argv(script).slice(1), {
    encoding: 'utf8', timeout: 120_000, cwd: dir,
    env: { ...process.env, HOME: dir, XDG_STATE_HOME: dir, XDG_CACHE_HOME: dir, XDG_DATA_HOME: dir, NIX_AI_NODE: process.execPath, NIX_AI_SERVER: path.join(ROOT, 'dist', 'server.js'), NIX_AI_FILE: file, NIX_AI_FLAKE: flake, NIX_AI_OUT: out },
  });
  if (!fs.existsSync(out)) throw new Error(`${name} wrote no answers (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  return { answers: JSON.parse(fs.readFileSync(out, 'utf8')), status: r.status, stderr: r.stderr };
}

/**
 * `via-input/flake.nix` under `dir`, whose input `gpu` (a flake exporting nixosModules.tuned) is
 * locked by real nix, so its source is in the store: the editors go to its definition through the input.
 */
function lockedFlake(dir: string): string {
  const input = tmpDir('editor-input');
  fs.writeFileSync(path.join(input, 'flake.nix'), '{ outputs = _: { nixosModules.tuned = ./tuned.nix; nixosModules.plain = ./plain.nix; }; }\n');
  fs.writeFileSync(path.join(input, 'tuned.nix'), '{ ... }: { hardware.nvidia.open = true; }\n');
  fs.writeFileSync(path.join(input, 'plain.nix'), '{ ... }: { }\n');
  const flakeDir = path.join(dir, 'via-input');
  fs.mkdirSync(flakeDir);
  const file = path.join(flakeDir, 'flake.nix');
  fs.writeFileSync(file, `{\n  inputs.gpu.url = "path:${input}";\n  outputs = { self, gpu }: {\n    nixosModules.default = gpu.nixosModules.tuned;\n  };\n}\n`);
  const r = spawnSync('nix', ['flake', 'lock'], { cwd: flakeDir, encoding: 'utf8', env: { ...process.env, NIX_CONFIG: offlineFlakeConfig() } });
  if (r.status !== 0) throw new Error(`nix flake lock failed: ${r.stderr}`);
  return file;
}
