/**
 * OUTLOOK_LEGACY_CLIENTS=sessions: 2025-11-25 clients served with the SDK's sessionful Streamable HTTP
 * transport, so a send can be confirmed by elicitation (the server's request travels on the tool call's
 * stream and the answer comes back as a POST carrying `Mcp-Session-Id`). A session lives in the memory
 * of the replica that opened it: the load balancer must route every request with that header to the
 * same replica (docs/REMOTE.md has the haproxy lines). A session belongs to the person who opened it;
 * anyone else presenting its id is told it does not exist, exactly as for an unknown id.
 */
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport, type AuthInfo, type McpServer } from '@modelcontextprotocol/server';

interface Session {
  readonly userKey: string;
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly server: McpServer;
  lastUsed: number;
}

/** Sessions idle for this long are closed (a client that comes back is told to start a new one). */
export const SESSION_IDLE_MS = 30 * 60_000;

export class LegacySessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    /** Builds the 2025-era server of one person. */
    private readonly build: (userKey: string) => Promise<McpServer>,
    private readonly maxSessions = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** Serves one request of a 2025 client (with or without a session id) for the authenticated `userKey`. */
  async handle(request: Request, userKey: string, authInfo: AuthInfo): Promise<Response> {
    const id = request.headers.get('mcp-session-id');
    if (id !== null) {
      const s = this.sessions.get(id);
      if (!s || s.userKey !== userKey) {
        return Response.json(
          {
            jsonrpc: '2.0',
            id: null,
            error: {
              code: -32001,
              message: 'Session not found: it ended, or it lives on another replica (the load balancer must keep affinity on the Mcp-Session-Id header, see docs/REMOTE.md). Start a new session.',
            },
          },
          { status: 404 },
        );
      }
      s.lastUsed = this.now();
      return s.transport.handleRequest(request, { authInfo });
    }
    this.sweep();
    const server = await this.build(userKey);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        this.sessions.set(sid, { userKey, transport, server, lastUsed: this.now() });
      },
      onsessionclosed: (sid) => {
        this.sessions.delete(sid);
      },
    });
    await server.connect(transport);
    const response = await transport.handleRequest(request, { authInfo });
    // Not an initialize (the transport answered 400): nothing to keep.
    if (transport.sessionId === undefined) await server.close();
    return response;
  }

  /** Closes idle sessions, then the oldest ones over the cap. */
  private sweep(): void {
    const idleSince = this.now() - SESSION_IDLE_MS;
    const doomed = [...this.sessions.entries()].filter(([, s]) => s.lastUsed < idleSince);
    const over = this.sessions.size - doomed.length - this.maxSessions + 1;
    if (over > 0) doomed.push(...[...this.sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed).slice(0, over));
    for (const [sid, s] of doomed) {
      this.sessions.delete(sid);
      void s.server.close().catch(() => undefined);
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map((s) => s.server.close()));
  }
}
