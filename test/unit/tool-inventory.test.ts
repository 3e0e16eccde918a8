import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compactJsonSchema, JSON_SCHEMA_TARGET } from '../../src/mcp/json-schema.js';

const GENERATED = 'dist/tools/schemas.generated.json';
import { loadConfig } from '../../src/config/config.js';
import { startRuntime } from '../../src/runtime.js';
import { createServerFactory } from '../../src/mcp/server.js';
import { connectInProcess } from '../../src/in-process.js';
import { allTools, CORE_TOOLS, toolsFor } from '../../src/tools/index.js';

const ALL_TOOLS = await allTools();
import { Logger } from '../../src/log.js';

async function listTools(env: Record<string, string>) {
  const config = loadConfig({ OUTLOOK_TIMEZONE: 'UTC', OUTLOOK_CACHE_DIR: '/tmp/outlook-inventory', OUTLOOK_ACCESS_TOKEN: 'x', ...env });
  const runtime = await startRuntime(config, { logger: new Logger('silent'), ephemeralHandles: true });
  const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools));
  try {
    return (await session.client.listTools()).tools;
  } finally {
    await session.close();
    await runtime.close();
  }
}

describe('tool inventory', () => {
  it('has unique names, all prefixed ol_', () => {
    const names = ALL_TOOLS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^ol_[a-z_]+$/);
  });

  it('sets all four annotation hints explicitly on every tool, and a toolset', () => {
    for (const t of ALL_TOOLS) {
      expect(Object.keys(t.annotations).sort(), t.name).toEqual(['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint']);
      expect(t.toolset, t.name).toMatch(/^(mail|calendar|people|account)$/);
      expect(t.title, t.name).toBeTruthy();
    }
  });

  it('exposes only read-only tools in the default configuration (besides starting a sign-in)', async () => {
    const tools = await listTools({});
    expect(tools.length).toBeGreaterThan(0);
    for (const t of tools) {
      // ol_login_begin starts a sign-in (docs/DESIGN.md tool surface: not read-only); it neither reads nor changes mail and is never destructive.
      // ol_email_get_attachment changes no mail but writes the attachment to a file here, so it is not read-only either.
      if (t.name === 'ol_login_begin' || t.name === 'ol_email_get_attachment') expect(t.annotations?.readOnlyHint, t.name).toBe(false);
      else expect(t.annotations?.readOnlyHint, t.name).toBe(true);
      expect(t.annotations?.destructiveHint, t.name).toBe(false);
    }
    expect(tools.map((t) => t.name)).toEqual(toolsFor({ allowDrafts: false, allowSend: false, authMode: 'delegated' }, CORE_TOOLS).map((t) => t.name));
  });

  it('never exposes a send, delete or logout tool', async () => {
    for (const env of [{}, { OUTLOOK_ALLOW_DRAFTS: 'true' }] as Array<Record<string, string>>) {
      for (const t of await listTools(env)) expect(t.name).not.toMatch(/send|delete|logout|forward|reply/);
    }
  });

  it('adds only ol_email_send_draft with drafts and send enabled (destructive, not idempotent)', async () => {
    const drafts = (await listTools({ OUTLOOK_ALLOW_DRAFTS: 'true' })).map((t) => t.name);
    const send = await listTools({ OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true' });
    expect(send.map((t) => t.name).filter((n) => !drafts.includes(n))).toEqual(['ol_email_send_draft']);
    const tool = send.find((t) => t.name === 'ol_email_send_draft');
    expect(tool?.annotations).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true });
  });

  it('input schemas are strict objects with no top-level combinators and no $schema noise', async () => {
    for (const t of await listTools({})) {
      const s = t.inputSchema as Record<string, unknown>;
      expect(s.type, t.name).toBe('object');
      expect(s.additionalProperties, t.name).toBe(false);
      for (const k of ['anyOf', 'oneOf', 'allOf', '$schema']) expect(s[k], `${t.name}.${k}`).toBeUndefined();
      expect((t.outputSchema as Record<string, unknown>).$schema, t.name).toBeUndefined();
    }
  });

  // One file per tool, so a review shows which tool's schema changed; _surfaces.json says which configuration lists which tools.
  it('matches the committed schema snapshots, one file per tool (update with: npx vitest run -u)', async () => {
    const surfaces = {
      default: await listTools({}),
      drafts: await listTools({ OUTLOOK_ALLOW_DRAFTS: 'true' }),
      send: await listTools({ OUTLOOK_ALLOW_DRAFTS: 'true', OUTLOOK_ALLOW_SEND: 'true' }),
    };
    const byName = new Map<string, unknown>();
    for (const list of Object.values(surfaces)) {
      for (const t of list) {
        // A tool looks the same in every configuration that lists it.
        if (byName.has(t.name)) expect(t, t.name).toEqual(byName.get(t.name));
        byName.set(t.name, t);
      }
    }
    for (const [name, tool] of byName) await expect(JSON.stringify(tool, null, 2) + '\n').toMatchFileSnapshot(`../snapshots/tools/${name}.json`);
    const names = Object.fromEntries(Object.entries(surfaces).map(([k, list]) => [k, list.map((t) => t.name)]));
    await expect(JSON.stringify(names, null, 2) + '\n').toMatchFileSnapshot('../snapshots/tools/_surfaces.json');
    // No snapshot outlives its tool.
    const files = readdirSync(fileURLToPath(new URL('../snapshots/tools/', import.meta.url))).filter((f) => f !== '_surfaces.json');
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...byName.keys()].sort());
  });

  // The build writes the schemas tools/list serves (scripts/precompute-schemas.mjs); they must be exactly what the source converts to.
  it.skipIf(!existsSync(GENERATED))('the precomputed schemas in dist/ equal the live conversion', () => {
    const generated = JSON.parse(readFileSync(GENERATED, 'utf8')) as Record<string, { input: unknown; output: unknown }>;
    expect(Object.keys(generated).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
    for (const t of ALL_TOOLS) {
      expect(generated[t.name]?.input, t.name).toEqual(compactJsonSchema(t.input, 'input')['~standard'].jsonSchema.input({ target: JSON_SCHEMA_TARGET }));
      expect(generated[t.name]?.output, t.name).toEqual(compactJsonSchema(t.output, 'output')['~standard'].jsonSchema.output({ target: JSON_SCHEMA_TARGET }));
    }
  });
});
