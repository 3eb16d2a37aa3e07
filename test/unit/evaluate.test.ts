import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Evaluator } from '../../server/src/analysis/eval/evaluate';
import { parseToml } from '../../server/src/analysis/eval/toml';
import type { Value } from '../../server/src/analysis/eval/value';
import { sourceStorePath } from '../../server/src/analysis/lockedInputs';
import { readDocument } from '../../server/src/parse/documents';
import { parser } from '../helpers';

/** Evaluate `expr` (as /ws/main.nix) over in-memory files and folders, to plain JSON where known. */
async function evaluate(expr: string, files: Record<string, string> = {}, steps?: number): Promise<unknown> {
  const p = await parser();
  const all: Record<string, string> = { '/ws/main.nix': expr, ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`/ws/${k}`, v])) };
  const ev = new Evaluator({
    text: f => all[f],
    doc: f => (all[f] === undefined ? undefined : readDocument(p, f, all[f])),
    readDir: dir => {
      const out = new Map<string, string>();
      for (const f of Object.keys(all)) {
        if (!f.startsWith(`${dir}/`)) continue;
        const rest = f.slice(dir.length + 1);
        out.set(rest.split('/')[0], rest.includes('/') ? 'directory' : 'regular');
      }
      return out.size ? out : undefined;
    },
  }, steps ? { steps } : {});
  return plain(ev, ev.importFile('/ws/main.nix'), 0);
}

function plain(ev: Evaluator, raw: Value, depth: number): unknown {
  const v = ev.value(raw);
  switch (v.t) {
    case 'unknown': return { unknown: v.why.kind, why: v.why.text };
    case 'bool':
    case 'number':
    case 'string': return v.v;
    case 'path': return `path:${v.v}`;
    case 'null': return null;
    case 'list': return depth > 8 ? '…' : v.items.map(t => plain(ev, t.get(), depth + 1));
    case 'attrs': return depth > 8 ? '…' : Object.fromEntries([...v.attrs].map(([k, t]) => [k, plain(ev, t.get(), depth + 1)]));
    default: return `<${v.t}>`;
  }
}

test('the language: let, rec, with, inherit, functions with formals and defaults, strings and paths', async () => {
  assert.deepEqual(await evaluate('let a = 1; b = a + 1; f = { x, y ? 10, ... }@all: x + y + all.x; in { inherit a b; c = f { x = 2; }; }'), { a: 1, b: 2, c: 14 });
  assert.deepEqual(await evaluate('rec { a = "x"; b = "${a}-y"; c = ./hosts/${b}; }'), { a: 'x', b: 'x-y', c: 'path:/ws/hosts/x-y' });
  assert.deepEqual(await evaluate('with { z = 3; }; let y = 4; in [ z y ]'), [3, 4]);
  assert.deepEqual(await evaluate('{ a.b = 1; a.c = 2; }'), { a: { b: 1, c: 2 } });
  assert.equal(await evaluate("''\n  one\n    two\n''"), 'one\n  two\n');
  assert.equal(await evaluate('if 1 < 2 && !false then "yes" else throw "no"'), 'yes');
});

test('laziness: what is never asked for is never evaluated, and a cycle is unknown, not a hang', async () => {
  assert.deepEqual(await evaluate('{ ok = 1; bad = throw "boom"; }'), { ok: 1, bad: { unknown: 'unsupported', why: 'a throw' } });
  assert.deepEqual(await evaluate('let x = { a = x.a; }; in x.a'), { unknown: 'unsupported', why: 'a value that needs itself (infinite recursion)' });
  const slow = await evaluate('let f = n: f (n + 1); in f 0', {}, 5_000) as { unknown: string };
  assert.equal(slow.unknown, 'budget');
});

test('builtins and lib used to assemble configurations', async () => {
  assert.deepEqual(await evaluate('let lib = (import ./lib.nix); in lib.genAttrs [ "a" "b" ] (n: n + "!")', { 'lib.nix': '{ genAttrs = names: f: builtins.listToAttrs (map (n: { name = n; value = f n; }) names); }' }), { a: 'a!', b: 'b!' });
  assert.deepEqual(await evaluate('(x: x) (builtins.mapAttrs (k: v: v * 2) { a = 1; b = 2; })'), { a: 2, b: 4 });
  assert.deepEqual(await evaluate('builtins.filter (x: x > 1) [ 1 2 3 ]'), [2, 3]);
  assert.deepEqual(await evaluate('builtins.attrNames (builtins.readDir ./hosts)', { 'hosts/gpu/default.nix': '{}', 'hosts/office.nix': '{}' }), ['gpu', 'office.nix']);
  assert.deepEqual(await evaluate('builtins.fromJSON (builtins.readFile ./hosts.json)', { 'hosts.json': '{"gpu": {"nvidia": true}}' }), { gpu: { nvidia: true } });
  assert.deepEqual(await evaluate('builtins.match "([a-z]+)-([0-9]+)" "gpu-01"'), ['gpu', '01']);
  assert.equal(await evaluate('builtins.compareVersions "1.10" "1.9"'), 1);
  assert.deepEqual(await evaluate('builtins.parseDrvName "nvidia-x11-580.95.05-6.12"'), { name: 'nvidia-x11', version: '580.95.05-6.12' });
  // warnings change no value, whatever their condition; a throwIf that holds is unknown
  assert.equal(await evaluate('builtins.warn "old" 1'), 1);
  assert.equal(await evaluate('let lib = import ./lib.nix; in lib', { 'lib.nix': 'builtins.warn "x" 2' }), 2);
  // a function's argument nothing passes is unknown, and says which
  assert.deepEqual(await evaluate('({ hostname, ... }: hostname) { }'), { unknown: 'missing', why: 'argument hostname (not passed)' });
});

test('fromTOML reads host registries; what it cannot read is unknown', async () => {
  assert.deepEqual(parseToml('# hosts\n[gpu]\nkind = "computer"\ntags = [ "cuda", # comment\n "ollama" ]\n[gpu.gpu]\nvendors = [ "nvidia" ]\n[[users]]\nname = \'me\'\n'), {
    gpu: { kind: 'computer', tags: ['cuda', 'ollama'], gpu: { vendors: ['nvidia'] } },
    users: [{ name: 'me' }],
  });
  assert.deepEqual(await evaluate('builtins.fromTOML "when = 1979-05-27"'), { unknown: 'unsupported', why: 'TOML we do not read' });
});

test('a locked source\'s store path is the one Nix computes from its narHash', () => {
  // the path `nix flake lock` gave a path: input of this hash (Nix 2.8, store /nix/store)
  assert.equal(sourceStorePath('sha256-9vl9T4YG0Q3gURfn/vHdMf3YfR6H2RRKxQVdcK0dQvc=', 'source', '/nix/store'), '/nix/store/k4m557akwnqglldrbwyqcgmci0agk7kz-source');
  assert.equal(sourceStorePath('sha256:f6f97d4f8606d10de05117e7fef1dd31fdd87d1e87d9144ac5055d70ad1d42f7', 'source', '/nix/store'), '/nix/store/k4m557akwnqglldrbwyqcgmci0agk7kz-source', 'base-16 of the same hash');
  assert.equal(sourceStorePath('md5-xxx'), undefined);
});
