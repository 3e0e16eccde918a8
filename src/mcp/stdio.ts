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

/** The longest JSON-RPC line accepted: below the SDK transport's 10 MB buffer, far above any legitimate call. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** A JSON-RPC error line for an oversized request, with the request's id when its start shows one. */
export function oversizeError(head: string, limit: number): string {
  const m = /"id"\s*:\s*(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")/.exec(head);
  let id: number | string | null = null;
  if (m?.[1]) {
    try {
      id = JSON.parse(m[1]) as number | string;
    } catch {
      id = null;
    }
  }
  const mb = (limit / (1024 * 1024)).toFixed(0);
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32600, message: `Request too large: a JSON-RPC message over ${mb} MB was dropped. Send smaller arguments (attach files by path instead of inlining them).` } }) + '\n';
}

/** Passes complete lines through; a line over `limit` bytes is dropped and `onOversize(head)` is told its first bytes. */
export class LineGuard extends Transform {
  private lineBytes = 0;
  private dropping = false;
  private head = '';

  constructor(
    private readonly limit: number,
    private readonly onOversize: (head: string) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl + 1;
      const piece = chunk.subarray(start, end);
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
          this.onOversize(this.head);
        }
        this.lineBytes = 0;
        this.dropping = false;
        this.head = '';
      }
      start = end;
    }
    done();
  }
}

/** Serves `factory` on stdin/stdout until stdin ends. */
export async function serveOverStdio(factory: McpServerFactory, io: { stdin: Readable; stdout: Writable; onerror?: (err: Error) => void; maxLineBytes?: number } = { stdin: process.stdin, stdout: process.stdout }): Promise<void> {
  const limit = io.maxLineBytes ?? MAX_LINE_BYTES;
  const guard = new LineGuard(limit, (head) => io.stdout.write(oversizeError(head, limit)));
  io.stdin.pipe(guard);
  const closed = new Promise<void>((resolve) => {
    guard.once('end', resolve);
    guard.once('close', resolve);
  });
  const handle: StdioServerHandle = serveStdio(factory, { transport: new StdioServerTransport(guard, io.stdout), onerror: io.onerror });
  await closed;
  await handle.close();
}
