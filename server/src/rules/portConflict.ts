import type { Configuration } from '../analysis/configuration';
import type { Definition } from '../analysis/definitions';
import type { Knowledge } from '../options/knowledge';
import { perConfiguration, type ConfigProblem } from './configRules';
import type { Rule } from './types';
import { addTo } from '../util/lists';

interface Listener {
  service: string;
  port: number;
  /** Where the port comes from: an explicit definition, else the enable line (the default port). */
  at: Definition;
  explicit: boolean;
}

function listeners(cfg: Configuration, kb: Knowledge): Listener[] {
  const out: Listener[] = [];
  const services = new Set(cfg.definitions.filter(d => d.path.length === 3 && d.path[0] === 'services' && d.path[2] === 'enable').map(d => d.path[1]));
  for (const service of services) {
    const enable = cfg.trueDefs(`services.${service}.enable`)[0];
    if (!enable || cfg.isTrue(`services.${service}.enable`) !== true) continue;
    const ports = [cfg.resolve(`services.${service}.port`), cfg.resolve(`services.${service}.settings.port`)];
    const explicit = ports.find(r => r.kind === 'known');
    if (explicit?.kind === 'known') {
      const at = explicit.defs[0];
      if (explicit.defs.length === 1 && at.value.kind === 'number') out.push({ service, port: at.value.value, at, explicit: true });
      continue;
    }
    if (ports.some(r => r.kind === 'unknown')) continue;
    const fallback = Number(kb.options('nixos').get(['services', service, 'port'])?.default);
    if (Number.isInteger(fallback) && fallback > 0) out.push({ service, port: fallback, at: enable, explicit: false });
  }
  return out;
}

export const portConflict: Rule = {
  code: 'port-conflict',
  severity: 'warning',
  scope: 'file',
  description: 'Two enabled services on the same port in one configuration (open-webui and llama-cpp both default to 8080): the second one fails to start.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => {
      const byPort = new Map<number, Listener[]>();
      for (const l of listeners(cfg, ctx.knowledge)) addTo(byPort, l.port, l);
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
