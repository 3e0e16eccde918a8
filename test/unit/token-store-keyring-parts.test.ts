import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { decodeParts, encodeParts, KEYRING_PART_CHARS } from '../../src/auth/stores/keyring-store.js';
import { isLockedMessage, keyringBackendName } from '../../src/auth/stores/keyring-probe.js';

describe('keyring parts', () => {
  it('splits a cache into parts no longer than a Windows credential allows, and joins them back', () => {
    const cache = JSON.stringify({ AccessToken: { a: randomBytes(9000).toString('base64') } });
    const parts = encodeParts(cache);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(KEYRING_PART_CHARS);
    // UTF-16 in a 2560-byte blob
    expect(KEYRING_PART_CHARS * 2).toBeLessThanOrEqual(2560);
    expect(decodeParts(parts)).toBe(cache);
  });

  it('compresses the repetitive JSON of a typical cache into few parts', () => {
    const cache = JSON.stringify({ Account: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`acct-${i}`, { environment: 'login.microsoftonline.com', realm: 'common' }])) });
    expect(encodeParts(cache)).toHaveLength(1);
  });

  it('reports parts that do not inflate as undecodable', () => {
    expect(decodeParts(['not deflate data'])).toBeUndefined();
  });
});

describe('keyring error wording', () => {
  it('tells "locked or refused" from "not reachable"', () => {
    expect(isLockedMessage("Couldn't access platform storage: Secret Service: unlock prompt was dismissed")).toBe(true);
    expect(isLockedMessage('Platform failure: DBus error: Failed to connect to socket /x: No such file or directory')).toBe(false);
  });

  it('names the platform keyring', () => {
    expect(keyringBackendName('darwin')).toBe('macOS Keychain');
    expect(keyringBackendName('win32')).toBe('Windows Credential Manager');
    expect(keyringBackendName('linux')).toBe('Secret Service');
  });
});
