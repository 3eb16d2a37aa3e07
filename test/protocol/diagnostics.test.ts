import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import { test } from 'node:test';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { tmpDir } from '../fixtureWorkspace';
import { ROOT } from '../helpers';
import { Client } from './client';

const FILES: Record<string, string> = {
  'flake.nix': '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";\n  outputs = { self, nixpkgs }: {\n    nixosConfigurations.box = nixpkgs.lib.nixosSystem {\n      modules = [ ./configuration.nix ./gpu.nix ];\n    };\n  };\n}\n',
  'configuration.nix': '{ ... }:\n{\n  nixpkgs.config.allowUnfree = true;\n  hardware.graphics.enable = true;\n}\n',
  'gpu.nix': '{ ... }:\n{\n  services.xserver.videoDrivers = [ "nvidia" ];\n}\n',
};

test('over LSP: cross-file diagnostics with fixes in data, code actions, a re-check when another file changes, settings', async () => {
  const ws = tmpDir('lsp-diag');
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(ws, name), text);
  const uri = (name: string) => pathToFileURL(path.join(ws, name)).href;
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio']);
  const client = new Client(proc);
  client.onMessage(m => { if (m.id !== undefined && m.method) client.respond(m.id, null); });
  const diagnostics = (name: string, pred: (ds: any[]) => boolean = () => true) =>
    client.next(m => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri(name) && pred(m.params.diagnostics)).then(m => m.params.diagnostics as any[]);
  try {
    const init = await client.request('initialize', {
      processId: process.pid, rootUri: pathToFileURL(ws).href, workspaceFolders: [{ uri: pathToFileURL(ws).href, name: 'ws' }], capabilities: {},
      initializationOptions: { settings: { options: { load: false } } },
    });
    assert.deepEqual(init.result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'refactor.rewrite', 'refactor.extract'] });
    client.notify('initialized', {});

    // gpu.nix alone would also lack unfree and graphics; its configuration has them in configuration.nix
    let published = diagnostics('gpu.nix');
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('gpu.nix'), languageId: 'nix', version: 1, text: FILES['gpu.nix'] } });
    const first = await published;
    assert.deepEqual(first.map(d => d.code), ['nvidia-open-unset']);
    const open = first[0];
    assert.equal(open.severity, 1);
    assert.deepEqual(open.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 31 } });
    assert.equal(open.data.fixes.length, 2);

    const all = (await client.request('textDocument/codeAction', {
      textDocument: { uri: uri('gpu.nix') }, range: open.range, context: { diagnostics: [open] },
    })).result as any[];
    // the quick fixes first; refactors of the binding under the range after them
    const actions = all.filter(a => a.kind === 'quickfix');
    assert.deepEqual(all.slice(0, actions.length), actions);
    const onlyFixes = (await client.request('textDocument/codeAction', {
      textDocument: { uri: uri('gpu.nix') }, range: open.range, context: { diagnostics: [open], only: ['quickfix'] },
    })).result as any[];
    assert.deepEqual(onlyFixes, actions);
    assert.deepEqual(actions.map(a => a.title), [
      'Set hardware.nvidia.open = true (open kernel modules: Turing (RTX, GTX 16xx) and newer)',
      'Set hardware.nvidia.open = false (closed modules: Maxwell, Pascal, Volta and older)',
      'Ignore nvidia-open-unset on this line',
      'Ignore nvidia-open-unset everywhere (setting)',
    ]);
    assert.equal(actions[0].kind, 'quickfix');
    assert.equal(actions[0].isPreferred, true);
    assert.deepEqual(actions[0].diagnostics, [open]);
    assert.deepEqual(actions[0].edit.changes[uri('gpu.nix')], [{ range: { start: { line: 2, character: 47 }, end: { line: 2, character: 47 } }, newText: '\n  hardware.nvidia.open = true;' }]);
    assert.deepEqual(actions[2].edit.changes[uri('gpu.nix')], [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '  # nix-ai: ignore nvidia-open-unset\n' }]);
    assert.deepEqual(actions[3].command, { title: 'Ignore nvidia-open-unset everywhere (setting)', command: 'nixAi.ignoreCode', arguments: ['nvidia-open-unset'] });

    // the hover of an option names the configuration and what it makes of the option
    const hover = (await client.request('textDocument/hover', { textDocument: { uri: uri('gpu.nix') }, position: { line: 2, character: 20 } })).result;
    assert.match(hover.contents.value, /- \*\*box \(flake\.nix, 3 files\)\*\*: `\[ "nvidia" \]` from `gpu\.nix`/);

    // another file of the configuration changes (in the editor): gpu.nix is checked again
    published = diagnostics('gpu.nix', ds => ds.length === 0);
    const config = FILES['configuration.nix'].replace('}\n', '  hardware.nvidia.open = true;\n}\n');
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('configuration.nix'), languageId: 'nix', version: 1, text: config } });
    assert.deepEqual(await published, []);

    // ... and on disk, for a file that is not open: closing reads it from disk again
    published = diagnostics('gpu.nix', ds => ds.length === 1);
    client.notify('textDocument/didClose', { textDocument: { uri: uri('configuration.nix') } });
    assert.deepEqual((await published).map(d => d.code), ['nvidia-open-unset']);
    fs.writeFileSync(path.join(ws, 'configuration.nix'), config);
    published = diagnostics('gpu.nix', ds => ds.length === 0);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('configuration.nix'), type: 2 }] });
    assert.deepEqual(await published, []);

    // settings: a release before 24.11 does not need open; severity overrides; ignored codes
    fs.writeFileSync(path.join(ws, 'configuration.nix'), FILES['configuration.nix']);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('configuration.nix'), type: 2 }] });
    published = diagnostics('gpu.nix', ds => ds.length === 1 && ds[0].severity === 2);
    client.notify('workspace/didChangeConfiguration', { settings: { nixAi: { options: { load: false }, diagnostics: { severity: { 'nvidia-open-unset': 'warning' } } } } });
    await published;
    published = diagnostics('gpu.nix', ds => ds.length === 0);
    client.notify('workspace/didChangeConfiguration', { settings: { nixAi: { options: { load: false }, nixosRelease: '24.05' } } });
    await published;
    published = diagnostics('gpu.nix', ds => ds.length === 1);
    client.notify('workspace/didChangeConfiguration', { settings: { nixAi: { options: { load: false } } } });
    await published;
    published = diagnostics('gpu.nix', ds => ds.length === 0);
    client.notify('workspace/didChangeConfiguration', { settings: { nixAi: { options: { load: false }, diagnostics: { ignored: ['nvidia-open-unset'] } } } });
    await published;
  } finally {
    proc.kill();
  }
});
