import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { attrNames, currentSystem, defaultTarget, inspectProject, OUTPUT_OF, type ConfigurationKind, type NixEnv } from '../../../server/src/nix/flakeOutputs';
import type { Services } from '../services';

/** Shared steps of the commands: which folder, which configuration, which shell. */
export interface Target {
  kind: ConfigurationKind;
  dir: string;
  /** The flake attribute name; undefined for a configuration.nix without a flake. */
  name?: string;
  configurationNix?: string;
}

/**
 * The folder to act on: the one of a file the command was invoked on (the explorer's or editor's
 * context menu passes its Uri), else the workspace folder; and nix, when it can run.
 */
export async function folderAndNix(services: Services, where?: unknown): Promise<{ dir: string; nix: NixEnv } | undefined> {
  let dir: string | undefined;
  if (where instanceof vscode.Uri && where.scheme === 'file') dir = where.fsPath.endsWith('.nix') ? path.dirname(where.fsPath) : where.fsPath;
  else dir = (await services.folder())?.uri.fsPath;
  if (!dir) {
    void vscode.window.showWarningMessage('Open a folder with a flake.nix (or configuration.nix, shell.nix) first.');
    return undefined;
  }
  const nix = await services.nix();
  return nix ? { dir, nix } : undefined;
}

/** The flake's configurations of every kind, by name only; this machine's host first. */
export async function pickTarget(dir: string, nix: NixEnv, given?: Partial<Target>): Promise<Target | undefined> {
  const project = inspectProject(dir);
  if (given?.kind && (given.name || !project.flake)) return { kind: given.kind, dir, name: given.name, configurationNix: project.configurationNix };
  if (!project.flake) {
    return project.configurationNix ? { kind: 'nixos', dir, configurationNix: project.configurationNix } : undefined;
  }
  const kinds = Object.keys(OUTPUT_OF) as ConfigurationKind[];
  const listings = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Listing configurations' },
    () => Promise.all(kinds.map(k => attrNames(dir, OUTPUT_OF[k], nix))));
  const failed = listings.find(l => !l.ok);
  if (failed && !failed.ok) {
    void vscode.window.showErrorMessage(`Listing the flake's configurations failed: ${failed.reason}`);
    return undefined;
  }
  const host = os.hostname();
  const items = kinds.flatMap((kind, i) => {
    const names = listings[i].ok ? (listings[i] as { names: string[] }).names : [];
    const preferred = defaultTarget(names, host);
    return names.map(name => ({ label: name, description: `${OUTPUT_OF[kind]}${name === preferred && kind !== 'home' ? ' · this machine' : ''}`, configKind: kind, name, preferred: name === preferred }));
  }).sort((a, b) => Number(b.preferred) - Number(a.preferred));
  if (!items.length) {
    void vscode.window.showWarningMessage('This flake has no nixosConfigurations, darwinConfigurations or homeConfigurations.');
    return undefined;
  }
  const pick = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'Which configuration?' });
  return pick && { kind: pick.configKind, dir, name: pick.name };
}

export interface ShellChoice {
  dir: string;
  label: string;
  flakeAttr?: string;
  file?: string;
  /** devenv and flox have their own commands and are entered, not loaded. */
  tool?: 'devenv' | 'flox';
}

/** The shells a folder offers: the flake's devShells for this system, shell.nix / default.nix, devenv, flox. */
export async function pickShell(dir: string, nix: NixEnv, forEditor: boolean, given?: string): Promise<ShellChoice | undefined> {
  const project = inspectProject(dir);
  const choices: ShellChoice[] = [];
  if (project.flake) {
    const system = await currentSystem(nix, dir);
    const listed = system ? await attrNames(dir, `devShells.${system}`, nix) : undefined;
    if (listed && !listed.ok) {
      void vscode.window.showErrorMessage(`Listing the flake's dev shells failed: ${listed.reason}`);
      return undefined;
    }
    for (const name of listed?.ok ? listed.names : []) choices.push({ dir, label: name === 'default' ? 'default' : name, flakeAttr: `devShells.${system}.${name}` });
  }
  if (project.shellFile) choices.push({ dir, label: path.basename(project.shellFile), file: project.shellFile });
  if (!forEditor && project.devenv) choices.push({ dir, label: 'devenv shell', tool: 'devenv' });
  if (!forEditor && project.flox) choices.push({ dir, label: 'flox activate', tool: 'flox' });
  if (given) return choices.find(c => c.label === given);
  if (!choices.length) {
    void vscode.window.showWarningMessage('No dev shell here: no devShells in flake.nix, no shell.nix or default.nix, no devenv.nix or .flox.');
    return undefined;
  }
  if (choices.length === 1) return choices[0];
  const pick = await vscode.window.showQuickPick(choices.map(c => ({ label: c.label, description: c.flakeAttr ?? c.file ?? c.tool, c })), { title: 'Which dev shell?' });
  return pick?.c;
}

/** The options object a caller passed, or {} for what the explorer passes (an array of Uris). */
export function optionsArg<T extends object>(given: unknown): Partial<T> {
  return given && typeof given === 'object' && !Array.isArray(given) && !(given instanceof vscode.Uri) ? (given as Partial<T>) : {};
}
