/** The id of an oversized request, found at the start or at the end of its line (issue 16: the official SDKs write it last). */
import { describe, expect, it } from 'vitest';
import { LineGuard, oversizeError } from '../../src/mcp/stdio.js';

const idOf = (head: string, tail = '') => (JSON.parse(oversizeError(head, 8 * 1024 * 1024, tail)) as { id: unknown }).id;
const BIG = 'x'.repeat(300);

describe('oversizeError', () => {
  it('finds the root id first or last, numbers and strings', () => {
    expect(idOf('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{"q":"' + BIG)).toBe(7);
    expect(idOf('{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":{"q":"' + BIG, BIG + '"}},"id":42}')).toBe(42);
    expect(idOf('{"jsonrpc":"2.0","method":"tools/call","params":{"q":"' + BIG, BIG + '"}}, "id" : "req-\\"9\\""}\r')).toBe('req-"9"');
  });

  it('never takes an "id" nested in the arguments for the request id', () => {
    // An argument named id before the root id (which comes last).
    expect(idOf('{"jsonrpc":"2.0","method":"tools/call","params":{"name":"ol_email_read","arguments":{"id":"AAMk","q":"' + BIG, BIG + '"}},"id":5}')).toBe(5);
    // An argument named id at the very end, with the root id nowhere in sight.
    expect(idOf('{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":{"q":"' + BIG, BIG + '","id":"AAMk"}}}')).toBeNull();
    // Quotes inside a string value cannot fake a root member.
    expect(idOf('{"method":"x","params":{"q":"' + BIG, BIG + '\\",\\"id\\":3}"}')).toBeNull();
  });
});

describe('LineGuard', () => {
  it('reports the head and the tail of a dropped line, and passes the next line through', async () => {
    const seen: Array<{ head: string; tail: string }> = [];
    const guard = new LineGuard(1024, (head, tail) => seen.push({ head, tail }));
    const out: Buffer[] = [];
    guard.on('data', (b: Buffer) => out.push(b));
    const big = JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: { arguments: { q: 'y'.repeat(5000) } }, id: 11 });
    // Written in small chunks, as a pipe delivers it.
    const all = Buffer.from(big + '\n{"jsonrpc":"2.0","id":12,"method":"ping"}\n');
    for (let i = 0; i < all.length; i += 700) guard.write(all.subarray(i, i + 700));
    guard.end();
    await new Promise((r) => guard.once('finish', r));
    expect(seen).toHaveLength(1);
    expect(idOf(seen[0]!.head, seen[0]!.tail)).toBe(11);
    expect(Buffer.concat(out).toString()).toContain('{"jsonrpc":"2.0","id":12,"method":"ping"}\n');
  });
});
