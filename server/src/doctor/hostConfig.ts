import type { Configuration, Truth } from '../analysis/configuration';
import { readDocument } from '../parse/documents';
import { LineIndex } from '../parse/lineIndex';
import type { NixParser } from '../parse/language';
import { readTextFile } from '../util/files';
import { collectNixFiles } from '../util/nixFiles';
import { Project } from '../workspace/project';

/** The workspace's configuration of the machine being examined, as our analysis reads it (no evaluation). */
export interface HostConfig {
  /** "gpu-box (flake.nix, 4 files)" */
  description: string;
  kind: 'nixos' | 'home-manager' | 'other';
  isTrue(option: string): Truth;
  listHas(option: string, item: string): Truth;
  /** A definition of the option: its file and line (1-based), for an editor to open. */
  where(option: string): { file: string; line: number } | undefined;
}

/** Reading more files than this for one host is not the doctor's job: it answers nothing then. */
const MAX_FILES = 2000;

/**
 * The configuration named `hostname` among those the workspace's files define (nixosConfigurations.<name>,
 * a NixOS module tree rooted in a file). Undefined when there is none, or several by that name.
 */
export function hostConfig(parser: NixParser, workspace: string, hostname: string): HostConfig | undefined {
  const { files } = collectNixFiles([workspace], MAX_FILES + 1);
  if (!files.length || files.length > MAX_FILES) return undefined;
  const project = new Project(parser, { read: readTextFile, files: () => files, open: () => undefined, checksAll: true, parse: (f, t) => readDocument(parser, f, t) });
  const analysis = project.analyze();
  const found = new Map<string, Configuration>();
  for (const file of files) {
    for (const c of analysis.configurationsOf(file)) if (c.name === hostname && c.set === 'nixos') found.set(c.root, c);
  }
  if (found.size !== 1) return undefined;
  const c = [...found.values()][0].settled();
  return {
    description: c.describe(workspace),
    kind: 'nixos',
    isTrue: o => c.isTrue(o),
    listHas: (o, item) => c.listHas(o, item),
    where: o => {
      const d = c.get(o).find(x => !x.via) ?? c.get(o)[0];
      const text = d && readTextFile(d.file);
      if (!d || text === undefined) return undefined;
      return { file: d.file, line: new LineIndex(text).positionAt(d.key.start).line + 1 };
    },
  };
}
