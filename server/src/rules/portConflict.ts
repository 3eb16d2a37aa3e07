import type { Configuration } from '../analysis/configuration';
import type { Definition } from '../analysis/definitions';
import type { Knowledge } from '../options/knowledge';
import { perConfiguration, trueDefs, type ConfigProblem } from './configRules';
import type { Rule } from './types';

interface Listener {
  service: string;
  port: number;
  /** Where the port comes from: an explicit definition, else the enable line (the default port). */
  at: Definition;
  explicit: boolean;
}

function listeners(cfg: Configuration, kb: Knowledge): Listener[] {
  const out: Listener[] = [];
  for (const enable of cfg.definitions) {
    const [root, service, last] = enable.path;
    if (root !== 'services' || enable.path.length !== 3 || last !== 'enable' || enable.conditional) continue;
    if (!(enable.value.kind === 'bool' && enable.value.value)) continue;
    const explicit = [...cfg.get(`services.${service}.port`), ...cfg.get(`services.${service}.settings.port`)].find(d => !d.conditional);
    if (explicit) {
      if (explicit.value.kind === 'number') out.push({ service, port: explicit.value.value, at: explicit, explicit: true });
      continue;
    }
    const fallback = Number(kb.options('nixos').get(['services', service, 'port'])?.default);
    if (Number.isInteger(fallback) && fallback > 0) out.push({ service, port: fallback, at: enable, explicit: false });
  }
  return out;
}

export const portConflict: Rule = {
  code: 'port-conflict',
  severity: 'warning',
  description: 'Two enabled services on the same port in one configuration (open-webui and llama-cpp both default to 8080): the second one fails to start.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const byPort = new Map<number, Listener[]>();
      for (const l of listeners(cfg, ctx.knowledge)) byPort.set(l.port, [...(byPort.get(l.port) ?? []), l]);
      const problems: ConfigProblem[] = [];
      for (const [port, ls] of byPort) {
        const services = new Set(ls.map(l => l.service));
        if (services.size < 2) continue;
        for (const l of ls) {
          const others = [...services].filter(s => s !== l.service).join(', ');
          problems.push({
            at: l.at,
            onValue: l.explicit,
            message: `${l.service} listens on port ${port}${l.explicit ? '' : ' (its default)'}, as does ${others}: the second one to start cannot bind it; give one of them another port`,
          });
        }
      }
      return problems;
    });
  },
};
