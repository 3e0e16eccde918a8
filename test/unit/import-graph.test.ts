/**
 * The shape of the code, checked on the real import graph (madge): no import
 * circles, and the layers point one way. Services, Graph, text, auth and
 * approval code never import the tools layer or the MCP adapter, so a tool
 * stays a thin file over them; product code reaches the sandbox only through
 * its entry point (the runtime and the CLI load it on demand).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import madge from 'madge';

const SRC = path.resolve('src');
const graph = await madge(SRC, { fileExtensions: ['ts'], tsConfig: path.resolve('tsconfig.json'), detectiveOptions: { ts: { skipTypeImports: false } } });
const deps = graph.obj();

describe('import graph of src/', () => {
  it('has no import circles', () => {
    expect(graph.circular()).toEqual([]);
  });

  it('keeps services and everything below them free of the tools layer and the MCP adapter', () => {
    const lower = /^(services|graph|text|auth|approval|drafts|handles|state|config|audit)\//;
    const offenders = Object.entries(deps).flatMap(([file, imports]) => (lower.test(file) ? imports.filter((i) => /^(tools|mcp)\//.test(i)).map((i) => `${file} -> ${i}`) : []));
    expect(offenders).toEqual([]);
  });

  it('reaches the sandbox only through its entry point, and the sandbox imports no product code', () => {
    const intoSandbox = Object.entries(deps).flatMap(([file, imports]) =>
      file.startsWith('sandbox/') ? [] : imports.filter((i) => i.startsWith('sandbox/') && i !== 'sandbox/index.ts').map((i) => `${file} -> ${i}`),
    );
    expect(intoSandbox).toEqual([]);
    const outOfSandbox = Object.entries(deps).flatMap(([file, imports]) => (file.startsWith('sandbox/') ? imports.filter((i) => !i.startsWith('sandbox/')).map((i) => `${file} -> ${i}`) : []));
    expect(outOfSandbox).toEqual([]);
  });
});
