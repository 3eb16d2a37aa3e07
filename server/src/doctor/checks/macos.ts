import * as path from 'path';
import { readTextFile } from '../../util/files';
import { collectNixFiles } from '../../util/nixFiles';
import { LineIndex } from '../../parse/lineIndex';
import { ok, skip, type CheckFn } from '../types';

const CUDA = /\b(cudaSupport|cudaPackages\w*|cudatoolkit|torchWithCuda|ollama-cuda|onnxruntime-gpu)\b/;

/** On macOS the GPU is Metal's: what that means for the workspace's shells. */
export const macosCheck: CheckFn = exam => {
  const id = 'macos-metal';
  if (exam.os.kind !== 'macos') return skip(id, 'not macOS');
  const basics = 'the Apple GPU is reached through Metal only: no CUDA or ROCm on macOS (torch uses MPS; ollama and llama.cpp use Metal)';
  if (!exam.workspace) return ok(id, basics);
  const uses: string[] = [];
  for (const file of collectNixFiles([exam.workspace], 500).files) {
    const text = readTextFile(file) ?? '';
    const at = text.search(CUDA);
    if (at !== -1) uses.push(`${path.relative(exam.workspace, file)}:${new LineIndex(text).positionAt(at).line + 1}`);
  }
  if (!uses.length) return ok(id, basics);
  return {
    id, status: 'warn',
    message: `${basics}; ${uses.join(', ')} ask${uses.length === 1 ? 's' : ''} for CUDA, which does not evaluate for a darwin system`,
    fix: 'Keep CUDA shells and packages to x86_64-linux / aarch64-linux outputs and build them on the GPU host (nixos-rebuild --target-host, or a remote builder); give the darwin shell Metal builds instead.',
    action: { kind: 'open', file: path.join(exam.workspace, uses[0].split(':')[0]), line: Number(uses[0].split(':')[1]) },
  };
};
