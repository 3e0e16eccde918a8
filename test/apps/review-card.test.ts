/**
 * The review card in a real browser: headless Chromium (the system package)
 * shows the card through the SDK's host side (AppBridge, in host-page.ts),
 * wired to the real server and sandbox over an in-process MCP client that
 * declares MCP Apps. A person's click on Send must produce exactly one send
 * of the version on screen; a click after the draft was edited, none.
 *
 * Without Chromium the suite is skipped with a notice on a developer machine
 * and fails under CI=true, so CI never passes without the browser.
 * UPDATE_CARD_SCREENSHOTS=1 rewrites docs/review-card-light.png and -dark.png.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import type { CallToolRequest, CallToolResult, Tool } from '@modelcontextprotocol/client';
import { REVIEW_CARD_URI } from '../../src/apps/card-contract.js';
import { createReviewDraft, startAppsHarness, type AppsClient, type AppsHarness } from '../helpers/apps-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const required = ['true', '1'].includes(process.env.CI ?? '');
const UPDATE_SCREENSHOTS = process.env.UPDATE_CARD_SCREENSHOTS === '1';

if (!available && required) {
  throw new Error(`The review-card browser test needs Chromium at ${CHROMIUM} and CI=true forbids skipping it. Install it with: apt-get install -y --no-install-recommends chromium`);
}
if (!available) console.warn(`[review card] Chromium not found at ${CHROMIUM}: the browser test is skipped (CI fails instead of skipping).`);

/** The host page's globals (test/apps/host-page.ts); callbacks using it run in the browser. */
interface HostPage {
  mountCard(html: string, tools: unknown[], context: Record<string, unknown>): Promise<void>;
  showToolResult(args: Record<string, unknown>, result: Record<string, unknown>): Promise<void>;
  setHostContext(context: Record<string, unknown>): Promise<void>;
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe.skipIf(!available)('review card in headless Chromium', () => {
  let h: AppsHarness;
  let host: AppsClient;
  let browser: Browser;
  let profileDir: string;
  let hostPage: string;
  let cardHtml: string;
  let tools: Tool[];
  const openedLinks: string[] = [];
  const modelContext: string[] = [];

  beforeAll(async () => {
    // With other mailboxes on: the card also shows drafts of support@ (the own-mailbox tests are unaffected).
    h = await startAppsHarness({ OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_ALLOW_SHARED_MAILBOXES: 'true' });
    host = await h.connect('modern', true);
    tools = (await host.client.listTools()).tools;
    const read = await host.client.readResource({ uri: REVIEW_CARD_URI });
    cardHtml = (read.contents[0] as { text: string }).text;
    const bundle = await build({ entryPoints: [path.join(import.meta.dirname, 'host-page.ts')], bundle: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'warning' });
    hostPage = `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;padding:16px;background:#e9ebef"><script type="module">${bundle.outputFiles[0]!.text.replaceAll('</script', '<\\/script')}</script></body></html>`;
    profileDir = mkdtempSync(path.join(os.tmpdir(), 'outlook-card-chromium-'));
    browser = await puppeteer.launch({ executablePath: CHROMIUM, args: [...FLAGS, `--user-data-dir=${profileDir}`], headless: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await h?.close();
  });

  beforeEach(() => {
    h.sandbox.clearLog();
  });

  const sends = () => h.sandbox.notifications.filter((n) => n.kind === 'mail-sent');

  const draft = (subject: string) => createReviewDraft(h, host, subject, 'Hello Dana,\n\nthe **Q3 figures** are attached; the forecast is in the CSV.\n\nBest regards,\nAvery');

  /** A host page showing the card for `draftId`, as a host does after the model called ol_email_review_draft. */
  async function showCard(draftId: string, theme: 'light' | 'dark' = 'light', mailbox?: string): Promise<{ page: Page; card: Frame }> {
    const page = await browser.newPage();
    await page.setViewport({ width: 700, height: 900, deviceScaleFactor: 1 });
    await page.exposeFunction('hostCallTool', async (params: CallToolRequest['params']) => host.client.callTool(params));
    await page.exposeFunction('hostOpenedLink', async (url: string) => void openedLinks.push(url));
    await page.exposeFunction('hostModelContext', async (text: string) => void modelContext.push(text));
    await page.setContent(hostPage, { waitUntil: 'load' });
    await page.waitForFunction("typeof window.mountCard === 'function'");
    await page.evaluate((html, t, th) => (globalThis as unknown as HostPage).mountCard(html, t, { theme: th, displayMode: 'inline', availableDisplayModes: ['inline', 'fullscreen'], platform: 'desktop' }), cardHtml, tools, theme);
    const args = { draft_id: draftId, ...(mailbox ? { mailbox } : {}) };
    const result = (await host.client.callTool({ name: 'ol_email_review_draft', arguments: args })) as CallToolResult;
    await page.evaluate((a, r) => (globalThis as unknown as HostPage).showToolResult(a, r), args, result as unknown as Record<string, unknown>);
    const handle = await page.waitForSelector('iframe#card');
    const card = (await handle!.contentFrame())!;
    await card.waitForSelector('article.draft');
    return { page, card };
  }

  const texts = (card: Frame, selector: string) => card.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()));

  it('shows the recipients (external marked), the visible body and every attachment with its size', async () => {
    const id = await draft('Q3 figures');
    const { page, card } = await showCard(id);
    try {
      expect(await texts(card, '.subject')).toEqual(['Q3 figures']);
      expect(await texts(card, '.recipient.external .address')).toEqual(['Dana Lee <dana@fabrikam.example>']);
      expect(await texts(card, '.recipient.external .badge')).toEqual(['External · fabrikam.example']);
      expect(await texts(card, '.recipient:not(.external) .address')).toContain('jordan.patel@contoso.example');
      const body = (await texts(card, '.body-text'))[0] ?? '';
      expect(body).toContain('the Q3 figures are attached; the forecast is in the CSV.');
      expect(body).not.toContain('**');
      // Rendered as text: the body element holds no markup of the draft.
      expect(await card.$eval('.body-text', (e) => e.children.length)).toBe(0);
      const attachments = await texts(card, '.attachment');
      expect(attachments).toHaveLength(2);
      for (const a of attachments) expect(a).toMatch(/\d+(\.\d)? (B|KB|MB)$/);
      expect(await texts(card, '.actions button')).toEqual(['Open in Outlook', 'Discard', 'Send', 'Expand']);
      await card.click('.actions button.secondary:not(.danger)');
      await expect.poll(() => openedLinks.length).toBeGreaterThan(0);
      expect(openedLinks.at(-1)).toMatch(/^https?:\/\//);

      if (UPDATE_SCREENSHOTS) {
        const frame = await page.$('iframe#card');
        writeFileSync(path.join('docs', 'review-card-light.png'), await frame!.screenshot({ type: 'png' }));
        await page.evaluate(() => (globalThis as unknown as HostPage).setHostContext({ theme: 'dark', displayMode: 'inline', availableDisplayModes: ['inline', 'fullscreen'], platform: 'desktop' }));
        await card.waitForFunction("document.documentElement.dataset.theme === 'dark'");
        writeFileSync(path.join('docs', 'review-card-dark.png'), await frame!.screenshot({ type: 'png' }));
      }
    } finally {
      await page.close();
    }
    expect(sends()).toEqual([]);
  });

  it('follows the host theme', async () => {
    const id = await draft('Theme');
    const { page, card } = await showCard(id, 'dark');
    try {
      expect(await card.evaluate('document.documentElement.dataset.theme')).toBe('dark');
      const dark = await card.evaluate('getComputedStyle(document.body).backgroundColor');
      await page.evaluate(() => (globalThis as unknown as HostPage).setHostContext({ theme: 'light', displayMode: 'inline', availableDisplayModes: ['inline', 'fullscreen'] }));
      await card.waitForFunction("document.documentElement.dataset.theme === 'light'");
      expect(await card.evaluate('getComputedStyle(document.body).backgroundColor')).not.toBe(dark);
    } finally {
      await page.close();
    }
  });

  it('pressing Send sends exactly the version shown, once', async () => {
    const id = await draft('Send from the card');
    const { page, card } = await showCard(id);
    try {
      await card.click('.actions button.primary');
      await card.waitForSelector('.notice.success');
      expect(await texts(card, '.notice')).toEqual(['Sent, exactly as shown in the card. A copy is in Sent Items.']);
      expect(await card.$('.actions button.primary')).toBeNull();
      expect(sends()).toHaveLength(1);
      expect(sends()[0]).toMatchObject({ subject: 'Send from the card' });
      expect(sends()[0]?.recipients.sort()).toEqual(['dana@fabrikam.example', 'jordan.patel@contoso.example']);
      expect(modelContext.at(-1)).toMatch(/The user sent the draft "Send from the card"/);
    } finally {
      await page.close();
    }
    const lines = (await h.audit()).filter((l) => l.tool === 'ol_email_card_send').slice(-2);
    expect(lines.map((l) => `${l.outcome}/${l.approved_by}`)).toEqual(['approved/card', 'sent/card']);
  });

  it('pressing Send after the draft was edited sends nothing and shows the new version', async () => {
    const id = await draft('Edited while on screen');
    const { page, card } = await showCard(id);
    try {
      // The agent edits the draft while the card is on screen.
      await host.ok('ol_email_update_draft', { draft_id: id, to: ['mallory@evil.example'], cc: [] });
      await card.click('.actions button.primary');
      await card.waitForSelector('.notice.info');
      expect((await texts(card, '.notice'))[0]).toMatch(/changed after the card showed it/);
      expect(sends()).toEqual([]);
      // Re-rendered with the current recipients and a fresh approval for them.
      expect(await texts(card, 'ul[aria-label="To"] .address')).toEqual(['mallory@evil.example']);
      expect(await texts(card, 'ul[aria-label="Cc"] .address')).toEqual([]);
      expect(await card.$('.actions button.primary')).not.toBeNull();
    } finally {
      await page.close();
    }
    expect(sends()).toEqual([]);
  });

  it('Discard moves the draft to Deleted Items and sends nothing', async () => {
    const id = await draft('Discard me');
    const { page, card } = await showCard(id);
    try {
      await card.click('.actions button.danger');
      await card.waitForSelector('.status.success');
      expect((await texts(card, '.status'))[0]).toMatch(/Discarded/);
    } finally {
      await page.close();
    }
    expect(sends()).toEqual([]);
    expect(h.sandbox.requests.some((r) => r.method === 'POST' && r.path.endsWith('/move'))).toBe(true);
  });

  it("a shared mailbox's draft: From says which mailbox and what kind, and Discard discards it there", async () => {
    const support = 'support@contoso.example';
    const d = await host.ok<{ draft_id: string }>('ol_email_create_draft', { mailbox: support, to: ['dana@fabrikam.example'], subject: 'Card for support', body: 'Hello' });
    h.sandbox.clearLog();
    const { page, card } = await showCard(d.draft_id, 'light', support);
    try {
      expect(await texts(card, 'ul[aria-label="From"] .address')).toEqual([`Contoso Support <${support}>`]);
      expect(await texts(card, 'ul[aria-label="From"] .badge.mailbox')).toEqual([`shared mailbox: ${support}`]);
      expect((await texts(card, '.hint')).join(' ')).toContain(`from ${support} (shared mailbox), not your own mailbox`);
      await card.click('.actions button.danger');
      await card.waitForSelector('.status.success');
      expect((await texts(card, '.status'))[0]).toMatch(/Discarded/);
    } finally {
      await page.close();
    }
    expect(sends()).toEqual([]);
    const moves = h.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/move'));
    expect(moves.map((r) => r.mailbox)).toEqual([support]);
  });
});
