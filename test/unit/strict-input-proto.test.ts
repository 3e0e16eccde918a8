/** Attack group 10b: argument names that are JavaScript object machinery are unknown arguments like any other. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { strictInput } from '../../src/tools/define.js';

describe('strictInput', () => {
  const schema = strictInput({ limit: z.number().optional() });
  it.each(['{"__proto__":{"limit":1}}', '{"__proto__":null}', '{"constructor":"x"}', '{"constructor":{"prototype":{}}}', '{"prototype":1}', '{"toString":1}', '{"hasOwnProperty":1}'])('rejects %s by name', (raw) => {
    const r = schema.safeParse(JSON.parse(raw));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/^Unknown argument\(s\): (__proto__|constructor|prototype|toString|hasOwnProperty)\. Accepted: limit\.$/);
  });
  it('a __proto__ argument never changes what the handler gets', () => {
    const r = strictInput({ limit: z.number().default(5) }).safeParse(JSON.parse('{"__proto__":{"limit":1}}'));
    expect(r.success).toBe(false);
  });
});
