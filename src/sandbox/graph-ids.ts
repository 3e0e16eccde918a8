/** Ids and change keys shaped like Exchange's. */
import { randomBytes } from 'node:crypto';

/** An id shaped like Exchange's: base64 that may contain `/`, `+` and `=`, so clients must encode it. */
export function newGraphId(): string {
  return 'AAMkAGVmMDEz' + randomBytes(35).toString('base64');
}

/** A random `changeKey`. */
export function newChangeKey(): string {
  return 'CQAAABYAAAB' + randomBytes(12).toString('base64');
}
