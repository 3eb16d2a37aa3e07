import type { CallToolResult, ServerNotification, ServerRequest, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ZodRawShape } from 'zod/v4';
import type { ToolContext } from '../context';

export type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** One MCP tool: its name, its schemas and what it does. Handlers get input the schema has checked. */
export interface Tool {
  name: string;
  config: {
    title: string;
    description: string;
    inputSchema?: ZodRawShape;
    outputSchema?: ZodRawShape;
    annotations?: ToolAnnotations;
  };
  handler(ctx: ToolContext, input: Record<string, unknown>, extra: Extra): Promise<CallToolResult>;
}
