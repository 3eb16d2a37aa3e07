import * as fs from 'fs';
import * as path from 'path';
import { collectNixFiles } from '../../util/nixFiles';
import { LineIndex } from '../../parse/lineIndex';
import { readTextFile } from '../../util/files';
import { findProgram } from '../machine';
import { ok, skip, type CheckFn, type Exam } from '../types';

const NIX_LD_LIB = '/run/current-system/sw/share/nix-ld/lib';

/** The folders of LD_LIBRARY_PATH that hold libcuda.so.1 on the machine. */
function reachesLibcuda(exam: Exam, value: string | undefined): string | undefined {
  return (value ?? '').split(':').filter(d => d.startsWith('/')).find(d => exam.machine.exists(`${d}/libcuda.so.1`));
}

/**
 * Can a program that Nix did not build see libcuda.so.1 from this shell? A pip wheel (torch, jax)
 * loads it by name, and on NixOS only LD_LIBRARY_PATH (or nix-ld, for programs it runs) leads there.
 */
export const shellLibcudaCheck: CheckFn = exam => {
  const id = 'shell-libcuda';
  if (!exam.nvidia) return skip(id, 'no NVIDIA GPU on this machine');
  if (exam.os.kind !== 'nixos') return skip(id, 'only NixOS hides the driver from programs Nix did not build (see host-driver for the other way round)');
  const dir = reachesLibcuda(exam, exam.env.LD_LIBRARY_PATH);
  if (dir) return ok(id, `this shell's LD_LIBRARY_PATH reaches libcuda.so.1 (${dir})`);
  if (exam.machine.exists(`${NIX_LD_LIB}/libcuda.so.1`)) {
    return ok(id, 'programs run through nix-ld (a Python from uv or conda) find libcuda.so.1 among its libraries; a pip wheel inside a Nix-built Python still needs LD_LIBRARY_PATH');
  }
  return {
    id, status: 'warn',
    message: 'this shell\'s LD_LIBRARY_PATH does not reach libcuda.so.1, and nix-ld does not provide it: a pip wheel (torch, jax) reports that CUDA is unavailable',
    fix: 'In the dev shell set LD_LIBRARY_PATH = "/run/opengl-driver/lib"; (mkShell), or in this shell: export LD_LIBRARY_PATH=/run/opengl-driver/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}',
  };
};

/** Words in a dev shell that mean GPU programs run in it. */
const WANTS_CUDA = /\b(cuda\w*|cudatoolkit|torch\w*|tensorflow\w*|jax\w*|pip|uv|venv|onnxruntime)\b/i;
/** Words that mean the shell already leads to the driver. */
const REACHES_DRIVER = /\/run\/opengl-driver|driverLink|addDriverRunpath|addOpenGLRunpath|nixGL|nixglhost|NIX_LD/;
/** What makes a dev shell. */
const SHELL = /\b(mkShell\w*|devShells?|devenv)\b/;

/** Files a workspace keeps its shells in, without reading all of a big tree. */
const MAX_SHELL_FILES = 500;

/** The workspace's dev shells that run GPU programs but never lead them to the driver. */
export const workspaceShellCheck: CheckFn = exam => {
  const id = 'workspace-shell';
  if (!exam.workspace) return skip(id, 'no workspace folder given (--workspace)');
  if (!exam.nvidia) return skip(id, 'no NVIDIA GPU on this machine');
  if (exam.os.kind !== 'nixos') return skip(id, 'only NixOS hides the driver from programs Nix did not build');
  const found: Array<{ file: string; line: number }> = [];
  let shells = 0;
  for (const file of shellFiles(exam.workspace)) {
    const text = readTextFile(file);
    if (!text || !SHELL.test(text)) continue;
    shells++;
    if (!WANTS_CUDA.test(text) || REACHES_DRIVER.test(text)) continue;
    const at = text.search(SHELL);
    found.push({ file, line: new LineIndex(text).positionAt(at).line + 1 });
  }
  if (!shells) return skip(id, 'the workspace defines no dev shell');
  if (!found.length) return ok(id, `the workspace's dev shells that use CUDA lead to the driver (${shells} file${shells === 1 ? '' : 's'} with shells)`);
  const names = found.map(f => `${path.relative(exam.workspace!, f.file)}:${f.line}`);
  return {
    id, status: 'warn',
    message: `the dev shell in ${names.join(', ')} uses CUDA, Python wheels or the like, but nothing in it leads to /run/opengl-driver/lib: programs in it that Nix did not build cannot load libcuda.so.1`,
    fix: 'Add LD_LIBRARY_PATH = "/run/opengl-driver/lib"; to the shell (or "${pkgs.addDriverRunpath.driverLink}/lib").',
    action: { kind: 'open', ...found[0] },
  };
};

function shellFiles(workspace: string): string[] {
  const named = ['flake.nix', 'shell.nix', 'devenv.nix'].map(n => path.join(workspace, n)).filter(f => fs.existsSync(f));
  const { files } = collectNixFiles([workspace], MAX_SHELL_FILES);
  return [...new Set([...named, ...files])];
}

/** On another Linux, programs Nix built look for the driver in /run/opengl-driver, not in the host's folders. */
export const hostDriverCheck: CheckFn = exam => {
  const id = 'host-driver';
  const { machine } = exam;
  if (exam.os.kind !== 'linux') return skip(id, exam.os.kind === 'nixos' ? 'NixOS provides /run/opengl-driver itself' : 'not a Linux system');
  if (!machine.exists('/nix/store')) return skip(id, 'Nix is not installed here');
  if (!exam.gpus.length && !exam.nvidia) return skip(id, 'no GPU on this machine');
  if (machine.list('/run/opengl-driver/lib').length) return ok(id, '/run/opengl-driver/lib exists: programs built by Nix find the driver there');
  const wrapper = ['nixGL', 'nixGLNvidia', 'nixGLIntel', 'nixVulkanNvidia', 'nixglhost'].find(p => findProgram(machine, p, exam.env));
  if (wrapper) return ok(id, `${wrapper} is installed: run GPU programs built by Nix through it`);
  return {
    id, status: 'warn',
    message: 'programs built by Nix look for the GPU driver in /run/opengl-driver/lib, which this system does not have, and they do not search the host\'s library folders',
    fix: 'Run GPU programs through nixGL or nix-gl-host (nixglhost), or link the host\'s driver libraries into /run/opengl-driver/lib (system-manager can keep that link).',
  };
};
