/** Properties of the one cleaner for untrusted one-line strings (attack group 1). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanUntrusted, UNTRUSTED_CAPS, UNTRUSTED_TRUNCATION_MARKER, type UntrustedKind } from '../../src/text/untrusted.js';
import { formatRecipient } from '../../src/services/shape.js';

const LINE_BREAKS = /[\n\r\v\f\u0085\u2028\u2029]/u;
// Invisible, bidi, tag and control characters (what stripInvisible removes), tested independently of its implementation.
// Visible format characters (Arabic number signs, Kaithi) and ideographic variation selectors after Han are text, kept by design.
const INVISIBLE = /(?![\u0600-\u0605\u06DD\u070F\u0890\u0891\u08E2\u{110BD}\u{110CD}])[\p{Cc}\p{Cf}\u034F\u115F\u1160\u3164\uFFA0\u{E0000}-\u{E00FF}\u{E01F0}-\u{E0FFF}]/u;
const KINDS = Object.keys(UNTRUSTED_CAPS) as UntrustedKind[];

// Strings biased towards the characters attackers use: newlines, bidi overrides, zero-width, tags, controls.
const hostileChar = fc.constantFrom('\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\u202E', '\u202D', '\u200B', '\u200D', '\uFEFF', '\u2066', '\u{E0041}', '\u0000', '\u001B', '\t', '\v', '\f', ' ', 'a', 'Z', '[', ']', ':', '>', 'é', '漢');
const hostileString = fc.array(fc.oneof(hostileChar, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 60 }).map((parts) => parts.join(''));

describe('cleanUntrusted properties', () => {
  it('never returns a line break, a control or an invisible character, for any kind', () => {
    fc.assert(
      fc.property(hostileString, fc.constantFrom(...KINDS), (s, kind) => {
        const out = cleanUntrusted(s, kind);
        expect(out).not.toMatch(LINE_BREAKS);
        expect(out).not.toMatch(INVISIBLE);
        expect(out).toBe(out.trim());
      }),
      { numRuns: 2000 },
    );
  });

  it('stays within its cap plus the marker, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.constantFrom(...KINDS), (s, kind) => {
        const out = cleanUntrusted(s, kind);
        expect(Array.from(out).length).toBeLessThanOrEqual(UNTRUSTED_CAPS[kind] + Array.from(UNTRUSTED_TRUNCATION_MARKER).length);
        if (!out.endsWith(UNTRUSTED_TRUNCATION_MARKER)) expect(cleanUntrusted(out, kind)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });

  it('a formatted recipient never holds a line break whatever name and address Graph sends', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (name, address) => {
        const out = formatRecipient({ emailAddress: { name, address } }) ?? '';
        expect(out).not.toMatch(LINE_BREAKS);
        expect(out).not.toMatch(INVISIBLE);
      }),
      { numRuns: 1000 },
    );
  });

  it('a 2 MB subject comes back as about 500 characters and the marker, quickly', () => {
    const huge = 'A'.repeat(2 * 1024 * 1024);
    const t0 = performance.now();
    const out = cleanUntrusted(huge, 'subject');
    // Linear, not backtracking: a quadratic cleaner takes minutes on 2 MB; the bound leaves room for a loaded machine.
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(out).toBe('A'.repeat(500) + UNTRUSTED_TRUNCATION_MARKER);
  });

  it('caps: name 200, folder 256, subject 500', () => {
    expect(cleanUntrusted('n'.repeat(1000), 'name')).toHaveLength(200 + UNTRUSTED_TRUNCATION_MARKER.length);
    expect(cleanUntrusted('f'.repeat(1000), 'folder')).toHaveLength(256 + UNTRUSTED_TRUNCATION_MARKER.length);
  });
});
