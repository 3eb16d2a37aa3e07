import { z } from 'zod/v4';
import { checkFiles } from '../../cli/checkFiles';
import { byPath, jsonReport, type FileReport } from '../../cli/report';
import { collectNixFiles } from '../../util/nixFiles';
import type { ToolContext } from '../context';
import type { Tool } from './tool';

/** The findings of the files named (default: the whole flake), as `nix-ai check --format json` gives them. */
export function checkPaths(ctx: ToolContext, paths: readonly string[]): { reports: FileReport[] } | { refused: string } {
  const full: string[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const inside = ctx.inside(p);
    if (!inside.ok) return { refused: inside.reason };
    full.push(inside.path);
  }
  const collected = collectNixFiles(full);
  // a linked file in a folder may lead out of the root: it is listed, not read
  const files = collected.files.filter(f => ctx.inside(f).ok);
  const errors = [...collected.errors, ...collected.files.filter(f => !files.includes(f)).map(f => ({ path: f, message: 'links outside the flake root, so it was not read' }))];
  const unreadable: FileReport[] = errors.map(e => ({ path: ctx.shown(e.path), diagnostics: [], error: e.message }));
  const reports = checkFiles(ctx.parser, files, { release: 'auto', ignore: new Set() }, unreadable)
    .map(r => ({ ...r, path: ctx.shown(r.path) }));
  return { reports: [...unreadable, ...reports].sort(byPath) };
}

const range = z.object({ start: z.object({ line: z.number(), character: z.number() }), end: z.object({ line: z.number(), character: z.number() }) });

export const check: Tool = {
  name: 'check',
  config: {
    title: 'Check Nix files',
    description: 'Check the flake\'s .nix files (or the paths given, relative to the flake root) for syntax errors, undefined names, impure code, wrong or renamed NixOS options, broken GPU setups and secrets that would land in the store. Each finding has a stable code, a 0-based range and, where one exists, fixes as text edits (safe ones can be applied with the fix tool).',
    inputSchema: { paths: z.array(z.string()).optional().describe('files or folders inside the flake root; default: all of it') },
    outputSchema: {
      version: z.number(),
      files: z.array(z.object({
        path: z.string(),
        error: z.string().optional(),
        diagnostics: z.array(z.object({
          code: z.string(), severity: z.string(), range, message: z.string(),
          fixes: z.array(z.object({ title: z.string(), safe: z.boolean(), edits: z.array(z.object({ range, newText: z.string() })) })).optional(),
        })),
      })),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  handler: async (ctx, input) => {
    const { paths } = input as { paths?: string[] };
    const out = checkPaths(ctx, paths ?? []);
    if ('refused' in out) return ctx.error(out.refused);
    const report = jsonReport(out.reports);
    const count = report.files.reduce((n, f) => n + f.diagnostics.length, 0);
    return ctx.result(report, `${count} finding(s) in ${report.files.length} file(s)\n${JSON.stringify(report, null, 2)}`);
  },
};
