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
import type { Browser } from 'puppeteer-core';
import { launchChromium, openMailPage, type MailPage } from '../../../src/text/browser/page.js';
import { judgeExpression } from '../../../src/text/browser/judge.js';

/** Where CI and Debian put the browser; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export { VIEWPORT } from '../../../src/text/browser/page.js';
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

/** Starts headless Chromium with a fresh profile and returns a referee that judges up to `pages` mails at once. */
export async function launchReferee(pages = 2): Promise<Referee> {
  if (!chromiumAvailable()) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it (Debian: apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-dejavu-extra) or set CHROMIUM_PATH.`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'visible-referee-'));
  const browser: Browser = await launchChromium(CHROMIUM_PATH, profile, 60_000);
  const version = await browser.version();
  const idle: MailPage[] = [];
  const waiting: Array<(p: MailPage) => void> = [];
  for (let i = 0; i < pages; i++) idle.push(await openMailPage(browser));

  async function withPage<T>(fn: (p: MailPage) => Promise<T>): Promise<T> {
    const page = idle.pop() ?? (await new Promise<MailPage>((resolve) => waiting.push(resolve)));
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
    judge: (html) =>
      withPage(async (mail) => {
        await mail.load(html);
        return (await mail.page.evaluate(JUDGE_SOURCE)) as JudgedWord[];
      }),
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
