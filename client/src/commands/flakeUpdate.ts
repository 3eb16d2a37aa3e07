import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { FLAKE_FLAGS } from '../../../server/src/nix/flakeOutputs';
import { describeChanges, lockChanges } from '../../../server/src/nix/lockDiff';
import { runTask } from '../nixTask';
import type { CommandContext } from './index';
import { folderAndNix, optionsArg } from './pickers';

function readLock(dir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, 'flake.lock'), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Nix: Update Flake Inputs — all of them or the chosen ones, as a task; then what changed per
 * input (old revision → new, with dates), read from flake.lock before and after.
 */
export async function flakeUpdate({ services }: CommandContext, where?: unknown, options?: unknown): Promise<string[] | undefined> {
  const given = optionsArg<{ inputs: string[] }>(options);
  const ready = await folderAndNix(services, where);
  if (!ready) return undefined;
  const before = readLock(ready.dir);
  let inputs = given.inputs;
  if (!inputs) {
    const names = before ? Object.keys((JSON.parse(before).nodes?.root?.inputs ?? {}) as object) : [];
    const picks = names.length
      ? await vscode.window.showQuickPick(names.map(n => ({ label: n, picked: true })), { title: 'Update which inputs?', canPickMany: true })
      : [];
    if (!picks) return undefined;
    inputs = picks.length === names.length ? [] : picks.map(p => p.label);
  }
  const argv = inputs.length
    ? [ready.nix.nix, ...FLAKE_FLAGS, 'flake', 'lock', ...inputs.flatMap(i => ['--update-input', i]), ready.dir]
    : [ready.nix.nix, ...FLAKE_FLAGS, 'flake', 'update', ready.dir];
  const result = await runTask({ name: 'nix flake update', argv, cwd: ready.dir, env: ready.nix.env, root: ready.dir }, services.problems);
  if (result.kind !== 'ok') return undefined;
  const summary = describeChanges(lockChanges(before, readLock(ready.dir)));
  services.output.appendLine(`flake update in ${ready.dir}:`);
  for (const line of summary) services.output.appendLine(`  ${line}`);
  void vscode.window.showInformationMessage(`Flake inputs: ${summary.join('; ')}`);
  return summary;
}
