#!/usr/bin/env node
/**
 * Build step: writes dist/tools/schemas.generated.json, the JSON Schemas of
 * every tool exactly as tools/list shows them. Converting 17 zod schemas on the
 * first tools/list costs ~20 ms of cold start-up; reading this file costs
 * well under 1 ms. Generated from the same compactJsonSchema() the server uses
 * at run time (tests run from src/, without this file, and compare with the
 * committed snapshots), so the two cannot disagree.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const { allTools } = await import(path.join(dist, 'tools', 'index.js'));
const ALL_TOOLS = await allTools();
const { compactJsonSchema, JSON_SCHEMA_TARGET } = await import(path.join(dist, 'mcp', 'json-schema.js'));

const out = {};
for (const tool of ALL_TOOLS) {
  out[tool.name] = {
    input: compactJsonSchema(tool.input, 'input')['~standard'].jsonSchema.input({ target: JSON_SCHEMA_TARGET }),
    output: compactJsonSchema(tool.output, 'output')['~standard'].jsonSchema.output({ target: JSON_SCHEMA_TARGET }),
  };
}
writeFileSync(path.join(dist, 'tools', 'schemas.generated.json'), JSON.stringify(out) + '\n');
