/**
 * Headless Chromium as the browser renderer and the test referee use it: a fresh profile, a
 * 1280×900 desktop viewport, JavaScript off, and every request refused except the navigation that
 * serves the mail itself (data: URLs never reach the network layer, so data: style sheets still
 * load, as they would in a mail client). pointer-events is forced on through an inspector style
 * sheet (outside the DOM, so no selector sees it) because it changes hit testing, not what is seen.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** The viewport mails are judged at: a desktop screen. */
export const VIEWPORT = { width: 1280, height: 900 } as const;

const MAIL_ORIGIN = 'http://mail.invalid';

/** The flags that work for headless Chromium in containers and CI, with no background traffic. */
export function chromiumArgs(profileDir: string): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-extensions', '--font-render-hinting=none',
    `--user-data-dir=${profileDir}`,
  ];
}

/** Starts the browser at `executablePath`; `timeoutMs` bounds the wait for it to answer (puppeteer kills it then). */
export function launchChromium(executablePath: string, profileDir: string, timeoutMs: number): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: chromiumArgs(profileDir),
    timeout: timeoutMs,
    protocolTimeout: timeoutMs,
    // The DevTools protocol over the child's own pipes, not a WebSocket: when our process dies, even by
    // SIGKILL with no chance to close it, the pipe closes and Chromium exits instead of living on orphaned.
    pipe: true,
    // The renderer closes the browser itself; an MCP server must not be killed by puppeteer's signal handlers.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** A page that loads mails: `load` navigates to the HTML and returns once it has loaded. */
export interface MailPage {
  readonly page: Page;
  load(html: string): Promise<void>;
}

let counter = 0;

/** Opens a page set up for loading mails with the network closed. */
export async function openMailPage(browser: Browser): Promise<MailPage> {
  const page = await browser.newPage();
  let body: string | undefined;
  await page.setViewport(VIEWPORT);
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url().startsWith(`${MAIL_ORIGIN}/`) && request.isNavigationRequest() && body !== undefined) {
      void request.respond({ status: 200, contentType: 'text/html; charset=utf-8', body }).catch(() => undefined);
    } else {
      void request.abort('blockedbyclient').catch(() => undefined);
    }
  });
  return {
    page,
    async load(html) {
      body = html;
      try {
        await page.goto(`${MAIL_ORIGIN}/mail-${++counter}.html`, { waitUntil: 'load' });
      } finally {
        body = undefined;
      }
      const session = await page.createCDPSession();
      try {
        await session.send('DOM.enable');
        await session.send('CSS.enable');
        const { frameTree } = await session.send('Page.getFrameTree');
        const { styleSheetId } = await session.send('CSS.createStyleSheet', { frameId: frameTree.frame.id });
        await session.send('CSS.setStyleSheetText', { styleSheetId, text: '* { pointer-events: auto !important; }' });
      } finally {
        await session.detach();
      }
    },
  };
}
