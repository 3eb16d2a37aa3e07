import fs from 'node:fs';
import path from 'node:path';
import { checkFiles } from '../server/src/cli/checkFiles';
import type { Configuration } from '../server/src/analysis/configuration';
import { readDocument } from '../server/src/parse/documents';
import { readTextFile } from '../server/src/util/files';
import { collectNixFiles } from '../server/src/util/nixFiles';
import { Project } from '../server/src/workspace/project';
import { tmpDir } from './fixtureWorkspace';
import { parser } from './helpers';

export interface DiskFinding {
  code: string;
  severity: string;
  message: string;
  /** 1-based */
  line: number;
  /** The text the finding covers. */
  text: string;
}

/**
 * A workspace written to a temporary folder (folder listings, imports and flake.lock are real),
 * checked the way `nix-ai check` checks it (`release` as --release). Paths in `files` are relative to the folder.
 */
export async function onDisk(files: Record<string, string>, release = 'auto') {
  const dir = tmpDir('disk');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const p = await parser();
  const all = collectNixFiles([dir]).files;
  const reports = checkFiles(p, all, { release, ignore: new Set() }, []);
  const findings = (name: string, code?: string): DiskFinding[] => {
    const full = path.join(dir, name);
    const text = fs.readFileSync(full, 'utf8');
    const lines = text.split('\n');
    const report = reports.find(r => r.path === full);
    return (report?.diagnostics ?? []).filter(d => !code || d.code === code).map(d => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      line: d.range.start.line + 1,
      text: lines[d.range.start.line].slice(d.range.start.character, d.range.start.line === d.range.end.line ? d.range.end.character : undefined),
    }));
  };
  const project = new Project(p, { read: readTextFile, files: () => all, open: () => undefined, checksAll: true, parse: (f, t) => readDocument(p, f, t) });
  const configurations = (name: string): Configuration[] => project.analyze().configurationsOf(path.join(dir, name)).filter(c => !c.lone);
  return { dir, findings, configurations };
}

/** A flake.nix with these inputs (name -> url) and this `outputs` body. */
export function flake(inputs: Record<string, string>, outputs: string): string {
  const lines = Object.entries(inputs).map(([name, url]) => `  inputs.${name}.url = "${url}";`);
  return `{\n${lines.join('\n')}\n  outputs = ${outputs};\n}\n`;
}

/** A NixOS module with the NVIDIA driver and the given extra lines. */
export function nvidiaModule(extra = ''): string {
  return `{ config, lib, pkgs, ... }:\n{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.nvidia.open = true;\n  hardware.graphics.enable = true;\n${extra}}\n`;
}

export const NIXPKGS = 'github:NixOS/nixpkgs/nixos-25.11';
