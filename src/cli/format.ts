import type { CallToolResult } from '@modelcontextprotocol/client';

/** A tool result as a person reads it in a terminal: the text content, with errors marked. */
export function formatCallResult(result: CallToolResult): string {
  const text = (result.content ?? [])
    .map((c) => (c.type === 'text' ? c.text : `[${c.type} content]`))
    .join('\n');
  return `${result.isError ? 'ERROR: ' : ''}${text}\n`;
}
