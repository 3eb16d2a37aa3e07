import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { test } from 'node:test';
import * as path from 'path';
import { ROOT } from '../helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('check: text output is path:line:col: severity code message (columns in UTF-16 units), exit 1 on errors', () => {
  const dir = workspace({ 'good.nix': '{ lib, }: lib\n', 'sub/bad.nix': '{\n  s = "é😀"; p = ./a/;\n}\n' });
  const r = run(['check', dir]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, `${path.join(dir, 'sub/bad.nix')}:2:18: error syntax-error a path cannot end with '/'; remove the trailing slash\n`);
  assert.match(r.stderr, /2 file\(s\) checked: 1 error\(s\)/);
});

test('check: exit 0 on a clean tree; .git, node_modules and result links are skipped', () => {
  const dir = workspace({ 'ok.nix': '{ }\n', '.git/x.nix': '{', 'node_modules/y.nix': '{' });
  const store = workspace({ 'z.nix': '{' });
  fs.symlinkSync(store, path.join(dir, 'result'));
  const r = run(['check', dir]);
  assert.equal(r.stdout, '');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^1 file\(s\) checked: 0 error/);
});

test('check --format json: version 1, 0-based UTF-16 positions', () => {
  const dir = workspace({ 'a.nix': '{ s = "😀"; n = 99999999999999999999; inherit ; }' });
  const r = run(['check', '--format', 'json', path.join(dir, 'a.nix')]);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.version, 1);
  assert.deepEqual(report.files[0].diagnostics, [
    { code: 'syntax-error', severity: 'error', range: { start: { line: 0, character: 16 }, end: { line: 0, character: 36 } }, message: 'integer 99999999999999999999 does not fit in 64 bits (the largest is 9223372036854775807)' },
    { code: 'empty-inherit', severity: 'warning', range: { start: { line: 0, character: 38 }, end: { line: 0, character: 47 } }, message: 'this inherit names nothing and has no effect' },
  ]);
  assert.equal(run(['check', '--format=json', '--ignore', 'syntax-error,empty-inherit', path.join(dir, 'a.nix')]).code, 0);
});

test('check: a missing or unreadable path is reported and the rest still checked', () => {
  const dir = workspace({ 'ok.nix': '1\n' });
  const r = run(['check', path.join(dir, 'missing.nix'), dir, '--format', 'json']);
  const report = JSON.parse(r.stdout);
  assert.equal(r.code, 1);
  assert.deepEqual(report.files.map((f: { path: string; error?: string }) => [path.basename(f.path), f.error ?? null]), [['missing.nix', 'no such file or folder'], ['ok.nix', null]]);
});

test('usage errors exit 2 with a message', () => {
  for (const args of [[], ['frobnicate'], ['check', '--format', 'xml'], ['check', '--bogus']]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^nix-ai: .+\n\nusage: nix-ai check/);
  }
});

const GPU_FLAKE = {
  'flake.nix': '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";\n  outputs = { self, nixpkgs }: {\n    nixosConfigurations.box = nixpkgs.lib.nixosSystem {\n      modules = [ ./configuration.nix ./gpu.nix ];\n    };\n  };\n}\n',
  'configuration.nix': '{ ... }:\n{\n  nixpkgs.config.allowUnfree = true;\n  hardware.graphics.enable = true;\n}\n',
  'gpu.nix': '{ ... }:\n{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.opengl.driSupport32Bit = true;\n  hardware.nvidia.prime.nvidiaBusId = "PCI:c4:0:0";\n}\n',
};

test('check --format sarif: valid SARIF 2.1.0 (the official schema), with rules, levels, regions and fixes', () => {
  const Ajv = require('ajv-draft-04');
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema);
  const dir = workspace(GPU_FLAKE);
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', '.'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  const run0 = log.runs[0];
  assert.equal(log.version, '2.1.0');
  assert.ok(run0.tool.driver.rules.some((x: { id: string }) => x.id === 'nvidia-open-unset'));
  const open = run0.results.find((x: { ruleId: string }) => x.ruleId === 'nvidia-open-unset');
  assert.equal(open.level, 'error');
  assert.deepEqual(open.locations[0].physicalLocation.artifactLocation, { uri: 'gpu.nix', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(open.locations[0].physicalLocation.region, { startLine: 3, startColumn: 3, endLine: 3, endColumn: 32 });
  const bus = run0.results.find((x: { ruleId: string }) => x.ruleId === 'prime-bus-id-format');
  assert.equal(bus.fixes[0].description.text, 'Use "PCI:196:0:0"');
  assert.equal(bus.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, '"PCI:196:0:0"');
  assert.equal(validate({ runs: [] }), false, 'the validator rejects a log without a version');
  // an empty run is valid too
  const clean = spawnSync(process.execPath, [CLI, 'check', '--format', 'sarif', '.'], { cwd: workspace({ 'a.nix': '{ }\n' }), encoding: 'utf8' });
  assert.equal(clean.status, 0);
  assert.ok(validate(JSON.parse(clean.stdout)), JSON.stringify(validate.errors));
});

test('check across files: a module sees what the other modules of its nixosSystem set, both ways', () => {
  const dir = workspace(GPU_FLAKE);
  const codes = (d: string) => JSON.parse(run(['check', '--format', 'json', d]).stdout).files
    .flatMap((f: { path: string; diagnostics: Array<{ code: string }> }) => f.diagnostics.map(x => `${path.basename(f.path)} ${x.code}`)).sort();
  // configuration.nix allows unfree and turns graphics on for gpu.nix's driver; open is set nowhere
  assert.deepEqual(codes(dir), ['gpu.nix deprecated-option', 'gpu.nix nvidia-open-unset', 'gpu.nix prime-bus-id-format']);
  // a third file, imported by configuration.nix, sets open: gpu.nix is fine now
  fs.writeFileSync(path.join(dir, 'configuration.nix'), '{ ... }:\n{\n  imports = [ ./nvidia ];\n  nixpkgs.config.allowUnfree = true;\n  hardware.graphics.enable = true;\n}\n');
  fs.mkdirSync(path.join(dir, 'nvidia'));
  fs.writeFileSync(path.join(dir, 'nvidia', 'default.nix'), '{ ... }:\n{\n  hardware.nvidia.open = true;\n}\n');
  assert.deepEqual(codes(dir), ['gpu.nix deprecated-option', 'gpu.nix prime-bus-id-format']);
  // without the flake, gpu.nix alone: nothing here imports it, so whether another module sets open,
  // allows unfree or turns graphics on is unknown; only what the file says itself is checked
  assert.deepEqual(codes(path.join(dir, 'gpu.nix')), ['gpu.nix deprecated-option', 'gpu.nix prime-bus-id-format']);
});

test('check --format json lists fixes as text edits; --fix applies the safe ones and says so', () => {
  const dir = workspace(GPU_FLAKE);
  const report = JSON.parse(run(['check', '--format', 'json', dir]).stdout);
  const gpu = report.files.find((f: { path: string }) => f.path.endsWith('gpu.nix'));
  const rename = gpu.diagnostics.find((d: { code: string }) => d.code === 'deprecated-option');
  assert.deepEqual(rename.fixes, [{ title: 'Rename to hardware.graphics.enable32Bit', safe: true, edits: [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 33 } }, newText: 'hardware.graphics.enable32Bit' }] }]);
  const r = run(['check', '--fix', dir]);
  assert.match(r.stderr, /fixed .*gpu\.nix:4: deprecated-option: Rename to hardware\.graphics\.enable32Bit/);
  assert.match(r.stderr, /fixed .*gpu\.nix:5: prime-bus-id-format: Use "PCI:196:0:0"/);
  assert.match(r.stderr, /--fix changed 1 file/);
  assert.equal(fs.readFileSync(path.join(dir, 'gpu.nix'), 'utf8'),
    '{ ... }:\n{\n  services.xserver.videoDrivers = [ "nvidia" ];\n  hardware.graphics.enable32Bit = true;\n  hardware.nvidia.prime.nvidiaBusId = "PCI:196:0:0";\n}\n');
  // what needs a person (open = true or false?) is still reported, and nothing was touched elsewhere
  assert.match(r.stdout, /gpu\.nix:3:3: error nvidia-open-unset/);
  assert.equal(fs.readFileSync(path.join(dir, 'flake.nix'), 'utf8'), GPU_FLAKE['flake.nix']);
});

test('check --severity: reports and exits by the chosen level; --release changes release-aware rules', () => {
  const dir = workspace({ 'm.nix': '{ ... }:\n{\n  hardware.opengl.enable = true;\n}\n' });
  const warn = run(['check', '--release', '25.11', dir]);
  assert.equal(warn.code, 0, 'a warning alone exits 0 at the default level');
  assert.match(warn.stdout, /warning deprecated-option/);
  assert.equal(run(['check', '--release', '25.11', '--severity', 'warning', dir]).code, 1);
  assert.equal(run(['check', '--release', '25.11', '--severity', 'error', dir]).stdout, '');
  assert.equal(run(['check', '--release', '24.05', dir]).stdout, '', 'hardware.opengl is the current name on 24.05');
  // with no release known the rename may not exist yet where the file is used: only a note
  assert.match(run(['check', dir]).stdout, /information deprecated-option .*assumed/);
  assert.equal(run(['check', '--severity', 'warning', dir]).code, 0);
  assert.equal(run(['check', '--severity', 'loud', dir]).code, 2);
});

test('check over examples/ and our fixtures reports only the deliberate mistakes', () => {
  const r = run(['check', '--severity', 'information', '--format', 'json', 'examples', 'test/fixtures', 'test/e2e/ws']);
  const found = JSON.parse(r.stdout).files.flatMap((f: { path: string; diagnostics: Array<{ code: string; range: { start: { line: number } } }> }) =>
    f.diagnostics.map(d => `${f.path}:${d.range.start.line + 1} ${d.code}`));
  assert.deepEqual(found, [
    'examples/mistakes.nix:4 syntax-error',
    'examples/mistakes.nix:13 syntax-error',
    'examples/mistakes.nix:16 syntax-error',
    'examples/mistakes.nix:9 duplicate-key',
    'examples/mistakes.nix:18 empty-inherit',
    'test/e2e/ws/broken.nix:2 syntax-error',
    // the lock of the inlay-hint fixture is from 2025: it stays stale
    'test/e2e/ws/hints/flake.nix:3 stale-input',
    // the editor tests' quick-fix file, wrong on purpose
    'test/e2e/ws/quickfix.nix:6 unpinned-fetch',
    'test/e2e/ws/quickfix.nix:5 nvidia-open-unset',
    'test/e2e/ws/quickfix.nix:4 deprecated-option',
  ]);
});

test('check reads the release from flake.lock: hardware.opengl is current on 24.05, renamed on 25.11', () => {
  const lockFor = (ref: string) => JSON.stringify({ version: 7, root: 'root', nodes: { root: { inputs: { nixpkgs: 'nixpkgs' } }, nixpkgs: { original: { type: 'github', owner: 'NixOS', repo: 'nixpkgs', ref } } } });
  const dir = workspace({ 'flake.nix': '{ outputs = { self, nixpkgs }: { nixosConfigurations.a = nixpkgs.lib.nixosSystem { modules = [ ./m.nix ]; }; }; }\n', 'm.nix': '{ ... }:\n{\n  hardware.opengl.enable = true;\n}\n', 'flake.lock': lockFor('nixos-24.05') });
  assert.equal(run(['check', dir]).stdout, '');
  fs.writeFileSync(path.join(dir, 'flake.lock'), lockFor('nixos-25.11'));
  assert.match(run(['check', dir]).stdout, /m\.nix:3:3: warning deprecated-option hardware\.opengl\.enable was renamed in NixOS 24\.11 \(checked against NixOS 25\.11 \(from flake\.lock\)\)/);
});

test('--fix writes atomically, keeps links and permissions, and refuses a fix that would break the file', async () => {
  const { fixFile } = await import('../../server/src/cli/fix');
  const { parser } = await import('../helpers');
  const p = await parser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nix-ai-fix-'));
  const file = path.join(dir, 'real.nix');
  const link = path.join(dir, 'link.nix');
  fs.writeFileSync(file, '{ a = 1; }\n', { mode: 0o640 });
  fs.symlinkSync(file, link);
  const finding = (newText: string) => ({
    code: 'test', severity: 'warning' as const, message: 'm', range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } },
    fixes: [{ title: 'replace', safe: true, preferred: true, edits: [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, newText }] }],
  });
  const broken = fixFile(p, link, [finding('{')]);
  assert.deepEqual(broken.applied, []);
  assert.match(broken.refused!, /would not parse/);
  assert.equal(fs.readFileSync(file, 'utf8'), '{ a = 1; }\n');
  const good = fixFile(p, link, [finding('2')]);
  assert.equal(good.applied.length, 1);
  assert.equal(fs.readFileSync(file, 'utf8'), '{ a = 2; }\n');
  assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link stays a link');
  assert.equal(fs.statSync(file).mode & 0o777, 0o640);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['link.nix', 'real.nix'], 'no temporary file left');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('check --jobs: the files shared among worker threads give the same output, byte for byte, as one thread', () => {
  // cross-file facts must reach every worker: gpu.nix's findings depend on configuration.nix
  const dir = workspace({ ...GPU_FLAKE, 'more/a.nix': '{ ... }:\n{\n  hardware.opengl.enable = true;\n}\n', 'more/b.nix': '{\n  a = 1;\n  a = 2;\n}\n' });
  const sets = [[dir], ['examples', 'test/fixtures', 'test/e2e/ws', 'test/nix-corpus']];
  for (const paths of sets) {
    for (const format of ['text', 'json', 'sarif']) {
      const one = run(['check', '--severity', 'information', '--format', format, '--jobs', '1', ...paths]);
      assert.ok(one.stdout.length > 200, `${format} over ${paths}: something is reported`);
      for (const jobs of ['2', '3']) {
        const many = run(['check', '--severity', 'information', '--format', format, '--jobs', jobs, ...paths]);
        assert.equal(many.stdout, one.stdout, `${format} over ${paths} with --jobs ${jobs}`);
        assert.equal(many.code, one.code);
        assert.equal(many.stderr, one.stderr);
      }
    }
  }
  assert.equal(run(['check', '--jobs', '0', dir]).code, 2);
  assert.match(run(['check', '--jobs', 'many', dir]).stderr, /--jobs must be a whole number/);
});

test("doctor: the issue's machine fails with exit 1 and both versions in its JSON; this machine, read for real, fails nothing when it has no GPU", async () => {
  const { afterDriverUpdate } = await import('../doctorMachines');
  const { gpus } = await import('../../server/src/doctor/facts');
  const { Machine } = await import('../../server/src/doctor/machine');
  const m = afterDriverUpdate();
  try {
    const r = run(['doctor', '--format', 'json', '--root', m.root, '--timeout', '2'], os.tmpdir());
    assert.equal(r.code, 1, r.stderr);
    const failed = JSON.parse(r.stdout).checks.filter((c: { status: string }) => c.status === 'fail');
    assert.deepEqual(failed.map((c: { id: string }) => c.id), ['nvidia-module']);
    assert.match(failed[0].message, /550\.78.*560\.35\.03/);
  } finally {
    m.remove();
  }
  const here = run(['doctor', '--format', 'json'], os.tmpdir());
  const checks = JSON.parse(here.stdout).checks as Array<{ id: string; status: string; message: string }>;
  assert.ok(checks.every(c => c.id && c.status && typeof c.message === 'string'));
  const gpu = checks.find(c => c.id === 'gpu')!;
  if (gpus(new Machine('/')).length === 0 && !fs.existsSync('/proc/driver/nvidia')) {
    assert.equal(here.code, 0, here.stdout);
    assert.deepEqual(checks.filter(c => c.status === 'fail'), []);
    assert.equal(gpu.status, 'skip');
    assert.match(gpu.message, /no GPU found/);
  } else {
    assert.notEqual(gpu.status, 'skip', 'a machine with a GPU must not be reported as having none');
  }
});

test('doctor: usage errors exit 2 and say what is wrong', () => {
  const bad = run(['doctor', '--root', '/no/such/folder']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--root \/no\/such\/folder is not a folder/);
  assert.match(run(['doctor', '--format', 'xml']).stderr, /--format must be text or json/);
  const help = run(['doctor', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--root/);
});
