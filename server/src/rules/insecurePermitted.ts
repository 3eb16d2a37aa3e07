import { attrsOf, plainString, staticAttrName } from '../parse/attrNames';
import { nodesIn } from '../parse/nodeIndex';
import { unparenthesize } from '../parse/syntaxTree';
import type { Rule, RuleFinding } from './types';

/**
 * Each package a configuration lets in although nixpkgs marks it insecure
 * (`nixpkgs.config.permittedInsecurePackages`, or the same key of `import nixpkgs { config = … }`),
 * with the configurations that permit it, so none is forgotten.
 */
/** What a permitted entry has to look like to let a package in: a name, a dash, a version. */
const NAME_VERSION = /^[\w+.-]+-\d[\w.+-]*$/;

export const insecurePermitted: Rule = {
  code: 'insecure-permitted',
  severity: 'information',
  scope: 'file',
  description: 'A package nixpkgs marks insecure, let in by permittedInsecurePackages: listed with the configurations that permit it.',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    // it runs on the whole file at every edit: a file that never names the option costs a text search only
    if (!doc.text.includes('permittedInsecurePackages')) return found;
    // the systems by their names (nixosConfigurations.<name>); a file on its own, an unnamed
    // system ("line 6") or an exported module is no name a reader knows
    const names = [...new Set(ctx.configurations.map(c => c.name).filter(n => /^[\w.-]+$/.test(n) && !n.endsWith('.nix')))];
    const where = names.length ? ` in ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}` : '';
    for (const binding of nodesIn(doc, 'binding')) {
      const attrs = attrsOf(binding.childForFieldName('attrpath'));
      const last = attrs[attrs.length - 1];
      if (!last || staticAttrName(last) !== 'permittedInsecurePackages') continue;
      const list = unparenthesize(binding.childForFieldName('expression'));
      if (list?.type !== 'list_expression') continue;
      for (const element of list.namedChildren) {
        const name = element && (element.type === 'string_expression' ? plainString(element) : undefined);
        // nixpkgs matches name-version exactly ("openssl-1.1.1w"): a bare "foobar123" permits nothing
        if (!element || !name || !NAME_VERSION.test(name)) continue;
        found.push({
          start: element.startIndex,
          end: element.endIndex,
          message: `${name} is permitted${where} although nixpkgs marks it insecure (it has known vulnerabilities); remove it once nothing needs it`,
        });
      }
    }
    return found;
  },
};
