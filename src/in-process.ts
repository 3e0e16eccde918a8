/**
 * A real MCP client connected to a real server in the same process, over the
 * SDK's in-memory transport: what `call`, the demo, tests and benchmarks use.
 */
import { InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';
import { Client, type ClientCapabilities } from '@modelcontextprotocol/client';
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
}

/** Connects a new client to `server`. */
export async function connectInProcess(server: McpServer, clientName = 'mcp-server-outlook-cli', options: InProcessClientOptions = {}): Promise<InProcessSession> {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);
  const client = new Client({ name: clientName, version: VERSION }, options.capabilities ? { capabilities: options.capabilities } : undefined);
  options.setup?.(client);
  await client.connect(clientTransport);
  return {
    client,
    async close() {
      await client.close();
      await server.close();
    },
  };
}
