import { describeRelease, releaseSeverity, hasChange } from '../analysis/release';
import { splitOptionName } from '../options/optionIndex';
import { declaredBy, defineOption, fileDefinitions, releasesFor, writtenValue } from './configRules';
import { removeSpan } from './edits';
import type { Fix, Rule, RuleFinding } from './types';

export const deprecatedOption: Rule = {
  code: 'deprecated-option',
  severity: 'warning',
  scope: 'file',
  description: 'An option that was renamed or deprecated in the detected NixOS release (hardware.opengl.* -> hardware.graphics.*, enableNvidia -> the container toolkit …).',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    for (const { def, cfg } of fileDefinitions(doc, ctx)) {
      const o = ctx.knowledge.options(def.set).get(def.path);
      if (!o || (o.status !== 'renamed' && o.status !== 'deprecated')) continue;
      if (declaredBy(ctx, def) === 'set') continue;
      const releases = releasesFor(doc, ctx, def, r => !o.removedIn || hasChange(r, o.removedIn));
      if (!releases) continue;
      const release = releases.hit[0];
      const since = o.removedIn ? ` in NixOS ${o.removedIn} (checked against ${describeRelease(release)})` : '';
      const target = o.replacedBy;
      const message = (target
        ? `${o.name} was ${o.status}${since}: use ${target}${o.status === 'renamed' ? ' (same value)' : ''}`
        : `${o.name} was deprecated${since}`) + releases.partly;
      const fixes: Fix[] = [];
      if (target && !releases.partly) {
        const prefix = def.path.slice(0, def.path.length - def.written.length);
        const next = splitOptionName(target);
        const title = `Rename to ${target}`;
        const safe = o.status === 'renamed';
        if (prefix.every((p, i) => next[i] === p) && next.length > prefix.length) {
          fixes.push({ title, edits: [{ start: def.key.start, end: def.key.end, newText: next.slice(prefix.length).join('.') }], preferred: true, safe });
        } else {
          const add = defineOption(doc, cfg, target, writtenValue(doc, def));
          const remove = removeSpan(doc, def.binding.start, def.binding.end);
          if (add && (add.start < remove.start || add.start > remove.end)) fixes.push({ title, edits: [remove, add], preferred: true, safe });
        }
      }
      // on a release we only assume, the new name may not exist yet: renaming could break the file
      found.push({ start: def.key.start, end: def.key.end, severity: releaseSeverity(release, 'warning'), message, tags: ['deprecated'], fixes });
    }
    return found;
  },
};
