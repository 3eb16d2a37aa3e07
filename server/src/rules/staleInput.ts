import { filePathOf } from '../analysis/definitions';
import { flakeInputUrls } from '../analysis/flakeInputs';
import { daysSince, isNixpkgs, lockDate, rootInput } from '../analysis/flakeLock';
import type { Rule, RuleFinding } from './types';

export const STALE_DAYS = 60;

/**
 * A locked nixpkgs older than the threshold (nixAi.diagnostics.staleInputDays): it gets no
 * security fixes until the lock is updated. Only flake.lock is read; nothing is fetched.
 */
export const staleInput: Rule = {
  code: 'stale-input',
  severity: 'information',
  scope: 'file',
  description: 'A nixpkgs input locked longer ago than nixAi.diagnostics.staleInputDays (60 days): it gets no security fixes until flake.lock is updated.',
  check(doc, ctx) {
    if (!ctx.lock || ctx.now === undefined || !filePathOf(doc.uri).endsWith('flake.nix')) return [];
    const top = doc.tree.rootNode.childForFieldName('expression');
    const limit = ctx.staleAfterDays ?? STALE_DAYS;
    const found: RuleFinding[] = [];
    for (const input of top ? flakeInputUrls(top) : []) {
      const node = rootInput(ctx.lock, input.name);
      const modified = node?.locked?.lastModified;
      if (!node || !modified || !isNixpkgs(node)) continue;
      const days = daysSince(modified, ctx.now);
      if (days <= limit) continue;
      found.push({
        start: input.node.startIndex,
        end: input.node.endIndex,
        message: `${input.name} is locked to a revision from ${lockDate(modified)}, ${days} days ago: it gets no security fixes until flake.lock is updated (Update Flake Inputs)`,
      });
    }
    return found;
  },
};
