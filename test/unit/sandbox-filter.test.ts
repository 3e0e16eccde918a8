import { describe, expect, it } from 'vitest';
import { GraphErrorResponse } from '../../src/sandbox/errors.js';
import { compileFilter } from '../../src/sandbox/odata/filter.js';
import { eventType, messageType } from '../../src/sandbox/schema.js';

const message = {
  subject: "O'Brien: Q3 report",
  isRead: false,
  isDraft: false,
  hasAttachments: true,
  importance: 'high',
  receivedDateTime: '2025-03-10T08:00:00Z',
  from: { emailAddress: { name: 'Blake Rivera', address: 'Blake@Fabrikam.test' } },
  toRecipients: [{ emailAddress: { name: 'Avery', address: 'avery@contoso.test' } }],
  flag: { flagStatus: 'flagged' },
  categories: ['Red category', "Client's"],
  singleValueExtendedProperties: [{ id: 'String {00020329-0000-0000-C000-000000000046} Name draftOrigin', value: 'mcp' }],
  conversationId: 'conv-1',
};

const test = (filter: string, item: object = message) => compileFilter(filter, messageType).test(item);

function errorOf(filter: string): GraphErrorResponse {
  try {
    compileFilter(filter, messageType);
  } catch (e) {
    if (e instanceof GraphErrorResponse) return e;
    throw e;
  }
  throw new Error(`expected ${filter} to be refused`);
}

describe('$filter grammar', () => {
  it('evaluates comparisons on booleans, enums, nested paths and dates', () => {
    expect(test('isRead eq false')).toBe(true);
    expect(test('isRead ne false')).toBe(false);
    expect(test("importance eq 'high'")).toBe(true);
    expect(test("from/emailAddress/address eq 'blake@fabrikam.test'")).toBe(true);
    expect(test("flag/flagStatus eq 'flagged'")).toBe(true);
    expect(test('receivedDateTime ge 2025-03-10T08:00:00Z')).toBe(true);
    expect(test('receivedDateTime gt 2025-03-10T08:00:00Z')).toBe(false);
    expect(test('receivedDateTime lt 2025-03-10T10:00:00+01:00')).toBe(true);
    expect(test('receivedDateTime ge 2025-03-10')).toBe(true);
  });

  it('combines with and/or/not and parentheses, binding and tighter than or', () => {
    expect(test('isRead eq true or hasAttachments eq true and isDraft eq false')).toBe(true);
    expect(test('(isRead eq true or hasAttachments eq true) and isDraft eq true')).toBe(false);
    expect(test('not (isRead eq true)')).toBe(true);
    expect(test('not isRead')).toBe(true);
    expect(test('hasAttachments')).toBe(true);
  });

  it('reads property names, operators and functions without regard to case', () => {
    expect(test("From/EmailAddress/Address EQ 'blake@fabrikam.test'")).toBe(true);
    expect(test("Contains(Subject, 'REPORT')")).toBe(true);
  });

  it("unescapes '' inside string literals", () => {
    expect(test("subject eq 'O''Brien: Q3 report'")).toBe(true);
    expect(test("startswith(subject,'O''B')")).toBe(true);
    expect(test("categories/any(c: c eq 'Client''s')")).toBe(true);
  });

  it('supports contains, startswith and endswith, case-insensitively', () => {
    expect(test("contains(subject,'q3')")).toBe(true);
    expect(test("startswith(subject,'o''brien')")).toBe(true);
    expect(test("endswith(subject,'REPORT')")).toBe(true);
    expect(test("contains(subject,'q4')")).toBe(false);
    expect(test("contains(subject,'q3') eq true")).toBe(true);
  });

  it('evaluates any/all lambdas over collections', () => {
    const ext = "singleValueExtendedProperties/Any(ep: ep/id eq 'String {00020329-0000-0000-C000-000000000046} Name draftOrigin' and ep/value eq 'mcp')";
    expect(test(ext)).toBe(true);
    expect(test(ext.replace("'mcp'", "'other'"))).toBe(false);
    expect(test("toRecipients/any(r: r/emailAddress/address eq 'avery@contoso.test')")).toBe(true);
    expect(test("categories/all(c: c ne 'Blue category')")).toBe(true);
    expect(test('categories/any()')).toBe(true);
    expect(test('categories/any()', { ...message, categories: [] })).toBe(false);
  });

  it('treats null like OData', () => {
    expect(test('conversationIndex eq null')).toBe(true);
    expect(test('conversationId ne null')).toBe(true);
    expect(test("conversationIndex ne 'x'")).toBe(true);
  });

  it('compares event times given as strings (dateTimeTimeZone.dateTime)', () => {
    const filter = compileFilter("start/dateTime ge '2025-03-10T09:00:00' and contains(subject,'sync')", eventType);
    expect(filter.test({ subject: 'Weekly sync', start: { dateTime: '2025-03-10T09:30:00.0000000', timeZone: 'UTC' } })).toBe(true);
    expect(filter.test({ subject: 'Weekly sync', start: { dateTime: '2025-03-10T08:30:00.0000000', timeZone: 'UTC' } })).toBe(false);
  });

  it('lists the properties it restricts on, in order of first appearance', () => {
    const f = compileFilter("receivedDateTime ge 2025-01-01T00:00:00Z and (isRead eq false or receivedDateTime le 2025-02-01T00:00:00Z) and from/emailAddress/address eq 'x' and categories/any(c: c eq 'y')", messageType);
    expect(f.properties).toEqual(['receivedDateTime', 'isRead', 'from/emailAddress/address', 'categories']);
  });
});

describe('$filter errors', () => {
  it('refuses syntax errors as 400 BadRequest "Invalid filter clause"', () => {
    for (const bad of ['isRead eq', 'isRead eq false and', '(isRead eq false', 'isRead eq false)', "subject eq 'unterminated", 'isRead = false', '', "subject eq 'a' 'b'"]) {
      const e = errorOf(bad);
      expect([e.status, e.code]).toEqual([400, 'BadRequest']);
      expect(e.message).toMatch(/^Invalid filter clause/);
    }
  });

  it("refuses a lone quote as an unterminated literal (the '' escape was forgotten)", () => {
    expect(errorOf("subject eq 'O'Brien'").message).toMatch(/^Invalid filter clause/);
  });

  it('refuses unknown properties with Graph’s RequestBroker--ParseUri error', () => {
    const e = errorOf('nonsense eq 1');
    expect([e.status, e.code, e.message]).toEqual([400, 'RequestBroker--ParseUri', "Could not find a property named 'nonsense' on type 'microsoft.graph.message'."]);
    expect(errorOf("from/emailAddress/nope eq 'x'").message).toContain("type 'microsoft.graph.emailAddress'");
  });

  it('refuses incompatible operand types', () => {
    expect(errorOf("isRead eq 'false'").message).toContain('incompatible types');
    expect(errorOf("receivedDateTime ge '2025-01-01T00:00:00Z'").message).toContain("'Edm.DateTimeOffset' and 'Edm.String'");
    expect(errorOf('isRead gt null').message).toContain('incompatible types');
  });

  it('refuses non-boolean filters, unknown functions and invalid dates', () => {
    expect(errorOf('subject').message).toMatch(/^Invalid filter clause/);
    expect(errorOf("substringof('a', subject)").message).toContain("unknown function with name 'substringof'");
    expect(errorOf('receivedDateTime ge 2025-02-30T00:00:00Z').message).toMatch(/^Invalid filter clause/);
    expect(errorOf('subject/any(c: c eq 1)').message).toMatch(/^Invalid filter clause/);
  });
});
