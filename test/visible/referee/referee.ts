/**
 * The browser referee: loads each corpus mail in headless Chromium (the system browser, driven by
 * puppeteer-core) at a 1280×900 desktop viewport with JavaScript off and the network closed, and
 * asks the in-page judge (src/text/browser/judge.ts, shared with the browser renderer) which words a person would see.
 *
 * Invariants: one browser per run with a fresh profile; pages are reused; every request other than
 * the mail itself is aborted (data: URLs never reach the network layer, so data: stylesheets still
 * load, as they would in a mail client); pointer-events is forced on through an inspector style
 * sheet (outside the DOM, so no selector sees it) because it changes hit testing, not what is seen.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { judgeExpression } from '../../../src/text/browser/judge.js';

/** Where CI and Debian put the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The viewport the verdicts are judged at: a desktop screen. */
export const VIEWPORT = { width: 1280, height: 900 } as const;

const MAIL_ORIGIN = 'http://mail.invalid';
// The in-page judge is shared with the browser renderer (src/text/browser/judge.ts); Chromium's layout decides.
const JUDGE_SOURCE = judgeExpression('words');

/** One word as the browser judged it: visible, or hidden with the reason. */
export interface JudgedWord {
  w: string;
  v: boolean;
  r?: string;
}

/** A running referee: judge mails, then close. */
export interface Referee {
  version: string;
  judge(html: string): Promise<JudgedWord[]>;
  close(): Promise<void>;
}

/** True when the system browser the referee needs is installed. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** A headless Chromium with a fixed number of pages, lent out one job at a time. */
export interface ChromiumPool {
  version: string;
  withPage<T>(fn: (page: Page) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with a fresh profile and `pages` pages (1280×900, JavaScript off, every
 * request but the mail refused; load a mail with loadMail). Shared by this referee and the held-out
 * corpus's pixel referee, which adds flags through `extraArgs` and takes screenshots (`ownWindows`).
 */
export async function launchChromiumPool(pages: number, extraArgs: readonly string[] = [], ownWindows = false): Promise<ChromiumPool> {
  if (!chromiumAvailable()) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it (Debian: apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-dejavu-extra) or set CHROMIUM_PATH.`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'visible-referee-'));
  const browser: Browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--font-render-hinting=none',
      ...extraArgs,
      `--user-data-dir=${profile}`,
    ],
  });
  const version = await browser.version();
  const idle: Page[] = [];
  const waiting: Array<(p: Page) => void> = [];
  for (let i = 0; i < pages; i++) idle.push(await openPage(browser, ownWindows));

  async function withPage<T>(fn: (p: Page) => Promise<T>): Promise<T> {
    const page = idle.pop() ?? (await new Promise<Page>((resolve) => waiting.push(resolve)));
    try {
      return await fn(page);
    } finally {
      const next = waiting.shift();
      if (next) next(page);
      else idle.push(page);
    }
  }

  return {
    version,
    withPage,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Starts headless Chromium with a fresh profile and returns a referee that judges up to `pages` mails at once. */
export async function launchReferee(pages = 2): Promise<Referee> {
  const pool = await launchChromiumPool(pages);
  return { version: pool.version, judge: (html) => pool.withPage((page) => judgeOn(page, html)), close: () => pool.close() };
}

const bodies = new WeakMap<Page, string>();

/**
 * A page for mails. With `ownWindow` it gets its own browser context, so its own window: a
 * background tab of a shared window may never draw the frame a screenshot waits for. That costs
 * time (about twice the referee's), so only screenshot takers ask for it.
 */
async function openPage(browser: Browser, ownWindow: boolean): Promise<Page> {
  const page = ownWindow ? await (await browser.createBrowserContext()).newPage() : await browser.newPage();
  await page.setViewport(VIEWPORT);
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const body = bodies.get(page);
    if (request.url().startsWith(`${MAIL_ORIGIN}/`) && request.isNavigationRequest() && body !== undefined) {
      void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body });
    } else {
      void request.abort('blockedbyclient');
    }
  });
  return page;
}

let counter = 0;

/** Loads `html` as the page's document, from the mail origin (a fresh URL each time). */
export async function loadMail(page: Page, html: string): Promise<void> {
  bodies.set(page, html);
  await page.goto(`${MAIL_ORIGIN}/mail-${++counter}.html`, { waitUntil: 'load' });
}

async function judgeOn(page: Page, html: string): Promise<JudgedWord[]> {
  await loadMail(page, html);
  const session = await page.createCDPSession();
  try {
    await session.send('DOM.enable');
    await session.send('CSS.enable');
    const { frameTree } = await session.send('Page.getFrameTree');
    const frameId = frameTree.frame.id;
    const { styleSheetId } = await session.send('CSS.createStyleSheet', { frameId });
    await session.send('CSS.setStyleSheetText', { styleSheetId, text: '* { pointer-events: auto !important; }' });
  } finally {
    await session.detach();
  }
  return (await page.evaluate(JUDGE_SOURCE)) as JudgedWord[];
}
