import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { startRuntime, stateDir } from '../runtime.js';
import { createServer } from '../server.js';

/** Serves MCP over stdio until the client closes the stream. */
export async function serveStdio(config: Config, logger: Logger): Promise<void> {
  const runtime = await startRuntime(config, { logger });
  const server = createServer(runtime.deps);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  if (config.sandbox) {
    logger.warn(
      `SANDBOX mode: serving the built-in demo mailbox of sandbox profile '${config.profile}' (kept in ${stateDir(config)}; start it afresh with: mcp-server-outlook sandbox reset); nothing here is real mail.`,
    );
  }
  await closed;
  await server.close();
  await runtime.close();
}
