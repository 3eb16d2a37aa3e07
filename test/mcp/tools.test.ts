import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { after, before, test } from 'node:test';
import * as path from 'path';
import { fixtureWorkspace, offlineFlakeConfig, tmpDir } from '../fixtureWorkspace';
import { requireNix } from '../nix/nixTool';
import { call, CLI, connect, folder, structured, text, toolsFlake, type Connected } from './mcpClient';

/** Every tool through the SDK's client, on fixture flakes, with the real Nix 2.8. */
let root: string;
let mcp: Connected;

before(async () => {
  requireNix();
  root = folder('mcp-flake', toolsFlake());
  mcp = await connect(root);
});
after(() => mcp.close());

test('the server lists its tools with input and output schemas, its two resources and its prompt', async () => {
  const { tools } = await mcp.client.listTools();
  assert.deepEqual(tools.map(t => t.name).sort(), ['build', 'check', 'doctor', 'explain_option', 'fix', 'input_age', 'list_outputs', 'search_options', 'switch', 'update_inputs']);
  for (const t of tools) {
    assert.equal(t.inputSchema.type, 'object', t.name);
    assert.equal(t.outputSchema?.type, 'object', t.name);
    assert.ok(t.description && t.description.length > 40, t.name);
  }
  assert.deepEqual((await mcp.client.listResources()).resources.map(r => r.uri).sort(), ['nix-ai://flake/lock', 'nix-ai://flake/release']);
  const prompt = await mcp.client.getPrompt({ name: 'fix-findings', arguments: { path: 'gpu.nix' } });
  assert.match(JSON.stringify(prompt.messages), /check with paths \[\\"gpu.nix\\"\]/);
});

test('doctor: read-only, the same checks as nix-ai doctor --format json on this machine with the flake as workspace', async () => {
  const tools = (await mcp.client.listTools()).tools;
  assert.equal(tools.find(t => t.name === 'doctor')!.annotations?.readOnlyHint, true);
  const got = structured<{ failed: boolean; checks: Array<{ id: string; status: string; message: string; fix: string }> }>(await call(mcp, 'doctor'));
  const cli = spawnSync(process.execPath, [CLI, 'doctor', '--format', 'json', '--workspace', root], { cwd: root, encoding: 'utf8' });
  assert.deepEqual(got.checks, JSON.parse(cli.stdout).checks);
  assert.equal(got.failed, cli.status === 1);
  assert.ok(got.checks.some(c => c.id === 'nvidia-module') && got.checks.some(c => c.id === 'host-config'));
});

test('check: the findings as nix-ai check --format json gives them, fixes included; paths outside the root are refused', async () => {
  const report = structured<{ files: Array<{ path: string; diagnostics: Array<{ code: string; fixes?: unknown[] }> }> }>(await call(mcp, 'check'));
  const cli = JSON.parse(spawnSync(process.execPath, [path.join(__dirname, '../../../dist/cli.js'), 'check', '--format', 'json', '.'], { cwd: root, encoding: 'utf8' }).stdout);
  assert.deepEqual(report, cli, 'the same report as the CLI run in the flake root');
  const gpu = report.files.find(f => f.path === 'gpu.nix')!;
  assert.ok(gpu.diagnostics.some(d => d.code === 'prime-bus-id-format' && d.fixes?.length));
  assert.ok(report.files.find(f => f.path === 'broken.nix')!.diagnostics.some(d => d.code === 'undefined-name'));

  const one = structured<{ files: Array<{ path: string }> }>(await call(mcp, 'check', { paths: ['gpu.nix'] }));
  assert.deepEqual(one.files.map(f => f.path), ['gpu.nix']);
  // a name that only starts with two dots is inside
  fs.writeFileSync(path.join(root, '..dots.nix'), '{ }\n');
  try {
    assert.deepEqual(structured<{ files: Array<{ path: string }> }>(await call(mcp, 'check', { paths: ['..dots.nix'] })).files.map(f => f.path), ['..dots.nix']);
  } finally {
    fs.unlinkSync(path.join(root, '..dots.nix'));
  }
  const outside = await call(mcp, 'check', { paths: ['../'] });
  assert.equal(outside.isError, true);
  assert.match(text(outside), /outside the flake root/);
  // a link inside the root that leads out is outside too
  const elsewhere = folder('mcp-elsewhere', { 'secret.nix': '{ }\n' });
  fs.symlinkSync(elsewhere, path.join(root, 'escape'));
  try {
    assert.match(text(await call(mcp, 'check', { paths: ['escape/secret.nix'] })), /outside the flake root/);
    assert.match(text(await call(mcp, 'check', { paths: ['/etc'] })), /outside the flake root/);
  } finally {
    fs.unlinkSync(path.join(root, 'escape'));
  }
  // a linked .nix file met while walking a folder is listed, not read
  fs.symlinkSync(path.join(elsewhere, 'secret.nix'), path.join(root, 'linked.nix'));
  try {
    const walked = structured<{ files: Array<{ path: string; error?: string; diagnostics: unknown[] }> }>(await call(mcp, 'check'));
    assert.deepEqual(walked.files.find(f => f.path === 'linked.nix'), { path: 'linked.nix', error: 'links outside the flake root, so it was not read', diagnostics: [] });
  } finally {
    fs.unlinkSync(path.join(root, 'linked.nix'));
  }
  const bad = await mcp.client.callTool({ name: 'check', arguments: { paths: 'gpu.nix' } });
  assert.equal(bad.isError, true, 'input that breaks the schema is an error result');
});

test('fix: applies the safe fixes of the codes asked for and returns the unified diff; outside paths refused', async () => {
  const dir = folder('mcp-fix', toolsFlake());
  const own = await connect(dir);
  try {
    const r = structured<{ applied: Array<{ code: string }>; diff: string }>(await call(own, 'fix', { path: 'gpu.nix', codes: ['prime-bus-id-format'] }));
    assert.deepEqual(r.applied.map(a => a.code), ['prime-bus-id-format']);
    assert.equal(r.diff, [
      '--- a/gpu.nix', '+++ b/gpu.nix', '@@ -2,5 +2,5 @@', ' {', '   services.xserver.videoDrivers = [ "nvidia" ];', '   hardware.opengl.driSupport32Bit = true;',
      '-  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";', '+  hardware.nvidia.prime.nvidiaBusId = "PCI:196:0:0";', ' }', ''].join('\n'));
    assert.match(fs.readFileSync(path.join(dir, 'gpu.nix'), 'utf8'), /PCI:196:0:0/);
    const again = structured<{ applied: unknown[]; diff: string }>(await call(own, 'fix', { path: 'gpu.nix', codes: ['prime-bus-id-format'] }));
    assert.deepEqual([again.applied, again.diff], [[], '']);
    assert.match(text(await call(own, 'fix', { path: '../x.nix' })), /outside the flake root/);
    assert.match(text(await call(own, 'fix', { path: 'nope.nix' })), /not a file/);
  } finally {
    await own.close();
  }
});

test('list_outputs: configurations, dev shells and packages with their systems', async () => {
  const outputs = structured<Record<string, Array<{ name: string; system: string | null }>>>(await call(mcp, 'list_outputs'));
  assert.deepEqual(outputs, {
    nixosConfigurations: [{ name: 'box', system: 'x86_64-linux' }, { name: 'broken', system: null }],
    homeConfigurations: [{ name: 'me@laptop', system: null }],
    darwinConfigurations: [],
    devShells: [{ name: 'default', system: 'x86_64-linux' }],
    packages: [{ name: 'hello', system: 'x86_64-linux' }, { name: 'old-system', system: 'x86_64-linux' }],
  });
});

test('build: the store path, progress as it builds, and the package changes against the running system', async () => {
  const current = spawnSync('nix', ['build', '--no-link', '--json', `${root}#packages.x86_64-linux.old-system`], { env: { ...process.env, NIX_CONFIG: offlineFlakeConfig() }, encoding: 'utf8' });
  assert.equal(current.status, 0, current.stderr);
  const currentPath = JSON.parse(current.stdout)[0].outputs.out as string;
  const own = await connect(root, ['--current-system', currentPath]);
  try {
    const progress: string[] = [];
    const r = await own.client.callTool({ name: 'build', arguments: { configuration: 'box' } }, undefined, { onprogress: p => progress.push(p.message ?? '') });
    const built = structured<{ storePath: string; comparedWith: string; closure: Array<{ name: string; kind: string; from: string[]; to: string[] }> }>(r as never);
    assert.match(built.storePath, /-nixos-system-box-2$/);
    assert.ok(fs.existsSync(built.storePath));
    assert.equal(built.comparedWith, currentPath);
    assert.deepEqual(built.closure.map(({ name, kind, from, to }) => ({ name, kind, from, to })), [
      { name: 'fresh', kind: 'added', from: [], to: ['3.0'] },
      { name: 'gone', kind: 'removed', from: ['2.0'], to: [] },
      { name: 'hello', kind: 'changed', from: ['1.0'], to: ['1.1'] },
      { name: 'nixos-system-box', kind: 'changed', from: ['1'], to: ['2'] },
    ]);
    assert.ok(progress.some(m => /making nixos-system-box-2/.test(m)), `progress: ${progress.join(' | ')}`);
  } finally {
    await own.close();
  }
  // the same configuration by its full name; a home configuration builds its activation package
  assert.match(structured<{ storePath: string }>(await call(mcp, 'build', { configuration: 'nixosConfigurations.box' })).storePath, /-nixos-system-box-2$/);
  assert.match(structured<{ storePath: string }>(await call(mcp, 'build', { configuration: 'me@laptop' })).storePath, /-home-files$/);
});

test('build: an unknown configuration names the ones there are; a failing one maps Nix errors to flake files', async () => {
  const unknown = await call(mcp, 'build', { configuration: 'nope' });
  assert.equal(unknown.isError, true);
  assert.match(text(unknown), /no configuration "nope"; it has nixosConfigurations\.box, nixosConfigurations\.broken, homeConfigurations\.me@laptop/);
  // text that would reach past the configuration in a flake reference is just an unknown name
  for (const hostile of ['box.config', 'box#x', `${'../'.repeat(3)}etc`, '"box"']) {
    assert.match(text(await call(mcp, 'build', { configuration: hostile })), /no configuration/, hostile);
  }
  const broken = await call(mcp, 'build', { configuration: 'broken' });
  assert.equal(broken.isError, true);
  assert.match(text(broken), /building broken failed: undefined variable 'missingThing'/);
  assert.match(text(broken), /^broken\.nix:1:15: undefined variable 'missingThing'$/m);
});

test('a broken flake: check still reports, nix tools say what nix said', async () => {
  const dir = folder('mcp-broken', { 'flake.nix': '{\n  outputs = { self }: {\n    packages = \n}\n' });
  const own = await connect(dir);
  try {
    const report = structured<{ files: Array<{ diagnostics: Array<{ code: string }> }> }>(await call(own, 'check'));
    assert.ok(report.files[0].diagnostics.some(d => d.code === 'syntax-error'));
    const listed = await call(own, 'list_outputs');
    assert.equal(listed.isError, true);
    assert.match(text(listed), /listing \w+ failed: syntax error/);
  } finally {
    await own.close();
  }
});

test('missing nix and a nix that hangs: one actionable error, and check still works', async () => {
  const missing = await connect(root, ['--nix', '/nonexistent/nix']);
  try {
    const r = await call(missing, 'list_outputs');
    assert.equal(r.isError, true);
    assert.match(text(r), /\/nonexistent\/nix is not installed or not on PATH, so listing \w+ cannot run; install Nix/);
    assert.equal((await call(missing, 'check')).isError, undefined);
    // options fall back to the catalog, and say so
    const explained = structured<{ option: { name: string }; source: { origin: string } }>(await call(missing, 'explain_option', { name: 'hardware.nvidia.open' }));
    assert.equal(explained.source.origin, 'catalog');
  } finally {
    await missing.close();
  }
  const bin = tmpDir('hanging-nix');
  fs.writeFileSync(path.join(bin, 'nix'), '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
  const hanging = await connect(root, ['--nix', path.join(bin, 'nix'), '--timeout', '1']);
  try {
    const r = await call(hanging, 'build', { configuration: 'box' });
    assert.equal(r.isError, true);
    assert.match(text(r), /did not finish in 1 s and was stopped \(start nix-ai mcp with --timeout SECONDS for more\)/);
  } finally {
    await hanging.close();
  }
});

test('secrets in the environment never reach the agent', async () => {
  const bin = tmpDir('talkative-nix');
  fs.writeFileSync(path.join(bin, 'nix'), '#!/bin/sh\necho "error: access token $GITHUB_TOKEN was refused" >&2\nexit 1\n', { mode: 0o755 });
  const own = await connect(root, ['--nix', path.join(bin, 'nix')], { GITHUB_TOKEN: 'ghp_secretvalue123' });
  try {
    const r = await call(own, 'list_outputs');
    assert.match(text(r), /access token \[GITHUB_TOKEN\] was refused/);
    assert.doesNotMatch(text(r) + own.stderr(), /ghp_secretvalue123/);
  } finally {
    await own.close();
  }
});

test('explain_option and search_options: from the flake\'s own nixpkgs when it loads, and they say so', async () => {
  const { ws, nixpkgs } = fixtureWorkspace();
  const own = await connect(ws);
  try {
    const r = structured<{ option: Record<string, unknown>; source: { origin: string; detail: string } }>(await call(own, 'explain_option', { name: 'hardware.nvidia.open' }));
    assert.equal(r.source.origin, 'nixpkgs');
    assert.match(r.source.detail, /your nixpkgs/);
    assert.equal(r.option.description, 'Fixture: choose the open kernel modules.');
    assert.equal(r.option.set, 'nixos');
    const unknown = await call(own, 'explain_option', { name: 'hardware.nvidia.opne' });
    assert.equal(unknown.isError, true);
    assert.match(text(unknown), /hardware\.nvidia\.opne does not exist in your nixpkgs .*; close names: hardware\.nvidia\.open/);
    const found = structured<{ results: Array<{ name: string; summary: string }> }>(await call(own, 'search_options', { query: 'ollama port' }));
    assert.equal(found.results[0].name, 'services.ollama.port');
    assert.equal(found.results[0].summary, 'Fixture: the port.');
    // after update_inputs moves nixpkgs, the options come from the new one
    structured(await call(own, 'update_inputs'));
    const module = path.join(nixpkgs, 'nixos', 'modules', 'nvidia.nix');
    fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace('Fixture: choose the open kernel modules.', 'Fixture: the newer words.'));
    const moved = structured<{ changes: Array<{ input: string; kind: string }> }>(await call(own, 'update_inputs', { inputs: ['nixpkgs'] }));
    assert.deepEqual(moved.changes.map(c => [c.input, c.kind]), [['nixpkgs', 'updated']]);
    const fresh = structured<{ option: { description: string } }>(await call(own, 'explain_option', { name: 'hardware.nvidia.open' }));
    assert.equal(fresh.option.description, 'Fixture: the newer words.');
  } finally {
    await own.close();
  }
  // without a loadable nixpkgs: the catalog, and it says so
  const catalog = structured<{ option: { description: string }; source: { origin: string } }>(await call(mcp, 'explain_option', { name: 'hardware.nvidia.open' }));
  assert.equal(catalog.source.origin, 'catalog');
  assert.ok(catalog.option.description.length > 20);
  const searched = structured<{ results: Array<{ name: string }> }>(await call(mcp, 'search_options', { query: 'nvidia open', limit: 3 }));
  assert.equal(searched.results[0].name, 'hardware.nvidia.open');
  assert.ok(searched.results.length <= 3);
  assert.deepEqual(structured<{ results: unknown[] }>(await call(mcp, 'search_options', { query: 'zzzz qqqq' })).results, []);
  for (const bad of [{ query: '' }, { query: 'nvidia', limit: 0 }, { name: 'nvidia' }]) {
    const r = await call(mcp, 'search_options', bad);
    assert.equal(r.isError, true, JSON.stringify(bad));
    assert.match(text(r), /Input validation error/);
  }
  assert.equal((await call(mcp, 'explain_option', { name: '' })).isError, true);
});

test('update_inputs and input_age: the lock summary, old → new, and the age of each input', async () => {
  const dep = folder('mcp-dep', { 'data.txt': 'one\n' });
  const dir = folder('mcp-update', { 'flake.nix': `{\n  inputs.dep = { url = "path:${dep}"; flake = false; };\n  outputs = { self, dep }: { };\n}\n` });
  const own = await connect(dir);
  try {
    assert.match(text(await call(own, 'input_age')), /no readable flake\.lock/);
    const first = structured<{ changes: Array<{ input: string; kind: string }> }>(await call(own, 'update_inputs'));
    assert.deepEqual(first.changes.map(c => [c.input, c.kind]), [['dep', 'added']]);
    fs.writeFileSync(path.join(dep, 'data.txt'), 'two\n');
    const second = structured<{ changes: Array<{ input: string; kind: string; from: { rev: string }; to: { rev: string } }> }>(await call(own, 'update_inputs', { inputs: ['dep'] }));
    assert.equal(second.changes.length, 1);
    assert.equal(second.changes[0].kind, 'updated');
    assert.notEqual(second.changes[0].from.rev, second.changes[0].to.rev);
    const nothing = structured<{ changes: unknown[] }>(await call(own, 'update_inputs'));
    assert.deepEqual(nothing.changes, []);
    assert.match(text(await call(own, 'update_inputs', { inputs: ['nixpkgs'] })), /flake\.lock has no input nixpkgs; it has dep/);
    const ages = structured<{ inputs: Array<{ input: string; days?: number }> }>(await call(own, 'input_age'));
    assert.deepEqual(ages.inputs.map(a => a.input), ['dep']);
    const resource = await own.client.readResource({ uri: 'nix-ai://flake/lock' });
    assert.deepEqual(JSON.parse((resource.contents[0] as { text: string }).text).inputs.map((i: { input: string }) => i.input), ['dep']);
  } finally {
    await own.close();
  }
});

test('a folder without flake.nix: the flake tools say what works without one; check does', async () => {
  const dir = folder('mcp-noflake', { 'configuration.nix': '{ ... }:\n{\n  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";\n}\n' });
  const own = await connect(dir);
  try {
    for (const [tool, args] of [['list_outputs', {}], ['build', { configuration: 'x' }], ['update_inputs', {}]] as const) {
      const r = await call(own, tool, args);
      assert.equal(r.isError, true, tool);
      assert.match(text(r), /has no flake\.nix: list_outputs, build, switch and update_inputs work on flakes; check, fix, explain_option and search_options work without one/, tool);
    }
    const report = structured<{ files: Array<{ diagnostics: Array<{ code: string }> }> }>(await call(own, 'check'));
    assert.deepEqual(report.files[0].diagnostics.map(d => d.code), ['prime-bus-id-format']);
  } finally {
    await own.close();
  }
});

test('offline: an input that cannot be downloaded gets Nix\'s error and what to do about it', async () => {
  const dir = folder('mcp-offline', { 'flake.nix': '{\n  inputs.far = { url = "http://127.0.0.1:9/far.tar.gz"; flake = false; };\n  outputs = { self, far }: { nixosConfigurations.box = { }; };\n}\n' });
  const own = await connect(dir, [], { NIX_CONFIG: `${offlineFlakeConfig()}\ndownload-attempts = 1` });
  try {
    const r = await call(own, 'list_outputs');
    assert.equal(r.isError, true);
    assert.match(text(r), /listing \w+ failed: unable to download 'http:\/\/127\.0\.0\.1:9\/far\.tar\.gz'.*\(an input of the flake is not in the Nix store and could not be downloaded: fetch the inputs once where the network works, e\.g\. nix flake archive\)/);
  } finally {
    await own.close();
  }
});

test('nix-ai mcp with a bad command line: exit 2 and what is wrong, before any protocol', () => {
  for (const [args, message] of [[['/nonexistent/flake'], /nix-ai mcp: \/nonexistent\/flake is not a folder/], [['--bogus'], /nix-ai mcp: unknown option --bogus/]] as const) {
    const r = spawnSync(process.execPath, [CLI, 'mcp', ...args], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage: nix-ai mcp/);
    assert.equal(r.stdout, '');
  }
});
