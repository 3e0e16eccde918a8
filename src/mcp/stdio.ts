/**
 * Serving MCP over stdio for both protocol eras: the SDK's `serveStdio`
 * decides each connection's era from its opening exchange and pins one
 * server from our factory to it. In front of it sits a line guard, because
 * the SDK's stdio transport closes the connection (and the process exits 0,
 * silently) when one message exceeds its read buffer. A request line over
 * our limit is instead dropped and answered with a JSON-RPC error naming the
 * limit, and the server stays up.
 */
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import type { McpServerFactory } from '@modelcontextprotocol/server';
import { serveStdio, StdioServerTransport, type StdioServerHandle } from '@modelcontextprotocol/server/stdio';
import { ArgumentGuardTransport } from './argument-guard.js';

/** The longest JSON-RPC line accepted: below the SDK transport's 10 MB buffer, far above any legitimate call. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

const ID_VALUE = String.raw`(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")`;
/** `"id": <number or string>` as the last member of the root object: the line's final `}` closes the root, so a member right before it is the root's. */
const ID_AT_END = new RegExp(String.raw`[,{]\s*"id"\s*:\s*` + ID_VALUE + String.raw`\s*\}\s*$`);
const ID_VALUE_AT = new RegExp(String.raw`^\s*:\s*` + ID_VALUE);

/** The root object's `id` in the start of a JSON text, skipping any `"id"` nested deeper (e.g. a tool argument). */
function rootIdInHead(head: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let j = i + 1;
      while (j < head.length && head[j] !== '"') j += head[j] === '\\' ? 2 : 1;
      if (j >= head.length) return undefined;
      if (depth === 1 && head.slice(i + 1, j) === 'id') {
        const m = ID_VALUE_AT.exec(head.slice(j + 1));
        if (m) return m[1];
      }
      i = j;
    }
  }
  return undefined;
}

/**
 * A JSON-RPC error line for an oversized request, with the request's own id: found at the root of the
 * line's first bytes, or as the root's last member in its last bytes (both official SDKs serialise `id`
 * last), so the client can match the answer instead of waiting for it.
 */
export function oversizeError(head: string, limit: number, tail = ''): string {
  const raw = rootIdInHead(head) ?? ID_AT_END.exec(tail)?.[1];
  let id: number | string | null = null;
  if (raw !== undefined) {
    try {
      id = JSON.parse(raw) as number | string;
    } catch {
      id = null;
    }
  }
  const mb = (limit / (1024 * 1024)).toFixed(0);
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32600, message: `Request too large: a JSON-RPC message over ${mb} MB was dropped. Send smaller arguments (attach files by path instead of inlining them).` } }) + '\n';
}

/** Bytes kept of the end of a line: enough for `,"id":"<200 characters>"}`. */
const TAIL_BYTES = 512;

/** Passes complete lines through; a line over `limit` bytes is dropped and `onOversize(head, tail)` is told its first and last bytes. */
export class LineGuard extends Transform {
  private lineBytes = 0;
  private dropping = false;
  private head = '';
  private tail: Buffer = Buffer.alloc(0);

  constructor(
    private readonly limit: number,
    private readonly onOversize: (head: string, tail: string) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl + 1;
      const piece = chunk.subarray(start, end);
      // The line's last bytes, newline excluded: where both official SDKs put the request's id.
      const body = nl >= 0 ? piece.subarray(0, piece.length - 1) : piece;
      this.tail = body.length >= TAIL_BYTES ? Buffer.from(body.subarray(body.length - TAIL_BYTES)) : Buffer.concat([this.tail, body]).subarray(-TAIL_BYTES);
      if (!this.dropping) {
        if (this.lineBytes + piece.length > this.limit + 1) {
          // Whatever of this line was already passed on stays unterminated; the newline below ends it as junk the transport rejects.
          this.dropping = true;
          this.head += piece.subarray(0, 256).toString('utf8');
        } else {
          if (this.lineBytes < 256) this.head += piece.subarray(0, 256 - this.lineBytes).toString('utf8');
          this.push(piece);
          this.lineBytes += piece.length;
        }
      }
      if (nl >= 0) {
        if (this.dropping) {
          // End the partial line already passed on, so the next request starts clean.
          if (this.lineBytes > 0) this.push(Buffer.from('\n'));
          this.onOversize(this.head, this.tail.toString('utf8'));
        }
        this.lineBytes = 0;
        this.dropping = false;
        this.head = '';
        this.tail = Buffer.alloc(0);
      }
      start = end;
    }
    done();
  }
}

/** Serves `factory` on stdin/stdout until stdin ends. */
export async function serveOverStdio(factory: McpServerFactory, io: { stdin: Readable; stdout: Writable; onerror?: (err: Error) => void; maxLineBytes?: number } = { stdin: process.stdin, stdout: process.stdout }): Promise<void> {
  const limit = io.maxLineBytes ?? MAX_LINE_BYTES;
  const guard = new LineGuard(limit, (head, tail) => io.stdout.write(oversizeError(head, limit, tail)));
  io.stdin.pipe(guard);
  const closed = new Promise<void>((resolve) => {
    guard.once('end', resolve);
    guard.once('close', resolve);
  });
  const handle: StdioServerHandle = serveStdio(factory, { transport: new ArgumentGuardTransport(new StdioServerTransport(guard, io.stdout)), onerror: io.onerror });
  await closed;
  await handle.close();
}
