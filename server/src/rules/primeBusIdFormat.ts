import { perConfiguration } from './configRules';
import type { Rule } from './types';

const BUS_IDS = ['nvidiaBusId', 'intelBusId', 'amdgpuBusId'].map(n => `hardware.nvidia.prime.${n}`);
/** The form nixpkgs accepts: anything printable, then decimal bus(@domain):device:function. */
const VALID = /^(?:[ -~]+:[0-9]{1,3}(@[0-9]{1,10})?:[0-9]{1,2}:[0-9])?$/;

/** `PCI:c4:0:0` (hex) or lspci's `c4:00.0` / `0000:c4:00.0` -> "PCI:196:0:0"; undefined when it cannot tell. */
export function decimalBusId(id: string): string | undefined {
  const hex = (s: string) => parseInt(s, 16);
  let m = /^(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/.exec(id);
  if (m) {
    const domain = m[1] && hex(m[1]) ? `@${hex(m[1])}` : '';
    return `PCI:${hex(m[2])}${domain}:${hex(m[3])}:${hex(m[4])}`;
  }
  m = /^PCI:([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})[:.]([0-7])$/.exec(id);
  if (m) return `PCI:${hex(m[1])}:${hex(m[2])}:${hex(m[3])}`;
  return undefined;
}

export const primeBusIdFormat: Rule = {
  code: 'prime-bus-id-format',
  severity: 'error',
  scope: 'file',
  description: 'PRIME bus ids are decimal "PCI:bus:device:function"; lspci prints hex ("01:00.0"), which nixpkgs rejects or misreads.',
  check(doc, ctx) {
    return perConfiguration(doc, ctx, cfg => BUS_IDS.flatMap(option => cfg.get(option)).flatMap(at => {
      if (at.value.kind !== 'string' || VALID.test(at.value.value)) return [];
      const fixed = decimalBusId(at.value.value);
      return [{
        at,
        onValue: true,
        message: `"${at.value.value}" is not a bus id nixpkgs accepts: write it in decimal as "PCI:bus:device:function"${fixed ? ` ("${fixed}")` : ''}; lspci prints hex`,
        fixes: fixed ? [{ title: `Use "${fixed}"`, edits: [{ start: at.valueSpan.start, end: at.valueSpan.end, newText: `"${fixed}"` }], preferred: true, safe: true }] : [],
      }];
    }));
  },
};
