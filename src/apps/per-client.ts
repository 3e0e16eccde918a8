/**
 * MCP Apps surface that depends on the client asking: app-only tools, the
 * tools' UI links and the card resource exist only for a client that
 * declares the Apps extension (`io.modelcontextprotocol/ui` with the
 * `text/html;profile=mcp-app` MIME type). Every other client lists exactly
 * what it listed before the card existed.
 *
 * The decision is per request, not per connection: a 2026-07-28 client
 * declares its capabilities in every request's envelope, a 2025 client once
 * in `initialize`. The SDK's McpServer lists every enabled tool to everyone,
 * so the listing handlers it installs are wrapped here (the SDK offers no
 * per-request filter; see docs/SEND.md "SDK gaps").
 */
import { CLIENT_CAPABILITIES_META_KEY, type ClientCapabilities, type McpServer, type ServerContext, type Tool } from '@modelcontextprotocol/server';
import { getUiCapability, RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from '@modelcontextprotocol/ext-apps/server';
import { UserFacingError } from '../errors.js';
import { sdkRequestHandler } from '../mcp/sdk-handlers.js';

/** A call of an app-only tool from a client without Apps: the tool does not exist for it. */
export class AppOnlyToolError extends UserFacingError {
  override name = 'AppOnlyToolError';
  constructor(tool: string) {
    super('app-only-tool', `Tool ${tool} not found.`);
  }
}

/** True when the client behind this request renders MCP Apps HTML resources. */
export function clientRendersApps(server: McpServer, ctx: Pick<ServerContext, 'mcpReq'>): boolean {
  // The envelope (2026-07-28) is this request's own claim; a 2025 connection declared once, at initialize.
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const caps = (envelope?.[CLIENT_CAPABILITIES_META_KEY] as ClientCapabilities | undefined) ?? server.server.getClientCapabilities();
  return getUiCapability(caps)?.mimeTypes?.includes(RESOURCE_MIME_TYPE) ?? false;
}

/** Removes the MCP Apps keys from a tool's `_meta` (a client without Apps gets the tool as before). */
function withoutUiMeta(tool: Tool): Tool {
  if (!tool._meta) return tool;
  const { ui: _ui, [RESOURCE_URI_META_KEY]: _legacy, ...rest } = tool._meta as Record<string, unknown>;
  const { _meta: _drop, ...bare } = tool;
  return Object.keys(rest).length ? { ...bare, _meta: rest } : bare;
}

/**
 * Wraps the listing handlers McpServer installed so that a client without
 * Apps sees no app-only tool, no UI links and no card resource. Call after
 * every tool and resource is registered.
 */
export function listAppsSurfacePerClient(server: McpServer, appOnlyTools: ReadonlySet<string>, appResources: ReadonlySet<string>): void {
  const wrap = (method: 'tools/list' | 'resources/list', filter: (result: Record<string, unknown>) => Record<string, unknown>) => {
    const original = sdkRequestHandler(server, method);
    // Fail closed: without the wrap every client would list the app-only tools.
    if (!original) throw new Error(`mcp-server-outlook cannot filter ${method} per client with this MCP SDK version (no registered handler found). Please report this as a bug.`);
    server.server.setRequestHandler(method, async (request, ctx) => {
      const result = (await original(request, ctx)) as Record<string, unknown>;
      return (clientRendersApps(server, ctx) ? result : filter(result)) as never;
    });
  };
  wrap('tools/list', (r) => ({ ...r, tools: (r.tools as Tool[]).filter((t) => !appOnlyTools.has(t.name)).map(withoutUiMeta) }));
  if (appResources.size) wrap('resources/list', (r) => ({ ...r, resources: (r.resources as Array<{ uri: string }>).filter((x) => !appResources.has(x.uri)) }));
}
