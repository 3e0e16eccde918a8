import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { acceptedText, argumentErrorText } from '../../src/tools/argument-errors.js';
import { strictInput } from '../../src/tools/define.js';

const schema = strictInput({
  to: z.array(z.string().min(1)).max(3).describe('recipients'),
  format: z.enum(['markdown', 'text']).default('markdown'),
  files: z.array(z.strictObject({ path: z.string().min(1).describe('absolute path') })).optional(),
  flag: z.boolean().optional(),
  ratio: z.number().min(0).max(1).optional(),
});

function errorFor(value: unknown): string {
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) throw new Error('expected a failure');
  return argumentErrorText(r.error.issues, z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>);
}

describe('argument errors', () => {
  it('say what is missing and what to pass', () => {
    expect(errorFor({})).toBe('to is missing: pass a list of non-empty strings (at most 3) (recipients).');
  });

  it('name nested arguments with their index and keep every problem', () => {
    const text = errorFor({ to: ['a@b.example'], format: 'rtf', files: [{ path: 7 }], flag: 'yes', ratio: 2, extra: 1 });
    expect(text).toContain('format must be one of "markdown", "text"; got "rtf" (a string).');
    expect(text).toContain('files[0].path must be a non-empty string (absolute path); got 7 (a whole number).');
    expect(text).toContain('flag must be true or false; got "yes" (a string).');
    expect(text).toContain('ratio must be a number from 0 to 1; got 2.');
    expect(text).toContain('Unknown argument(s): extra. Accepted: to, format, files, flag, ratio.');
  });

  it('report list sizes and cut long values', () => {
    expect(errorFor({ to: ['a', 'b', 'c', 'd'] })).toBe('to must be a list of non-empty strings (at most 3) (recipients); got ["a","b","c","d"] (4 items).');
    const long = errorFor({ to: ['x'.repeat(100)], flag: 'y'.repeat(100) });
    expect(long).toMatch(/got "y{59}… \(a string\)/);
  });

  it('describe accepted values from JSON Schema', () => {
    expect(acceptedText({ type: 'integer', minimum: 1, maximum: 100 })).toBe('a whole number from 1 to 100');
    expect(acceptedText({ type: 'object', properties: { a: {}, b: {} } })).toBe('an object with a, b');
    expect(acceptedText({ type: 'string', minLength: 1, maxLength: 40 }, true)).toBe('a non-empty string of up to 40 characters');
    expect(acceptedText(undefined)).toMatch(/type in the tool schema/);
  });
});
