/**
 * server.json (the MCP Registry entry) against the registry's documented
 * requirements for the 2025-12-11 schema (no package ships that schema):
 * required fields and their limits, an exact package version, a stdio
 * transport, and npm ownership through package.json's `mcpName`. It must also
 * stay in step with package.json and name only real settings.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

interface ServerJson {
  $schema: string;
  name: string;
  description: string;
  version: string;
  packages: Array<{
    registryType: string;
    identifier: string;
    version: string;
    transport: { type: string };
    environmentVariables?: Array<{ name: string; description?: string; isSecret?: boolean; format?: string }>;
  }>;
}

const server = JSON.parse(readFileSync('server.json', 'utf8')) as ServerJson;
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string; mcpName?: string };
const readme = readFileSync('README.md', 'utf8');
const RANGE = /^[\^~<>=*]|\.x$|\.\*$|\s-\s|\|\|/;

describe('server.json for the MCP Registry', () => {
  it('has the required fields within the schema limits', () => {
    expect(server.$schema).toMatch(/^https:\/\/static\.modelcontextprotocol\.io\/schemas\/\d{4}-\d{2}-\d{2}\/server\.schema\.json$/);
    expect(server.name).toMatch(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/);
    expect(server.name.length).toBeGreaterThanOrEqual(3);
    expect(server.name.length).toBeLessThanOrEqual(200);
    expect(server.description.length).toBeGreaterThan(0);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.version).not.toMatch(RANGE);
    expect(server.version).not.toBe('latest');
  });

  it('lists the npm package with an exact version and a stdio transport', () => {
    expect(server.packages).toHaveLength(1);
    const [p] = server.packages;
    expect(p).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
    expect(server.version).toBe(pkg.version);
    // The registry checks npm ownership through this field of the published package.json.
    expect(pkg.mcpName).toBe(server.name);
  });

  it('names only settings the server reads, and marks the secret one', () => {
    const vars = server.packages[0]?.environmentVariables ?? [];
    for (const v of vars) {
      expect(readme, v.name).toContain(`\`${v.name}\``);
      expect(v.description?.length ?? 0, v.name).toBeGreaterThan(0);
    }
    expect(vars.find((v) => v.name === 'OUTLOOK_TOKEN_PASSPHRASE')?.isSecret).toBe(true);
    expect(vars.filter((v) => v.isSecret).map((v) => v.name)).toEqual(['OUTLOOK_TOKEN_PASSPHRASE']);
  });
});
