/**
 * How an id handle is derived from a Graph id: characters picked by the bytes
 * of the id's SHA-256, so the same id gets the same handle in every process
 * and adapter without asking anyone. On a collision the next length is tried.
 */
import { createHash } from 'node:crypto';
import type { HandleDerivation } from './ports.js';

/** No 0/o/1/l/i: handles get read aloud and retyped. */
export const HANDLE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** The product's derivation: 8 characters, up to 12 on collisions. */
export const DEFAULT_HANDLE_DERIVATION: HandleDerivation = Object.freeze({
  minLength: 8,
  maxLength: 12,
  candidate(id: string, length: number): string {
    const digest = createHash('sha256').update(id).digest();
    let out = '';
    for (let i = 0; out.length < length; i++) out += HANDLE_ALPHABET[(digest[i] ?? 0) % HANDLE_ALPHABET.length];
    return out;
  },
});
