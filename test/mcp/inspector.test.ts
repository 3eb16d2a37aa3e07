import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { test } from 'node:test';
import * as path from 'path';
import { catalog } from '../../server/src/options/catalog';
import { ROOT } from '../helpers';
import { offlineFlakeConfig, tmpDir } from '../fixtureWorkspace';
import { CLI, folder, toolsFlake } from './mcpClient';

/**
 * A client nobody here wrote: the MCP Inspector's command-line mode (@modelcontextprotocol/inspector-cli
 * from npm) starts `nix-ai mcp`, lists its tools and calls check and explain_option.
 */
const INSPECTOR = path.join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build');

function inspect(root: string, ...method: string[]): unknown {
  // the inspector finds its own package.json relative to the working folder: run it from its build folder
  const r = spawnSync(process.execPath, [path.join(INSPECTOR, 'index.js'), process.execPath, CLI, 'mcp', root, ...method], {
    cwd: INSPECTOR, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, NIX_CONFIG: offlineFlakeConfig(), XDG_CACHE_HOME: tmpDir('inspector-cache') },
  });
  assert.equal(r.status, 0, `inspector ${method.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('the MCP Inspector lists the tools and calls check and explain_option', () => {
  const root = folder('mcp-inspector', toolsFlake());
  const tools = (inspect(root, '--method', 'tools/list') as { tools: Array<{ name: string; inputSchema: { properties?: Record<string, unknown> } }> }).tools;
  assert.ok(tools.length >= 9);
  assert.deepEqual(Object.keys(tools.find(t => t.name === 'fix')!.inputSchema.properties ?? {}).sort(), ['codes', 'path']);

  const checked = inspect(root, '--method', 'tools/call', '--tool-name', 'check', '--tool-arg', 'paths=["gpu.nix"]') as { structuredContent: { files: Array<{ path: string; diagnostics: Array<{ code: string }> }> } };
  assert.deepEqual(checked.structuredContent.files.map(f => f.path), ['gpu.nix']);
  assert.ok(checked.structuredContent.files[0].diagnostics.some(d => d.code === 'prime-bus-id-format'));

  const explained = inspect(root, '--method', 'tools/call', '--tool-name', 'explain_option', '--tool-arg', 'name=hardware.nvidia.open') as { isError?: boolean; structuredContent: { option: { name: string; type: string }; source: { origin: string } } };
  assert.notEqual(explained.isError, true);
  assert.equal(explained.structuredContent.option.name, 'hardware.nvidia.open');
  assert.equal(explained.structuredContent.option.type, catalog.nixos.find(o => o.name === 'hardware.nvidia.open')!.type);
  assert.equal(explained.structuredContent.source.origin, 'catalog');
});
