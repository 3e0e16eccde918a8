import { sandboxResetAdvice } from '../config/advice.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { startRuntime, stateDir } from '../runtime.js';
import { createServerFactory } from '../mcp/server.js';
import { serveOverStdio } from '../mcp/stdio.js';

/** Serves MCP over stdio (2025-11-25 and 2026-07-28 clients alike) until the client closes the stream. */
export async function serveStdio(config: Config, logger: Logger): Promise<void> {
  const runtime = await startRuntime(config, { logger });
  if (config.sandbox) {
    logger.warn(
      `SANDBOX mode: serving the built-in demo mailbox of sandbox profile '${config.profile}' (kept in ${stateDir(config)}; start it afresh: ${sandboxResetAdvice(config)}); nothing here is real mail.`,
    );
  }
  await serveOverStdio(createServerFactory(runtime.deps, runtime.tools), {
    stdin: process.stdin,
    stdout: process.stdout,
    onerror: (err) => logger.warn(`MCP transport: ${err.message}`),
  });
  await runtime.close();
}
