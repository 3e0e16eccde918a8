/**
 * A real MCP client connected to a real server in the same process, over the
 * SDK's in-memory transport: what `call`, the demo, tests and benchmarks use.
 * The server side is served exactly as the binary serves stdio (`serveStdio`
 * with the server factory), so the client's era negotiation decides the
 * protocol era: the default client speaks 2025-11-25, a client pinned to
 * 2026-07-28 gets the stateless era.
 */
import { InMemoryTransport, type McpServerFactory } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { Client, type ClientCapabilities, type ClientOptions } from '@modelcontextprotocol/client';
import { VERSION } from './version.js';

export interface InProcessSession {
  client: Client;
  close(): Promise<void>;
}

export interface InProcessClientOptions {
  /** Capabilities the client declares (e.g. `{ elicitation: {} }`). */
  capabilities?: ClientCapabilities;
  /** Registers request handlers (e.g. for elicitation) before the client connects. */
  setup?: (client: Client) => void;
  /** Further client options, e.g. `versionNegotiation: { mode: { pin: '2026-07-28' } }`. */
  client?: Omit<ClientOptions, 'capabilities'>;
}

/** Connects a new client to a server built by `factory`. */
export async function connectInProcess(factory: McpServerFactory, clientName = 'mcp-server-outlook-cli', options: InProcessClientOptions = {}): Promise<InProcessSession> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const served = serveStdio(factory, { transport: serverTransport });
  const client = new Client({ name: clientName, version: VERSION }, { ...options.client, ...(options.capabilities ? { capabilities: options.capabilities } : {}) });
  options.setup?.(client);
  await client.connect(clientTransport);
  return {
    client,
    async close() {
      await client.close();
      await served.close();
    },
  };
}
