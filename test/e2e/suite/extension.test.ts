import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { afterDriverUpdate } from '../../doctorMachines';
import { offlineFlakeConfig } from '../../fixtureWorkspace';
import { standIns } from '../../standIns';

const EXTENSION_ID = 'nix-ai.nix-ai';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>(resolve => {
      const sub = vscode.languages.onDidChangeDiagnostics(() => { sub.dispose(); resolve(); });
      setTimeout(() => { sub.dispose(); resolve(); }, 250);
    });
  }
}

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, name));
}

suite('nix-ai in a real VS Code', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const doc = await vscode.workspace.openTextDocument(workspaceFile('flake.nix'));
    await vscode.window.showTextDocument(doc);
    const api = await ext.activate() as { ready: Promise<void>; server: { status: { running: boolean; message: string } } };
    await api.ready;
    assert.ok(api.server.status.running, `language server status: ${api.server.status.message}`);
  });

  test('flake.nix is a Nix document with no diagnostics', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('flake.nix'));
    assert.strictEqual(doc.languageId, 'nix');
    // the server publishes an empty list for a clean file; wait until the outline proves it has the file
    await until('the outline', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
      return s && s.length ? s : undefined;
    });
    assert.deepStrictEqual(vscode.languages.getDiagnostics(doc.uri), []);
  });

  test('the outline shows inputs as packages and the outputs', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('flake.nix'));
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const names = symbols.map(s => s.name);
    assert.deepStrictEqual(names, ['description', 'inputs', 'outputs']);
    const inputs = symbols[1];
    assert.strictEqual(inputs.children[0].name, 'nixpkgs');
    assert.strictEqual(inputs.children[0].kind, vscode.SymbolKind.Package);
    const outputs = symbols[2];
    assert.ok(outputs.children.some(c => c.name === 'nixosConfigurations'), outputs.children.map(c => c.name).join(','));
  });

  test('rename through the server rewrites inherit so the attribute keeps its name; links open files and flake pages', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('editing.nix'));
    const at = doc.positionAt(doc.getText().indexOf('release ='));
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, at, 'channel');
    const edits = edit.get(doc.uri).map(e => [e.range.start.line, e.newText]);
    assert.deepStrictEqual(edits, [[2, 'channel'], [6, 'release = channel;']]);
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, at, 'broken')),
      /'broken' is already bound here \(line 4\)/,
    );
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', doc.uri);
    const targets = links.map(l => [doc.getText(l.range), l.target?.toString()]);
    assert.deepStrictEqual(targets, [
      ['github:NixOS/nixpkgs/nixos-25.11', 'https://github.com/NixOS/nixpkgs/tree/nixos-25.11'],
      ['./broken.nix', workspaceFile('broken.nix').toString()],
    ]);
  });

  test('semantic tokens through the extension: the legend, and what each name in editing.nix is', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('editing.nix'));
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri);
    const decoded: string[] = [];
    for (let i = 0, line = 0, ch = 0; i < tokens.data.length; i += 5) {
      line += tokens.data[i];
      ch = tokens.data[i] ? tokens.data[i + 1] : ch + tokens.data[i + 1];
      const text = doc.lineAt(line).text.slice(ch, ch + tokens.data[i + 2]);
      const mods = legend.tokenModifiers.filter((_, b) => tokens.data[i + 4] & (1 << b));
      decoded.push([text, legend.tokenTypes[tokens.data[i + 3]], ...mods].join(':'));
    }
    assert.deepStrictEqual(decoded, [
      'release:variable:declaration', 'broken:variable:declaration', './broken.nix:path', 'release:property', 'files:property', 'broken:variable',
    ]);
  });

  test('inlay hints through the extension: the locked revision and its age after the input url', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('hints/flake.nix'));
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const days = () => Math.floor((Date.now() / 1000 - 1760000000) / 86400);
    const before = days();
    const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, whole);
    const labels = new Set([before, days()].map(d => `nixos-25.11 · 3f2a1c9 · ${d} days`));
    assert.deepStrictEqual(hints.map(h => [h.position.line, h.position.character]), [[2, 57]]);
    assert.ok(labels.has(String(hints[0].label)), String(hints[0].label));
  });

  test('a syntax error shows as a diagnostic from our server, with its code', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('broken.nix'));
    await vscode.window.showTextDocument(doc);
    const diagnostics = await until('diagnostics for broken.nix', () => {
      const d = vscode.languages.getDiagnostics(doc.uri);
      return d.length ? d : undefined;
    });
    assert.strictEqual(diagnostics.length, 1);
    const [d] = diagnostics;
    assert.strictEqual(d.source, 'nix-ai');
    assert.strictEqual(d.code, 'syntax-error');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.message, "expected ';' after this binding");
    assert.strictEqual(d.range.start.line, 1);
  });

  test('editing fixes the error and the diagnostic goes away', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('broken.nix'));
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(1);
    await editor.edit(e => e.insert(line.range.end, ';'));
    await until('diagnostics to clear', () => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('completion after hardware.nvidia. in the example configuration, with docs', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('configuration.nix'));
    const line = doc.getText().split('\n').findIndex(l => l.includes('modesetting.enable'));
    const list = await until('completion items', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, 4));
      return l && l.items.length ? l : undefined;
    });
    const labels = list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const l of ['open', 'prime', 'package', 'powerManagement']) assert.ok(labels.includes(l), `${l} in ${labels.join(' ')}`);
    const open = list.items.find(i => i.label === 'open')!;
    assert.strictEqual(open.detail, 'null or boolean');
    assert.strictEqual(open.kind, vscode.CompletionItemKind.Property);
  });

  test('completion of driver packages and ollama variants as values', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('configuration.nix'));
    const text = doc.getText();
    const afterDot = doc.positionAt(text.indexOf('nvidiaPackages.stable') + 'nvidiaPackages.'.length);
    const drivers = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, afterDot);
    const names = drivers.items.map(i => String(i.label));
    for (const d of ['stable', 'beta', 'legacy_470']) assert.ok(names.includes(d), d);
    const variant = doc.positionAt(text.indexOf('pkgs.ollama-cuda') + 'pkgs.ollama-'.length);
    const ollama = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, variant);
    assert.ok(ollama.items.some(i => i.label === 'ollama-rocm'));
  });

  test('hover on an option and on a builtin', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('configuration.nix'));
    const at = doc.positionAt(doc.getText().indexOf('open = true') + 1);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.map(h => h.contents.map(c => (typeof c === 'string' ? c : c.value)).join('\n')).join('\n');
    assert.match(text, /\*\*hardware\.nvidia\.open\*\* · `null or boolean`/);
    const flake = await vscode.workspace.openTextDocument(workspaceFile('flake.nix'));
    const importAt = flake.positionAt(flake.getText().indexOf('import nixpkgs') + 2);
    const builtin = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', flake.uri, importAt);
    assert.match(builtin.map(h => h.contents.map(c => (typeof c === 'string' ? c : c.value)).join('')).join(''), /builtins\.import path/);
  });

  test('go to definition of a let name in the example flake', async () => {
    const flake = await vscode.workspace.openTextDocument(workspaceFile('flake.nix'));
    const text = flake.getText();
    const use = flake.positionAt(text.indexOf('devShells.${system}') + 'devShells.${'.length + 1);
    const defs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', flake.uri, use);
    assert.strictEqual(defs.length, 1);
    const range = 'targetRange' in defs[0] ? defs[0].targetRange : defs[0].range;
    assert.deepStrictEqual([range.start.line, flake.getText(range)], [flake.positionAt(text.indexOf('system = "x86_64-linux"')).line, 'system']);
  });

  /** Each GPU/impurity diagnostic: the code and range the editor shows, then its quick fix applied. */
  const QUICK_FIXES: Array<{ code: string; severity: vscode.DiagnosticSeverity; covers: string; message: RegExp; fix: RegExp; after: string }> = [
    {
      code: 'deprecated-option', severity: vscode.DiagnosticSeverity.Warning, covers: 'hardware.opengl.enable',
      message: /hardware\.opengl\.enable was renamed in NixOS 24\.11/, fix: /^Rename to hardware\.graphics\.enable$/, after: '  hardware.graphics.enable = true;',
    },
    {
      code: 'nvidia-open-unset', severity: vscode.DiagnosticSeverity.Error, covers: 'services.xserver.videoDrivers',
      message: /hardware\.nvidia\.open is not set in any module of this configuration; on NixOS 25\.11 \(from flake\.nix's nixpkgs url\).*\(checked: configuration configuration\.nix \(quickfix-host\/configuration\.nix, 2 files\)\)/, fix: /^Set hardware\.nvidia\.open = true/, after: '  hardware.nvidia.open = true;',
    },
    {
      code: 'unpinned-fetch', severity: vscode.DiagnosticSeverity.Error, covers: 'pkgs.fetchurl { url = "https://example.invalid/tiny.gguf"; }',
      message: /fetchurl without a hash cannot build/, fix: /^Add hash = /, after: 'url = "https://example.invalid/tiny.gguf"; hash = pkgs.lib.fakeHash; };',
    },
  ];

  for (const q of QUICK_FIXES) {
    test(`${q.code}: the diagnostic, its message and its quick fix`, async () => {
      const doc = await vscode.workspace.openTextDocument(workspaceFile('quickfix.nix'));
      await vscode.window.showTextDocument(doc);
      const d = await until(`a ${q.code} diagnostic`, () => vscode.languages.getDiagnostics(doc.uri).find(x => x.code === q.code));
      assert.strictEqual(d.source, 'nix-ai');
      assert.strictEqual(d.severity, q.severity);
      assert.strictEqual(doc.getText(d.range), q.covers);
      assert.match(d.message, q.message);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const titles = actions.map(a => a.title);
      assert.ok(titles.includes(`Ignore ${q.code} on this line`), titles.join(' | '));
      const fix = actions.find(a => q.fix.test(a.title));
      assert.ok(fix?.edit, `a fix matching ${q.fix} among ${titles.join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.ok(doc.getText().includes(q.after), doc.getText());
      await until(`${q.code} to go away`, () => (vscode.languages.getDiagnostics(doc.uri).some(x => x.code === q.code) ? undefined : true));
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await until(`${q.code} to come back after the revert`, () => vscode.languages.getDiagnostics(doc.uri).find(x => x.code === q.code));
    });
  }

  test('"Ignore everywhere" adds the code to nixAi.diagnostics.ignored and the diagnostic goes', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('quickfix.nix'));
    await until('a deprecated-option diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find(x => x.code === 'deprecated-option'));
    await vscode.commands.executeCommand('nixAi.ignoreCode', 'deprecated-option');
    const config = vscode.workspace.getConfiguration('nixAi');
    assert.ok(config.get<string[]>('diagnostics.ignored')?.includes('deprecated-option'));
    await until('deprecated-option to go away', () => (vscode.languages.getDiagnostics(doc.uri).some(x => x.code === 'deprecated-option') ? undefined : true));
    await config.update('diagnostics.ignored', undefined, vscode.ConfigurationTarget.Workspace);
    await until('deprecated-option to come back', () => vscode.languages.getDiagnostics(doc.uri).find(x => x.code === 'deprecated-option'));
  });

  suite('commands, with real nix and stand-ins for the rebuild tools', () => {
    const root = path.resolve(__dirname, '..', '..', '..', '..');
    let tools: ReturnType<typeof standIns>;
    let bin = '';
    const calls = () => tools.calls();
    const cmds = () => workspaceFile('cmds/flake.nix');

    suiteSetup(() => {
      tools = standIns();
      bin = tools.bin;
      process.env.PATH = `${bin}:${process.env.PATH}`;
      process.env.NIX_AI_RECORD = tools.record;
      process.env.NIX_CONFIG = offlineFlakeConfig();
    });

    test('every contributed command is registered', async () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const { command } of pkg.contributes.commands) assert.ok(registered.has(command), command);
    });

    test('Rebuild runs the stand-in nixos-rebuild with the exact argv, as a task', async () => {
      const result = await vscode.commands.executeCommand<{ kind: string }>('nixAi.rebuild', cmds(), { kind: 'nixos', name: 'gpu-box', action: 'build', targetHost: 'root@gpu; echo pwned' });
      assert.strictEqual(result?.kind, 'ok');
      const dir = path.dirname(cmds().fsPath);
      assert.deepStrictEqual(calls().pop(), ['nixos-rebuild', 'build', '--flake', `${dir}#gpu-box`, '--target-host', 'root@gpu; echo pwned']);
    });

    test('a failing rebuild puts its Nix error on the workspace file in Problems', async () => {
      process.env.NIX_AI_FAIL_IN = 'flake.nix';
      process.env.NIX_AI_FAIL_LINE = '12';
      try {
        const result = await vscode.commands.executeCommand<{ kind: string }>('nixAi.rebuild', cmds(), { kind: 'nixos', name: 'laptop', action: 'dry-build', targetHost: '' });
        assert.strictEqual(result?.kind, 'failed');
      } finally {
        delete process.env.NIX_AI_FAIL_IN;
      }
      const d = await until('a Problems entry from the rebuild', () => vscode.languages.getDiagnostics(cmds()).find(x => x.source === 'nix'));
      assert.strictEqual(d.message, "undefined variable 'nvidiaPackage'");
      assert.strictEqual(d.range.start.line, 11);
    });

    test('with nixAi.rebuild.useNh, Rebuild runs nh; with safeSwitch, switch builds first', async () => {
      const config = vscode.workspace.getConfiguration('nixAi');
      const dir = path.dirname(cmds().fsPath);
      await config.update('rebuild.useNh', true, vscode.ConfigurationTarget.Workspace);
      try {
        await vscode.commands.executeCommand('nixAi.rebuild', cmds(), { kind: 'nixos', name: 'gpu-box', action: 'boot', targetHost: '' });
        assert.deepStrictEqual(calls().filter(c => c[0] === 'nh' && c[1] !== '--version').pop(), ['nh', 'os', 'boot', dir, '--hostname', 'gpu-box']);
      } finally {
        await config.update('rebuild.useNh', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await config.update('rebuild.safeSwitch', true, vscode.ConfigurationTarget.Workspace);
      try {
        const before = calls().length;
        await vscode.commands.executeCommand('nixAi.rebuild', cmds(), { kind: 'nixos', name: 'laptop', action: 'switch', targetHost: '' });
        const made = calls().slice(before).filter(c => c[0] === 'nixos-rebuild').map(c => c[1]);
        assert.deepStrictEqual(made, ['build', 'switch']);
        process.env.NIX_AI_FAIL_IN = 'flake.nix';
        const failing = calls().length;
        try {
          await vscode.commands.executeCommand('nixAi.rebuild', cmds(), { kind: 'nixos', name: 'laptop', action: 'switch', targetHost: '' });
        } finally {
          delete process.env.NIX_AI_FAIL_IN;
        }
        assert.deepStrictEqual(calls().slice(failing).filter(c => c[0] === 'nixos-rebuild').map(c => c[1]), ['build'], 'a failed build stops before switch');
      } finally {
        await config.update('rebuild.safeSwitch', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    test('a flake with a colmena hive and deploy-rs nodes: both tools run with the node as one argument', async () => {
      const fleet = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-fleet-'));
      fs.writeFileSync(path.join(fleet, 'flake.nix'), '{ outputs = { self }: { colmena = { meta = { }; gpu-box = { }; }; deploy.nodes.gpu-box = { }; }; }\n');
      const uri = vscode.Uri.file(path.join(fleet, 'flake.nix'));
      await vscode.commands.executeCommand('nixAi.rebuild', uri, { fleet: { tool: 'colmena', node: 'gpu-box' } });
      assert.deepStrictEqual(calls().pop(), ['colmena', 'apply', '--on', 'gpu-box']);
      await vscode.commands.executeCommand('nixAi.rebuild', uri, { fleet: { tool: 'deploy', node: 'gpu-box' } });
      assert.deepStrictEqual(calls().pop(), ['deploy', `${fleet}#gpu-box`]);
    });

    test('Flake Check on a broken flake: the error is a Problems entry on its file and line', async () => {
      const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-broken-flake-'));
      fs.writeFileSync(path.join(broken, 'flake.nix'), '{\n  outputs = { self }: {\n    checks.x86_64-linux.bad = missingName;\n  };\n}\n');
      const uri = vscode.Uri.file(path.join(broken, 'flake.nix'));
      const result = await vscode.commands.executeCommand<{ kind: string }>('nixAi.flakeCheck', uri);
      assert.strictEqual(result?.kind, 'failed');
      const d = await until('the flake check problem', () => vscode.languages.getDiagnostics(uri).find(x => x.source === 'nix'));
      assert.strictEqual(d.message, "undefined variable 'missingName'");
      assert.deepStrictEqual([d.range.start.line, d.range.start.character], [2, 30]);
    });

    test('with nix missing, a command says so once and stops; nothing else breaks', async () => {
      const config = vscode.workspace.getConfiguration('nixAi');
      await config.update('nix.path', '/nonexistent/nix', vscode.ConfigurationTarget.Workspace);
      try {
        assert.strictEqual(await vscode.commands.executeCommand('nixAi.flakeCheck', cmds()), undefined);
      } finally {
        await config.update('nix.path', undefined, vscode.ConfigurationTarget.Workspace);
      }
      // language features do not need nix
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', cmds());
      assert.ok(symbols.length > 0);
      assert.strictEqual((await vscode.commands.executeCommand<{ kind: string }>('nixAi.flakeCheck', cmds()))?.kind, 'ok');
    });

    test('Rollback asks nothing more when confirmed and runs sudo nixos-rebuild switch --rollback', async () => {
      const result = await vscode.commands.executeCommand<{ kind: string }>('nixAi.rollback', cmds(), { kind: 'nixos', confirmed: true });
      assert.strictEqual(result?.kind, 'ok');
      const all = calls();
      assert.deepStrictEqual(all[all.length - 1], ['nixos-rebuild', 'switch', '--rollback']);
      assert.deepStrictEqual(all[all.length - 2].slice(0, 2), ['sudo', '-S']);
    });

    test('Flake Check and Show Flake Outputs run real nix on the test flake', async () => {
      assert.strictEqual((await vscode.commands.executeCommand<{ kind: string }>('nixAi.flakeCheck', cmds()))?.kind, 'ok');
      assert.strictEqual((await vscode.commands.executeCommand<{ kind: string }>('nixAi.showFlakeOutputs', cmds()))?.kind, 'ok');
    });

    test('through a flake input locked by real nix: definition opens its module, completion lists its outputs, hover tells the lock', async () => {
      const input = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-e2e-input-'));
      fs.writeFileSync(path.join(input, 'flake.nix'), '{ outputs = _: { nixosModules.tuned = ./tuned.nix; nixosModules.plain = ./plain.nix; }; }\n');
      fs.writeFileSync(path.join(input, 'tuned.nix'), '{ ... }: { hardware.nvidia.open = true; }\n');
      fs.writeFileSync(path.join(input, 'plain.nix'), '{ ... }: { }\n');
      const dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'via-input');
      fs.mkdirSync(dir, { recursive: true });
      const text = `{\n  inputs.gpu.url = "path:${input}";\n  outputs = { self, gpu }: {\n    nixosModules.default = gpu.nixosModules.tuned;\n  };\n}\n`;
      fs.writeFileSync(path.join(dir, 'flake.nix'), text);
      const locked = spawnSync('nix', ['flake', 'lock'], { cwd: dir, encoding: 'utf8' });
      assert.strictEqual(locked.status, 0, locked.stderr);
      const doc = await vscode.workspace.openTextDocument(path.join(dir, 'flake.nix'));
      await vscode.window.showTextDocument(doc);
      const tuned = doc.positionAt(text.indexOf('tuned;') + 1);
      const defs = await until('the definition in the input', async () => {
        const got = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, tuned);
        return got?.length ? got : undefined;
      });
      const target = 'targetUri' in defs[0] ? defs[0].targetUri : defs[0].uri;
      assert.match(target.fsPath, /-source\/tuned\.nix$/);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(text.indexOf('tuned;')));
      const labels = list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
      assert.ok(labels.includes('tuned') && labels.includes('plain'), labels.join(', '));
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, doc.positionAt(text.indexOf('gpu }') + 1));
      const shown = hovers.map(h => h.contents.map(c => (typeof c === 'string' ? c : c.value)).join('\n')).join('\n');
      assert.match(shown, /flake input `gpu`/);
      assert.match(shown, /from `path:/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(input, { recursive: true, force: true });
    });

    test('Update Flake Inputs reports what changed', async () => {
      const summary = await vscode.commands.executeCommand<string[]>('nixAi.flakeUpdate', cmds(), { inputs: [] });
      assert.deepStrictEqual(summary, ['all inputs are already up to date']);
    });

    test('Load Dev Shell into Editor sets the shell variables here and for terminals; Unload restores', async () => {
      assert.strictEqual(process.env.GREETING, undefined);
      assert.strictEqual(await vscode.commands.executeCommand('nixAi.loadDevShell', cmds(), 'rocm'), true);
      assert.strictEqual(process.env.GREETING, 'from-rocm');
      assert.strictEqual(await vscode.commands.executeCommand('nixAi.unloadDevShell'), true);
      assert.strictEqual(process.env.GREETING, undefined);
      // loaded again, it is remembered and cached: at the next start it is restored without nix
      assert.strictEqual(await vscode.commands.executeCommand('nixAi.loadDevShell', cmds(), 'rocm'), true);
      const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as { services: { devShell: { restore(): Promise<void>; unload(): boolean } } };
      api.services.devShell.unload();
      assert.strictEqual(process.env.GREETING, undefined);
      assert.strictEqual(await vscode.commands.executeCommand('nixAi.loadDevShell', cmds(), 'rocm'), true);
      const realPath = process.env.PATH;
      process.env.PATH = bin;
      try {
        await api.services.devShell.restore();
        assert.strictEqual(process.env.GREETING, 'from-rocm');
      } finally {
        process.env.PATH = `${realPath}`;
      }
      await vscode.commands.executeCommand('nixAi.unloadDevShell');
    });

    test('Enter Dev Shell opens a terminal running nix develop on the chosen shell', async () => {
      const terminal = await vscode.commands.executeCommand<vscode.Terminal>('nixAi.enterDevShell', cmds(), 'default');
      assert.ok(terminal);
      assert.strictEqual(terminal.name, 'Nix: default');
      const options = terminal.creationOptions as vscode.TerminalOptions;
      assert.deepStrictEqual(options.shellArgs, ['--extra-experimental-features', 'nix-command flakes', 'develop', `${path.dirname(cmds().fsPath)}#devShells.x86_64-linux.default`]);
      assert.ok(await terminal.processId);
      terminal.dispose();
    });

    test('Format Document runs the configured formatter on standard input', async () => {
      const config = vscode.workspace.getConfiguration('nixAi');
      await config.update('formatter.command', ['sed', 's/gpu-box/gpu-server/'], vscode.ConfigurationTarget.Workspace);
      try {
        const doc = await vscode.workspace.openTextDocument(cmds());
        const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
        assert.ok(edits.length > 0);
        const edit = new vscode.WorkspaceEdit();
        edit.set(doc.uri, edits);
        assert.ok(await vscode.workspace.applyEdit(edit));
        assert.ok(doc.getText().includes('gpu-server = host;'), doc.getText());
        assert.ok(!doc.getText().includes('gpu-box'));
        await vscode.window.showTextDocument(doc);
        await vscode.commands.executeCommand('workbench.action.files.revert');
      } finally {
        await config.update('formatter.command', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    test('a formatter that fails or prints nothing leaves the text as it is', async () => {
      const config = vscode.workspace.getConfiguration('nixAi');
      try {
        const doc = await vscode.workspace.openTextDocument(cmds());
        for (const command of [['true'], ['sh', '-c', 'echo "error: unexpected token" >&2; exit 1']]) {
          await config.update('formatter.command', command, vscode.ConfigurationTarget.Workspace);
          const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
          assert.deepEqual(edits ?? [], [], command.join(' '));
        }
      } finally {
        await config.update('formatter.command', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  });

  test('a nix-darwin module completes from the darwin set; references of a name a with supplies; keyword completion', async () => {
    const file = workspaceFile('hosts-mac/darwin.nix');
    fs.mkdirSync(path.dirname(file.fsPath), { recursive: true });
    const text = '{ pkgs, ... }: {\n  homebrew.enable = true;\n  nix.linux-builder.enable = true;\n  environment.systemPackages = with pkgs; [ git hello git ];\n}\n';
    fs.writeFileSync(file.fsPath, text);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(text.indexOf('linux-builder.') + 'linux-builder.'.length);
    const list = await until('darwin completion', async () => {
      const got = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
      return got.items.length ? got : undefined;
    });
    const labels = list.items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('ephemeral') && labels.includes('maxJobs'), labels.join(' '));
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, doc.positionAt(text.indexOf('git') + 1));
    assert.deepStrictEqual(refs.map(r => doc.getText(r.range)), ['with', 'git', 'git']);
    const kw = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(text.indexOf('git') + 1));
    assert.ok(kw.items.some(i => i.label === 'let' && i.kind === vscode.CompletionItemKind.Keyword));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(path.dirname(file.fsPath), { recursive: true, force: true });
  });

  test('"Nix: Diagnose GPU" shows the report of a machine after a driver update, and a fix opens its file', async () => {
    const machine = afterDriverUpdate();
    const config = vscode.workspace.getConfiguration('nixAi');
    try {
      await config.update('doctor.root', machine.root, vscode.ConfigurationTarget.Workspace);
      const report = await vscode.commands.executeCommand<{ checks: Array<{ id: string; status: string; message: string }> }>('nixAi.diagnoseGpu');
      assert.ok(report, 'the command returns the report');
      const module = report.checks.find(c => c.id === 'nvidia-module');
      assert.strictEqual(module?.status, 'fail');
      assert.match(module.message, /550\.78.*560\.35\.03/);
      // the view lists failing checks first, with the fix as a child that carries its action
      const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as { services: { doctor: vscode.TreeDataProvider<{ kind: string; check?: { id: string } }> } };
      const rows = await api.services.doctor.getChildren!() as Array<{ kind: string; check?: { id: string } }>;
      assert.strictEqual(rows[0].check?.id, 'nvidia-module');
      const fix = await api.services.doctor.getTreeItem((await api.services.doctor.getChildren!(rows[0]) as typeof rows)[0]);
      assert.strictEqual(fix.command?.command, 'nixAi.doctorFix');
      assert.match(String(fix.label), /Reboot to load the 560\.35\.03 module/);
      assert.strictEqual(rows[rows.length - 1].kind, 'skipped');

      const target = workspaceFile('flake.nix');
      await vscode.commands.executeCommand('nixAi.doctorFix', { id: 'workspace-shell', status: 'warn', message: '', fix: 'add LD_LIBRARY_PATH', action: { kind: 'open', file: target.fsPath, line: 3 } });
      const editor = vscode.window.activeTextEditor;
      assert.strictEqual(editor?.document.uri.fsPath, target.fsPath);
      assert.strictEqual(editor.selection.active.line, 2);
    } finally {
      await config.update('doctor.root', undefined, vscode.ConfigurationTarget.Workspace);
      machine.remove();
    }
  });

  test('"Nix: Restart Language Server" restarts it', async () => {
    const status = await vscode.commands.executeCommand<string>('nixAi.restartServer');
    assert.strictEqual(status, 'running');
  });
});
