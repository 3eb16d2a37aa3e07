import { z } from 'zod/v4';
import type { Knowledge } from '../../options/knowledge';
import type { Tool } from './tool';

export interface Ranked {
  name: string;
  type: string;
  summary: string;
  score: number;
}

/** The first sentence of a description, on one line. */
function firstSentence(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const end = line.search(/[.!?](\s|$)/);
  return end === -1 ? line.slice(0, 200) : line.slice(0, Math.min(end + 1, 200));
}

/**
 * Options ranked for a query of words: a word in the name counts more than one in the
 * description, a whole name segment more than part of one, and an exact name most.
 */
export function rankOptions(knowledge: Knowledge, query: string, limit: number): Ranked[] {
  const q = query.trim().toLowerCase();
  const words = q.split(/[\s.]+/).filter(Boolean);
  if (!words.length) return [];
  const out: Ranked[] = [];
  for (const set of ['nixos', 'home-manager', 'darwin'] as const) {
    for (const o of knowledge.options(set).all()) {
      const name = o.name.toLowerCase();
      const segments = name.split('.');
      const description = o.description.toLowerCase();
      let score = name === q ? 100 : 0;
      for (const w of words) {
        if (segments.includes(w)) score += 10;
        else if (name.includes(w)) score += 5;
        else if (description.includes(w)) score += 1;
        else {
          score = 0;
          break;
        }
      }
      if (score) out.push({ name: o.name, type: o.type, summary: firstSentence(o.description), score: score - segments.length * 0.1 });
    }
  }
  return out.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)).slice(0, limit);
}

export const searchOptions: Tool = {
  name: 'search_options',
  config: {
    title: 'Search NixOS options',
    description: 'NixOS and home-manager options matching every word of the query (in the name or the description), best first, each with its type and the first sentence of its description. Searches this flake\'s own pinned nixpkgs when nix can load it, else the built-in GPU/AI catalog.',
    inputSchema: {
      query: z.string().min(1).describe('words, e.g. "nvidia open" or "ollama acceleration"'),
      limit: z.number().int().min(1).max(200).optional().describe('at most this many (default 20)'),
    },
    outputSchema: {
      results: z.array(z.object({ name: z.string(), type: z.string(), summary: z.string() })),
      source: z.object({ origin: z.enum(['catalog', 'nixpkgs', 'download']), detail: z.string() }),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  handler: async (ctx, input) => {
    const { query, limit } = input as { query: string; limit?: number };
    const { knowledge, source } = await ctx.options.knowledge();
    const results = rankOptions(knowledge, query, limit ?? 20).map(({ name, type, summary }) => ({ name, type, summary }));
    const text = [`${results.length} option(s) from the ${source.detail}`, ...results.map(r => `${r.name} (${r.type}): ${r.summary}`)].join('\n');
    return ctx.result({ results, source }, text);
  },
};
