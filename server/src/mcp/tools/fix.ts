import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { z } from 'zod/v4';
import { fixFile } from '../../cli/fix';
import type { ToolContext } from '../context';
import { checkPaths } from './check';
import type { Tool } from './tool';

/** `diff -u` of two texts, labelled with the file's path as the agent knows it. */
async function unifiedDiff(ctx: ToolContext, shown: string, before: string, after: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-fix-'));
  try {
    fs.writeFileSync(path.join(dir, 'a'), before);
    fs.writeFileSync(path.join(dir, 'b'), after);
    const r = await ctx.program(['diff', '-u', '--label', `a/${shown}`, '--label', `b/${shown}`, 'a', 'b'], { cwd: dir });
    // diff exits 1 when the files differ
    return r.kind === 'failed' && r.code === 1 ? r.stdout : r.kind === 'ok' ? '' : `(no diff: ${ctx.why(r, 'diff')})`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const fix: Tool = {
  name: 'fix',
  config: {
    title: 'Apply safe fixes',
    description: 'Apply the fixes marked safe to one .nix file inside the flake root (only those of the given diagnostic codes, when codes are given) and return the unified diff. A fix whose result would not parse is refused and the file left unchanged.',
    inputSchema: {
      path: z.string().describe('a .nix file inside the flake root'),
      codes: z.array(z.string()).optional().describe('only fix findings with these codes'),
    },
    outputSchema: {
      path: z.string(),
      applied: z.array(z.object({ code: z.string(), title: z.string(), line: z.number() })),
      diff: z.string(),
      refused: z.string().optional(),
    },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  handler: async (ctx, input) => {
    const { path: given, codes } = input as { path: string; codes?: string[] };
    const inside = ctx.inside(given);
    if (!inside.ok) return ctx.error(inside.reason);
    if (!fs.existsSync(inside.path) || !fs.statSync(inside.path).isFile()) return ctx.error(`${given} is not a file in the flake`);
    const out = checkPaths(ctx, [inside.path]);
    if ('refused' in out) return ctx.error(out.refused);
    const report = out.reports[0];
    if (!report || report.error) return ctx.error(`${given} cannot be read${report?.error ? `: ${report.error}` : ''}`);
    const wanted = codes?.length ? new Set(codes) : undefined;
    const findings = report.diagnostics.filter(d => !wanted || wanted.has(d.code));
    const before = fs.readFileSync(inside.path, 'utf8');
    const { applied, refused } = fixFile(ctx.parser, inside.path, findings);
    const diff = applied.length ? await unifiedDiff(ctx, report.path, before, fs.readFileSync(inside.path, 'utf8')) : '';
    const summary = refused ?? (applied.length ? `applied ${applied.length} fix(es)` : 'no safe fix applies');
    return ctx.result({ path: report.path, applied, diff, ...(refused ? { refused } : {}) }, `${summary}\n${diff}`);
  },
};
