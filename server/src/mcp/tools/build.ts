import * as fs from 'fs';
import { z } from 'zod/v4';
import { parseClosureDiff, type ClosureChange } from '../../nix/closureDiff';
import { parseNixErrors } from '../../nix/nixErrors';
import { findConfiguration, type Configuration } from '../configurations';
import type { ToolContext } from '../context';
import type { Extra, Tool } from './tool';

export type Built =
  | { ok: true; storePath: string; closure?: ClosureChange[]; comparedWith?: string }
  | { ok: false; message: string; problems: Array<{ file: string; line: number; column: number; message: string }> };

/** Nix's output as progress notifications, when the client asked for progress. */
function progressOf(extra: Extra | undefined): ((chunk: string) => void) | undefined {
  const token = extra?._meta?.progressToken;
  if (token === undefined || !extra) return undefined;
  let progress = 0;
  return chunk => {
    for (const line of chunk.split('\n').map(l => l.trim()).filter(Boolean)) {
      void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: ++progress, message: line.slice(0, 300) } }).catch(() => undefined);
    }
  };
}

/** `nix build --no-link --json` of the configuration: never activates anything. */
export async function buildConfiguration(ctx: ToolContext, conf: Configuration, extra?: Extra): Promise<Built> {
  const report = progressOf(extra);
  const r = await ctx.nix(['build', '--no-link', '--json', '--no-write-lock-file', '-L', `${ctx.root}#${conf.attr}`], {
    signal: extra?.signal,
    ...(report ? { onOutput: (chunk: string, stream: 'stdout' | 'stderr') => { if (stream === 'stderr') report(chunk); } } : {}),
  });
  if (r.kind !== 'ok') {
    const problems = r.kind === 'failed'
      ? parseNixErrors(r.stderr, ctx.root).map(p => ({ file: fileShown(ctx, p.file), line: p.line, column: p.column, message: p.message }))
      : [];
    return { ok: false, message: ctx.why(r, `building ${conf.name}`), problems };
  }
  const out = (JSON.parse(r.stdout) as Array<{ outputs?: Record<string, string> }>)[0]?.outputs?.out;
  if (!out) return { ok: false, message: `nix built ${conf.name} but named no output path`, problems: [] };
  if (conf.kind !== 'nixos' || !fs.existsSync(ctx.args.currentSystem)) return { ok: true, storePath: out };
  const diff = await ctx.nix(['store', 'diff-closures', ctx.args.currentSystem, out]);
  if (diff.kind !== 'ok') return { ok: true, storePath: out };
  return { ok: true, storePath: out, closure: parseClosureDiff(diff.stdout), comparedWith: ctx.args.currentSystem };
}

/** A file Nix named: relative when it is in the flake, else as Nix printed it (a store path, nixpkgs). */
function fileShown(ctx: ToolContext, file: string): string {
  const inside = ctx.inside(file);
  return inside.ok ? ctx.shown(inside.path) : file;
}

export function builtText(b: Extract<Built, { ok: true }>): string {
  const lines = [`built ${b.storePath}`];
  if (b.closure) {
    lines.push(b.closure.length ? `against ${b.comparedWith}:` : `same packages as ${b.comparedWith}`);
    for (const c of b.closure) {
      const what = c.kind === 'added' ? `added ${c.to.join(', ')}` : c.kind === 'removed' ? `removed ${c.from.join(', ')}` : c.kind === 'size' ? 'size only' : `${c.from.join(', ')} → ${c.to.join(', ')}`;
      lines.push(`  ${c.name}: ${what}${c.size ? ` (${c.size})` : ''}`);
    }
  }
  return lines.join('\n');
}

const change = z.object({ name: z.string(), kind: z.enum(['added', 'removed', 'changed', 'size']), from: z.array(z.string()), to: z.array(z.string()), size: z.string().optional() });

export const build: Tool = {
  name: 'build',
  config: {
    title: 'Build a configuration',
    description: 'Build a NixOS, nix-darwin or home-manager configuration of the flake (a name from list_outputs) without activating it. Returns the store path and, for NixOS when this machine runs a system, the package changes against it (added, removed, new versions). When the build fails, the Nix errors come back with the flake files and lines they point to. Progress is streamed when the client asks for it.',
    inputSchema: { configuration: z.string().min(1).describe('e.g. "gpu-box" or "nixosConfigurations.gpu-box"') },
    outputSchema: { configuration: z.string(), storePath: z.string(), comparedWith: z.string().optional(), closure: z.array(change).optional() },
    annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  },
  handler: async (ctx, input, extra) => {
    const { configuration } = input as { configuration: string };
    const found = await findConfiguration(ctx, configuration);
    if ('failed' in found) return ctx.error(found.failed);
    const built = await buildConfiguration(ctx, found.found, extra);
    if (!built.ok) return buildFailure(ctx, built);
    const { ok: _ok, ...rest } = built;
    return ctx.result({ configuration: found.found.name, ...rest }, builtText(built));
  },
};

/** A failed build: the message, and each Nix error at its place in the flake. */
export function buildFailure(ctx: ToolContext, b: Extract<Built, { ok: false }>) {
  const places = b.problems.map(p => `${p.file}:${p.line}:${p.column}: ${p.message}`);
  return ctx.error([b.message, ...places].join('\n'));
}
