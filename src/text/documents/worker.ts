/**
 * The document worker's entry: reads one document and posts the result (or
 * the error's code and message) back. It lives in its own thread so a hostile
 * file that exhausts memory or loops only ever kills this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isUserFacing } from '../../errors.js';
import { readDocument } from './index.js';
import type { DocumentInput } from './types.js';

const { bytes, input } = workerData as { bytes: Uint8Array; input: DocumentInput };
try {
  const result = await readDocument(bytes, input);
  parentPort?.postMessage({ ok: true, result });
} catch (err) {
  parentPort?.postMessage(isUserFacing(err) ? { ok: false, code: err.code, message: err.message } : { ok: false, code: 'document_malformed', message: `The file cannot be read (${String((err as Error)?.message ?? err).slice(0, 300)}).` });
}
