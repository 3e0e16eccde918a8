#!/usr/bin/env node
// Baseline for the start-up benchmark: the smallest useful server on the same SDK and zod.
import { McpServer } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const server = new McpServer({ name: 'one-tool', version: '1.0.0' });
server.registerTool(
  'echo',
  { description: 'Echo a string', inputSchema: z.object({ text: z.string() }), annotations: { readOnlyHint: true } },
  async ({ text }) => ({ content: [{ type: 'text', text }] }),
);
await server.connect(new StdioServerTransport());
