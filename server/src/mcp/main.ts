import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { loadParser } from '../parse/native';
import type { McpArgs } from './args';
import { ToolContext } from './context';
import { createMcpServer } from './server';

/** `nix-ai mcp`: serve one flake over standard input and output until the client leaves. */
export async function runMcp(args: McpArgs, wasmDir: string): Promise<number> {
  const parser = await loadParser(wasmDir, message => process.stderr.write(`${message}\n`));
  const ctx = new ToolContext(args, parser);
  const server = createMcpServer(ctx);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>(resolve => { transport.onclose = resolve; process.stdin.on('end', resolve); });
  await server.connect(transport);
  ctx.log(`serving ${args.root}${args.allowSwitch ? `, switch allowed with ${args.healthChecks.length} health check(s)` : ', switch off'}`);
  await closed;
  await server.close();
  return 0;
}

