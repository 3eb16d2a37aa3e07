import * as path from 'path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod/v4';
import { describeRelease, detectRelease } from '../analysis/release';
import { readTextFile } from '../util/files';
import { VERSION } from '../version';
import type { ToolContext } from './context';
import { build } from './tools/build';
import { check } from './tools/check';
import { doctorTool } from './tools/doctor';
import { explainOption } from './tools/explainOption';
import { fix } from './tools/fix';
import { inputAge, inputAges } from './tools/inputAge';
import { listOutputsTool } from './tools/listOutputs';
import { searchOptions } from './tools/searchOptions';
import { switchTool } from './tools/switch';
import type { Tool } from './tools/tool';
import { updateInputs } from './tools/updateInputs';

export const TOOLS: readonly Tool[] = [check, fix, explainOption, searchOptions, listOutputsTool, build, switchTool, updateInputs, inputAge, doctorTool];

const INSTRUCTIONS = `nix-ai serves one Nix flake. Check it before and after you edit it (check, then fix for the safe fixes).
Look options up in this flake's own pinned nixpkgs with explain_option and search_options rather than guessing names.
build never changes the running system; switch does, only when the user allowed it, and rolls back when a health check fails.
On a GPU machine, call doctor before and after switch: it says whether the driver, CUDA and containers work as configured.`;

/** The MCP server for one flake: its tools, its lock and release as resources, and a prompt. */
export function createMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer({ name: 'nix-ai', version: VERSION }, { instructions: INSTRUCTIONS });
  // the SDK's generic types are too deep for the compiler over a list of tools; Tool states the shape
  const register = server.registerTool.bind(server) as unknown as (name: string, config: Tool['config'], cb: (...params: unknown[]) => Promise<unknown>) => void;
  for (const tool of TOOLS) {
    const handler = async (...params: unknown[]) => {
      // tools without input get only `extra`
      const [input, extra] = tool.config.inputSchema ? params : [{}, params[0]];
      try {
        return await tool.handler(ctx, input as Record<string, unknown>, extra as Parameters<Tool['handler']>[2]);
      } catch (e) {
        ctx.log(`${tool.name} failed: ${e instanceof Error ? e.stack : String(e)}`);
        return ctx.error(`${tool.name} failed inside nix-ai: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    register(tool.name, tool.config, handler);
  }

  const lockText = () => readTextFile(path.join(ctx.root, 'flake.lock'));
  server.registerResource('flake-lock', 'nix-ai://flake/lock', {
    title: 'Locked inputs', description: 'Each locked input of the flake with its revision, date and age in days.', mimeType: 'application/json',
  }, uri => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: ctx.redact(JSON.stringify({ inputs: inputAges(lockText(), Date.now()) ?? [] }, null, 2)) }] }));
  server.registerResource('release', 'nix-ai://flake/release', {
    title: 'NixOS release', description: 'The NixOS release the flake is checked against, and where that comes from.', mimeType: 'application/json',
  }, uri => {
    const release = detectRelease('auto', lockText());
    return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ release: release.name, source: release.source, description: describeRelease(release) }, null, 2) }] };
  });

  server.registerPrompt('fix-findings', {
    title: 'Fix the findings in this flake',
    description: 'Check the flake, apply the safe fixes, then fix the rest by hand and check again.',
    argsSchema: { path: z.string().optional().describe('a file or folder inside the flake; default: all of it') },
  }, ({ path: where }) => ({
    messages: [{
      role: 'user',
      content: {
        type: 'text',
        text: `Fix the findings nix-ai reports in ${where ? `"${where}" of ` : ''}this Nix flake.\n` +
          `1. Call check${where ? ` with paths ["${where}"]` : ''} and read every finding.\n` +
          '2. Call fix for each file with safe fixes, and read the diff it returns.\n' +
          '3. Fix the remaining errors and warnings by editing the files; use explain_option and search_options for option names and types instead of guessing.\n' +
          '4. Call check again until no error or warning is left, then build the configuration you changed. Do not switch unless asked.',
      },
    }],
  }));
  return server;
}
