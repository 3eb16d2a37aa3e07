import { builtinOf } from '../analysis/builtinRefs';
import type { Node } from '../parse/language';
import type { NixDocument } from '../parse/documents';
import { parentOf, withParens } from '../parse/nodeIndex';
import { plainString } from '../parse/attrNames';
import { fileDefinitions } from './configRules';
import type { Rule, RuleFinding } from './types';

/**
 * File names that hold secrets in the clear: private keys (`id_ed25519`, `*.key`, a `.pem` named
 * as a key), key files, password files and `.env` files. Encrypted ones (`*.age`, sops'
 * `*.enc.*`) and public keys are not secrets to the store, and neither is a certificate: on real
 * code `./eduroam-cert.pem` was a CA certificate, so a `.pem` counts only when its name says key.
 */
const SECRET_NAME = /^(id_(rsa|dsa|ecdsa|ed25519)(_sk)?|.*\.(key|p12|pfx)|.*(key|priv|secret).*\.pem|.*keyfile.*|password.*|\.env(\.(?!example$|sample$|template$)[^/]+)?)$/i;
const NOT_SECRET = /\.(pub|age|asc|gpg)$|\.enc(\.|$)|sops/i;

/** Where a path's file ends up in the world-readable store: copied by interpolation, read into the evaluation, or linked into /etc. */
type Use = 'interpolated' | 'read' | 'etc';

const SAFE = 'Keep secrets out of the store: give NixOS a runtime path instead (hashedPasswordFile, the service\'s *File option), with agenix or sops-nix managing the file';

export const secretInStore: Rule = {
  code: 'secret-in-store',
  severity: 'warning',
  scope: 'file',
  description: 'A file that looks like a secret (a private key, a password or .env file) copied into the world-readable Nix store, or a plaintext password in users.users.',
  check(doc, ctx) {
    const found: RuleFinding[] = [];
    const etcSources = new Set<number>();
    for (const { def } of fileDefinitions(doc, ctx)) {
      const p = def.path;
      if (p[0] === 'environment' && p[1] === 'etc' && p.length === 4 && p[3] === 'source') etcSources.add(def.valueSpan.start);
      if (p[0] === 'users' && p[1] === 'users' && p.length === 4 && (p[3] === 'password' || p[3] === 'initialPassword')) {
        const value = doc.tree.rootNode.descendantForIndex(def.valueSpan.start, def.valueSpan.end);
        const literal = value && (value.type === 'string_expression' || value.type === 'indented_string_expression') ? plainString(value) : undefined;
        if (literal === undefined || literal === '') continue;
        found.push({
          start: def.key.start, end: def.key.end,
          message: `users.users.${p[2]}.${p[3]} puts the password in the world-readable Nix store in plain text. Use hashedPasswordFile (a runtime file, e.g. from agenix or sops-nix), or hashedPassword`,
        });
      }
    }
    for (const node of secretLookingPaths(doc)) {
      const name = node.text.replace(/\/+$/, '').split('/').pop() ?? '';
      if (node.text.includes('${') || !SECRET_NAME.test(name) || NOT_SECRET.test(name)) continue;
      const use = useOf(node, etcSources, ctx.scopes);
      if (!use) continue;
      const how = use === 'interpolated' ? 'interpolating it copies' : use === 'read' ? 'reading it puts its content in the evaluation, and in' : 'environment.etc.<name>.source copies';
      found.push({ start: node.startIndex, end: node.endIndex, message: `${node.text} looks like a secret, and ${how} the file into the world-readable Nix store. ${SAFE}` });
    }
    return found.sort((a, b) => a.start - b.start);
  },
};

/**
 * The path literals whose text could name a secret, found from the text: a rule that runs on the
 * whole file at every edit must not walk every node of a large one (all-packages.nix).
 */
function* secretLookingPaths(doc: NixDocument): Generator<Node> {
  const seen = new Set<number>();
  for (const m of doc.text.matchAll(CANDIDATE)) {
    for (let n: Node | null = doc.tree.rootNode.descendantForIndex(m.index!, m.index!), up = 0; n && up < 3; n = parentOf(n), up++) {
      if (n.type !== 'path_expression' && n.type !== 'hpath_expression') continue;
      if (!seen.has(n.id)) {
        seen.add(n.id);
        yield n;
      }
      break;
    }
  }
}

/** The parts of a secret-looking file name; the path literal around one is what SECRET_NAME judges. */
const CANDIDATE = /id_(?:rsa|dsa|ecdsa|ed25519)|\.key|\.pem|\.p12|\.pfx|keyfile|password|\.env/gi;

/** How a path literal's file reaches the store here, if it does. */
function useOf(path: Node, etcSources: ReadonlySet<number>, scopes: Parameters<typeof builtinOf>[1]): Use | undefined {
  const outer = withParens(path);
  const parent = parentOf(outer);
  if (parent?.type === 'interpolation') return 'interpolated';
  if (parent?.type === 'apply_expression' && parent.childForFieldName('argument')?.id === outer.id) {
    const name = builtinOf(parent.childForFieldName('function'), scopes);
    if (name === 'readFile') return 'read';
    const fn = parent.childForFieldName('function')?.text ?? '';
    if (/(^|\.)(readFile|fileContents)$/.test(fn)) return 'read';
  }
  if (etcSources.has(outer.startIndex)) return 'etc';
  return undefined;
}
