/** The sandbox routes the draft tools rely on, driven over raw HTTP with Graph's semantics. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SEED_IDS } from '../../src/sandbox/seed/index.js';

const PROP = 'String {d3b1c6f2-6a0e-4f4b-9a57-2f6c1e8b7d41} Name draftOrigin';
let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ now: new Date('2026-11-27T12:00:00Z') });
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => sb.clearLog());

async function graph(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sb.url}/me${path}`, {
    method,
    headers: { Authorization: `Bearer ${sb.token}`, 'Content-Type': 'application/json', Prefer: 'IdType="ImmutableId"' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const enc = encodeURIComponent;

describe('message move and attachment delete', () => {
  it('moves a draft to Deleted Items keeping its id, notifying nobody', async () => {
    const d = await graph('POST', '/messages', { subject: 'm', toRecipients: [{ emailAddress: { address: 'a@b.example' } }] });
    const id = d.json.id as string;
    const moved = await graph('POST', `/messages/${enc(id)}/move`, { destinationId: 'deleteditems' });
    expect(moved.status).toBe(201);
    expect(moved.json.id).toBe(id);
    expect(moved.json.parentFolderId).toBe(SEED_IDS.deletedItemsFolder);
    expect((await graph('POST', `/messages/${enc(id)}/move`, {})).status).toBe(400);
    expect(sb.notifications).toEqual([]);
  });

  it('deletes an attachment, then 404s', async () => {
    const d = await graph('POST', '/messages', { subject: 'a' });
    const id = enc(d.json.id as string);
    const a = await graph('POST', `/messages/${id}/attachments`, { '@odata.type': '#microsoft.graph.fileAttachment', name: 'x.txt', contentBytes: Buffer.from('x').toString('base64') });
    expect(a.status).toBe(201);
    expect((await graph('DELETE', `/messages/${id}/attachments/${enc(a.json.id as string)}`)).status).toBe(204);
    expect((await graph('DELETE', `/messages/${id}/attachments/${enc(a.json.id as string)}`)).status).toBe(404);
  });
});

describe('upload sessions', () => {
  it('accepts ordered ranges without Authorization, refuses a bearer token and out-of-order ranges', async () => {
    const d = await graph('POST', '/messages', { subject: 'u' });
    const id = d.json.id as string;
    const size = 10;
    const s = await graph('POST', `/messages/${enc(id)}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'big.bin', size } });
    expect(s.status).toBe(201);
    const url = s.json.uploadUrl as string;
    expect(url.startsWith(sb.origin + '/upload/')).toBe(true);
    const put = (range: string, bytes: Buffer, auth?: string) =>
      fetch(url, { method: 'PUT', headers: { 'Content-Range': range, ...(auth ? { Authorization: auth } : {}) }, body: bytes });
    expect((await put('bytes 0-4/10', Buffer.alloc(5, 1), `Bearer ${sb.token}`)).status).toBe(401);
    expect((await put('bytes 5-9/10', Buffer.alloc(5, 2))).status).toBe(416);
    expect((await put('bytes 0-4/10', Buffer.alloc(5, 1))).status).toBe(200);
    expect((await put('bytes 5-9/10', Buffer.alloc(5, 2))).status).toBe(201);
    const m = sb.mailbox.messages.find((x) => x.id === id);
    expect(m?.attachments[0]?.bytes).toEqual(Buffer.concat([Buffer.alloc(5, 1), Buffer.alloc(5, 2)]));
    expect((await put('bytes 0-4/10', Buffer.alloc(5, 1))).status).toBe(404);
    const logged = sb.requests.filter((r) => r.path.startsWith('/upload/'));
    expect(logged.map((r) => r.hadAuthorization)).toEqual([true, false, false, false, false]);
    expect((await graph('POST', `/messages/${enc(id)}/attachments/createUploadSession`, { AttachmentItem: { name: 'huge', size: 151 * 1024 * 1024 } })).status).toBe(400);
  });
});

describe('extended properties on events', () => {
  it('filters events by tag with Any() and expands the tag', async () => {
    const e = await graph('POST', '/events', { subject: 'tagged', start: { dateTime: '2026-12-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-01T11:00:00', timeZone: 'UTC' }, singleValueExtendedProperties: [{ id: PROP, value: 'p:1' }] });
    expect(e.status).toBe(201);
    const q = new URLSearchParams({
      $filter: `singleValueExtendedProperties/Any(ep: ep/id eq '${PROP}' and ep/value eq 'p:1')`,
      $expand: `singleValueExtendedProperties($filter=id eq '${PROP}')`,
    });
    const list = await graph('GET', `/events?${q.toString()}`);
    expect(list.status).toBe(200);
    const items = list.json.value as Array<{ id: string; singleValueExtendedProperties?: unknown[] }>;
    expect(items.map((x) => x.id)).toEqual([e.json.id]);
    expect(items[0]?.singleValueExtendedProperties).toEqual([{ id: PROP, value: 'p:1' }]);
    expect(sb.notifications).toEqual([]);
  });
});
