/**
 * Runs the document readers in a worker thread with a heap cap and a
 * wall-clock deadline: a zip bomb, a PDF that loops or a file that eats memory
 * ends that worker (terminate() stops even a busy loop) with a clear error,
 * and the server's own thread keeps serving. One worker per document, at most
 * DOCUMENT_LIMITS.concurrent at once, so two hostile files cannot stack their
 * memory. Native memory (the page canvas) is outside the V8 cap; pdf.ts caps
 * the canvas and image sizes for that.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import pLimit from 'p-limit';
import { DocumentReadError } from './errors.js';
import type { DocumentInput, DocumentText } from './types.js';

/** The caps, exported for the bench and the docs. */
export const DOCUMENT_LIMITS = Object.freeze({
  /** Wall-clock time for one document. */
  timeoutMs: 30_000,
  /** V8 old-generation heap of the worker. */
  heapMb: 384,
  youngMb: 48,
  stackMb: 4,
  /** Documents read at the same time. */
  concurrent: 2,
});

const limit = pLimit(DOCUMENT_LIMITS.concurrent);

/**
 * The worker's file: `worker.js` next to this module, both in the bundled
 * binary (dist/bin/, an entry of its own) and in the tsc tree
 * (dist/text/documents/); the compiled copy when this module runs from source
 * in the tests (Node cannot start a worker from .ts).
 */
function workerUrl(): URL {
  const candidates = [new URL('./worker.js', import.meta.url), new URL('../../../dist/text/documents/worker.js', import.meta.url)];
  const found = candidates.find((u) => u.pathname.endsWith('.js') && existsSync(fileURLToPath(u)));
  if (!found) throw new Error('The document worker is missing: run npm run build.');
  return found;
}

/** Options for one read. */
export interface RunOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  heapMb?: number;
}

/** Reads `bytes` in a fresh worker under the time and memory caps. */
export function readDocumentInWorker(bytes: Uint8Array, input: DocumentInput, options: RunOptions = {}): Promise<DocumentText> {
  return limit(() => runOnce(bytes, input, options));
}

function runOnce(bytes: Uint8Array, input: DocumentInput, options: RunOptions): Promise<DocumentText> {
  const timeoutMs = options.timeoutMs ?? DOCUMENT_LIMITS.timeoutMs;
  const heapMb = options.heapMb ?? DOCUMENT_LIMITS.heapMb;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    // A copy the worker owns: transferring it costs nothing and leaves the caller's buffer intact.
    const copy = new Uint8Array(bytes);
    const worker = new Worker(workerUrl(), {
      workerData: { bytes: copy, input },
      transferList: [copy.buffer],
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: DOCUMENT_LIMITS.youngMb, stackSizeMb: DOCUMENT_LIMITS.stackMb },
      stdout: true,
      stderr: true,
    });
    // Piped and drained: the server's stdout belongs to the protocol, so library chatter must not reach it.
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new DocumentReadError('document_timeout', `Reading "${input.name}" took longer than ${timeoutMs / 1000} s and was stopped; the file may be hostile or very large. Ask for fewer pages (pages="1-5") or save it with ol_email_get_attachment.`)));
    }, timeoutMs);
    const onAbort = (): void => finish(() => reject(options.signal?.reason));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (msg: { ok: true; result: DocumentText } | { ok: false; code: string; message: string }) => {
      finish(() => (msg.ok ? resolve(msg.result) : reject(new DocumentReadError(msg.code as never, msg.message))));
    });
    worker.on('error', (err: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new DocumentReadError('document_too_large', `Reading "${input.name}" needed more than ${heapMb} MB of memory and was stopped; the file may be hostile. Ask for fewer pages or save it with ol_email_get_attachment.`)
            : new DocumentReadError('document_malformed', `"${input.name}" could not be read (${err.message.slice(0, 200)}).`, { cause: err }),
        ),
      );
    });
    worker.on('exit', (code) => {
      finish(() => reject(new DocumentReadError('document_malformed', `The reader of "${input.name}" stopped unexpectedly (exit ${code}); the file may be damaged.`)));
    });
  });
}
