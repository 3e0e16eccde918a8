/**
 * The one place that reaches into the MCP SDK's protected handler table:
 * McpServer offers no per-request hook for tools/list, resources/list or
 * tools/call, so the adapter wraps the handlers McpServer installed. If an SDK
 * release renames the member, this is the line to change.
 */
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';

/** A request handler as McpServer stores it (it validates the request it is given itself). */
export type SdkRequestHandler = (request: unknown, ctx: ServerContext) => Promise<unknown>;

/** The handler McpServer registered for `method`, or undefined when this SDK version keeps it elsewhere. */
export function sdkRequestHandler(server: McpServer, method: string): SdkRequestHandler | undefined {
  const inner = server.server as unknown as { _getRequestHandler?(method: string): SdkRequestHandler | undefined };
  return typeof inner._getRequestHandler === 'function' ? inner._getRequestHandler(method) : undefined;
}
