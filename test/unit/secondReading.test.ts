import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moduleFacts, sharedFactsMemo } from '../../server/src/analysis/definitions';
import { ResolveSession, resolveFacts } from '../../server/src/analysis/resolve';
import { DocumentDiagnostics } from '../../server/src/features/incrementalDiagnostics';
import { applyChanges, createDocument, flatView, readDocument } from '../../server/src/parse/documents';
import { Project } from '../../server/src/workspace/project';
import { ProjectWorld } from '../../server/src/workspace/world';
import { random } from '../generated';
import { parser } from '../helpers';

const MIN_UNITS = 8;

/** A module whose units read literally, through a helper of its header, or only by evaluation. */
function module(): string {
  const units: string[] = [];
  for (let i = 0; i < 40; i++) {
    const kind = i % 5;
    if (kind === 0) units.push(`services.s${i}.enable = true;`);
    else if (kind === 1) units.push(`systemd.services.u${i} = mkService "u${i}" ${8000 + i};`);
    else if (kind === 2) units.push(`services.p${i}.port = base + ${i};`);
    else if (kind === 3) units.push(`environment.etc."e${i}".text = "value ${i}";`);
    else units.push(`hardware.nvidia.open = lib.mkIf gpu ${i % 2 ? 'true' : 'false'};`);
  }
  return `{ config, lib, pkgs, ... }:\nlet\n  base = 8000;\n  gpu = true;\n  mkService = name: port: { description = name; environment.PORT = toString port; };\nin\n{\n  imports = [ ./hw.nix ];\n${units.map(u => `  ${u}`).join('\n')}\n}\n`;
}

test('the second reading of an open document takes from the first what needs no evaluation, and reads what it reads without it', async () => {
  const p = await parser();
  const disk: Record<string, string> = { '/ws/hw.nix': '{ ... }: { hardware.graphics.enable = true; }' };
  const world = () => new ProjectWorld({ text: f => disk[f], parse: (file, text) => readDocument(p, file, text) });
  let doc = createDocument(p, 'file:///ws/host.nix', 1, module());
  const checks = new DocumentDiagnostics(MIN_UNITS, (tree, text) => p.copyFlat(tree, text));
  const rnd = random(3);
  let shared = 0;
  let evaluatedKept = 0;
  for (let step = 0; step < 60; step++) {
    checks.check(doc);
    const view = flatView(doc, p.copyFlat);
    const memo = sharedFactsMemo(doc, view);
    assert.ok(memo, 'the first reading shared its memo');
    const entries = [...memo.sinks.values()].flatMap(byState => [...byState.values()]);
    if (entries.some(e => e.hookFree) && entries.some(e => !e.hookFree)) shared++;
    evaluatedKept += memo.hooked?.sinks.size ?? 0;
    const first = moduleFacts(doc);
    assert.ok(!doc.tree.rootNode.hasError, `step ${step} broke the text`);
    const withMemo = resolveFacts(new ResolveSession(world()), view, first, memo).facts;
    const without = resolveFacts(new ResolveSession(world()), view, first).facts;
    assert.deepEqual(withMemo, without, `step ${step} differs for:\n${doc.text}`);
    // the next version: a name typed into, a number changed, a unit copied or taken out
    const lines = doc.text.split('\n');
    const line = 8 + Math.floor(rnd() * (lines.length - 11));
    const at = doc.lines.offsetAt({ line, character: 0 });
    const end = doc.lines.offsetAt({ line: line + 1, character: 0 });
    const r = rnd();
    const digit = doc.text.slice(at, end).search(/[0-9]/);
    const change = r < 0.4 ? { at: at + 2, remove: 0, text: 'x' } : r < 0.6 ? { at, remove: 0, text: lines[line] + '\n' } : r < 0.8 || digit < 0 ? { at, remove: end - at, text: '' } : { at: at + digit, remove: 1, text: '9' };
    const next = applyChanges(p, doc, doc.version + 1, [{ range: doc.lines.rangeOf(change.at, change.at + change.remove), text: change.text }]);
    doc.tree.delete();
    doc = next;
  }
  assert.ok(shared > 50, `only ${shared} versions had units read both ways`);
  assert.ok(evaluatedKept > 100, 'what evaluation gave units is kept between versions');
  checks.reset();
  doc.tree.delete();
});

test('what evaluation gave an open document\'s units is read again when a file it read changes, and kept while only the document changes', async () => {
  const p = await parser();
  const disk: Record<string, string> = { '/ws/values.nix': '{ port = 8080; }' };
  const filler = Array.from({ length: 20 }, (_, i) => `  services.s${i}.enable = true;`).join('\n');
  const text = `{ config, lib, ... }:\nlet\n  values = import ./values.nix;\nin\n{\n  services.ollama.port = values.port;\n${filler}\n}\n`;
  let doc = createDocument(p, 'file:///ws/host.nix', 1, text);
  const project = new Project(p, { read: f => disk[f], files: () => ['/ws/host.nix', '/ws/values.nix'], open: f => (f === '/ws/host.nix' ? doc : undefined) });
  const checks = new DocumentDiagnostics(MIN_UNITS, (tree, t) => p.copyFlat(tree, t));
  const port = () => {
    checks.check(doc);
    const defs = project.analyze().facts().get('/ws/host.nix')?.definitions ?? [];
    return defs.filter(d => d.path.join('.') === 'services.ollama.port').map(d => d.value);
  };
  assert.deepEqual(port(), [{ kind: 'number', value: 8080 }]);
  // the document changes elsewhere: the port's unit comes from the memo, and still reads 8080
  // a line added before the closing brace: the port's unit keeps its node
  const edit = (extra: string) => {
    const at = doc.text.lastIndexOf('}');
    const next = applyChanges(p, doc, doc.version + 1, [{ range: doc.lines.rangeOf(at, at), text: extra }]);
    doc.tree.delete();
    doc = next;
    project.changed('/ws/host.nix');
  };
  edit('  services.more.enable = true;\n');
  assert.deepEqual(port(), [{ kind: 'number', value: 8080 }]);
  const memo = sharedFactsMemo(doc, doc);
  assert.ok(memo?.hooked && memo.hooked.sinks.size > 0, 'what evaluation gave is kept');
  // the file it read changes on disk: read again
  disk['/ws/values.nix'] = '{ port = 9090; }';
  project.invalidate('/ws/values.nix');
  edit('  services.more.enable = false;\n');
  assert.deepEqual(port(), [{ kind: 'number', value: 9090 }]);
  checks.reset();
  doc.tree.delete();
});
