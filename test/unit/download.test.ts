import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { test } from 'node:test';
import * as zlib from 'zlib';
import { DEFAULT_SETTINGS } from '../../server/src/config';
import { downloadRelease } from '../../server/src/options/download';
import { OptionsService, type KnowledgeSource } from '../../server/src/options/service';
import { parser } from '../helpers';

const OPTIONS = JSON.stringify({
  'services.ollama.enable': { type: 'boolean', description: 'Whether to run ollama.', default: { _type: 'literalExpression', text: 'false' }, declarations: [], loc: ['services', 'ollama', 'enable'], readOnly: false },
  'hardware.nvidia.open': { type: 'null or boolean', description: 'Open kernel modules.', declarations: [], loc: ['hardware', 'nvidia', 'open'], readOnly: false },
});
const PACKAGES = JSON.stringify({
  version: 2,
  packages: {
    hello: { version: '2.12.1', meta: { description: 'Prints a greeting', homepage: ['https://gnu.org/hello'], license: { spdxId: 'GPL-3.0-or-later' } } },
    'python3Packages.torch': { version: '2.8.0', meta: { description: 'Tensors' } },
  },
});

/** A local stand-in for channels.nixos.org: what each path answers, and every path asked. */
async function serve(routes: Record<string, (res: http.ServerResponse) => void>): Promise<{ url: string; asked: string[]; close(): Promise<void> }> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url!);
    const route = routes[req.url!];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/{channel}`, asked, close: () => new Promise(resolve => server.close(() => resolve())) };
}

const body = (data: Buffer | string) => (res: http.ServerResponse) => res.writeHead(200, { 'content-length': Buffer.byteLength(data) }).end(data);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-download-'));

test('download: the compressed options list and the plain packages list, parsed; then from the disk cache', async () => {
  const s = await serve({ '/nixos-25.11/options.json.br': body(zlib.brotliCompressSync(OPTIONS)), '/nixos-25.11/packages.json': body(PACKAGES) });
  const cacheDir = tmp();
  try {
    const r = await downloadRelease('25.11', { baseUrl: s.url, cacheDir, timeoutMs: 5000 });
    assert.equal(r.kind, 'ok', JSON.stringify(r));
    if (r.kind !== 'ok') return;
    assert.deepEqual(r.data.options.map(o => o.name).sort(), ['hardware.nvidia.open', 'services.ollama.enable']);
    assert.deepEqual(r.data.packages.names, ['hello', 'python3Packages']);
    assert.deepEqual(r.data.packages.sets, { python3Packages: ['torch'] });
    assert.deepEqual(r.data.packages.details.hello, { version: '2.12.1', description: 'Prints a greeting', homepage: 'https://gnu.org/hello', license: 'GPL-3.0-or-later', isSet: false });
    assert.deepEqual(s.asked, ['/nixos-25.11/options.json.br', '/nixos-25.11/packages.json.br', '/nixos-25.11/packages.json']);
  } finally {
    await s.close();
  }
  const again = await downloadRelease('25.11', { baseUrl: 'http://127.0.0.1:9/{channel}', cacheDir, timeoutMs: 5000 });
  assert.ok(again.kind === 'ok' && again.data.fromCache && again.data.options.length === 2);
});

test('download: an unreachable server, a cut-short body, a broken compression and a list that is not JSON are failures, and nothing is cached', async () => {
  const cacheDir = tmp();
  const unreachable = await downloadRelease('unstable', { baseUrl: 'http://127.0.0.1:9/{channel}', cacheDir, timeoutMs: 5000 });
  assert.equal(unreachable.kind, 'failed');
  assert.match(unreachable.kind === 'failed' ? unreachable.message : '', /options\.json of nixos-unstable: http:\/\/127\.0\.0\.1:9\/nixos-unstable\/options\.json\.br cannot be reached/);
  const cut = (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-length': 1000 });
    // the first bytes reach the client, then the connection drops
    res.write(zlib.brotliCompressSync(OPTIONS).subarray(0, 20), () => res.socket?.destroy());
  };
  const cases: Array<[Record<string, (res: http.ServerResponse) => void>, RegExp]> = [
    [{ '/nixos-25.11/options.json.br': cut }, /cut short/],
    [{ '/nixos-25.11/options.json.br': body(Buffer.from('not brotli at all')) }, /does not decompress/],
    [{ '/nixos-25.11/options.json': body('{ "broken": '), '/nixos-25.11/packages.json': body(PACKAGES) }, /not what NixOS publishes/],
  ];
  for (const [routes, message] of cases) {
    const s = await serve(routes);
    try {
      const r = await downloadRelease('25.11', { baseUrl: s.url, cacheDir, timeoutMs: 5000 });
      assert.equal(r.kind, 'failed');
      assert.match(r.kind === 'failed' ? r.message : '', message);
      assert.deepEqual(fs.readdirSync(cacheDir), [], 'nothing half-loaded is kept');
    } finally {
      await s.close();
    }
  }
});

test('the options service: where nix cannot evaluate, it asks once per workspace, downloads on yes, remembers no, and never uses the network when off', async () => {
  const s = await serve({ '/nixos-25.11/options.json.br': body(zlib.brotliCompressSync(OPTIONS)), '/nixos-25.11/packages.json.br': body(zlib.brotliCompressSync(PACKAGES)) });
  try {
    const folder = tmp();
    fs.writeFileSync(path.join(folder, 'flake.nix'), '{ outputs = { self }: { }; }');
    const cacheDir = tmp();
    let answer: string | undefined = 'Download';
    const asked: string[] = [];
    const sources: KnowledgeSource[] = [];
    const service = new OptionsService(await parser(), {
      log: () => undefined, warn: () => undefined, progress: () => ({ report: () => undefined, done: () => undefined }),
      source: k => sources.push(k), ask: async message => { asked.push(message); return answer; },
    }, cacheDir, 'test');
    const settings = (download: 'ask' | 'on' | 'off') => ({ ...DEFAULT_SETTINGS, nixosRelease: '25.11', options: { ...DEFAULT_SETTINGS.options, download, downloadUrl: s.url } });
    // untrusted: asked, even with the setting on
    await service.reload({ folders: [folder], trusted: false, settings: settings('on') });
    assert.equal(asked.length, 1);
    assert.match(asked[0], /this workspace is not trusted.*NixOS 25\.11 from 127\.0\.0\.1/);
    assert.deepEqual(sources.map(k => k.origin), ['catalog', 'download']);
    assert.match(sources[1].detail, /^downloaded for NixOS 25\.11 \(NixOS 25\.11 \(from nixAi\.nixosRelease\)\): 2 options, 2 packages$/);
    assert.ok(service.knowledge.options('nixos').get(['services', 'ollama', 'enable']));
    assert.equal(service.knowledge.packageDetails?.detailNow(['hello'])?.version, '2.12.1');
    // the yes is remembered for this workspace
    await service.reload({ folders: [folder], trusted: false, settings: settings('ask') });
    assert.equal(asked.length, 1);
    // another workspace: no is remembered too
    const other = tmp();
    answer = 'Never for this workspace';
    await service.reload({ folders: [other], trusted: false, settings: settings('ask') });
    await service.reload({ folders: [other], trusted: false, settings: settings('ask') });
    assert.equal(asked.length, 2);
    // off: no question and no request at all
    const requests = s.asked.length;
    await service.reload({ folders: [tmp()], trusted: false, settings: settings('off') });
    assert.equal(asked.length, 2);
    assert.equal(s.asked.length, requests);
  } finally {
    await s.close();
  }
});
