/**
 * The browser renderer: one warm headless Chromium per process, started on the first read and
 * closed after `idleMs` without reads. Each mail is loaded with JavaScript off and the network
 * closed (page.ts); the in-page judge (judge.ts, mode 'text') decides per word what is painted
 * (computed styles, clipping, hit testing, colour against the painted backdrop, and a pixel check
 * where those cannot settle: pixel-check.ts), removes every hidden run and returns the cleaned HTML, whose reading order and line structure the builtin walk
 * then writes.
 *
 * Invariants:
 * - Reads are serialised on one page: a second page would double the memory for mail a person
 *   reads one at a time anyway.
 * - Every read, including a launch, is bounded by `timeoutMs`. A launch that fails, a browser that
 *   crashes or a read that hangs rejects with BrowserRenderError and kills the browser (SIGKILL), so
 *   the next read starts a fresh one; the caller falls back to the builtin engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page, Protocol } from 'puppeteer-core';
import { judgeExpression } from './judge.js';
import { launchChromium, openMailPage, type MailPage } from './page.js';
import { pixelVerdicts, type PendingWord } from './pixel-check.js';

export interface BrowserRendererOptions {
  readonly executablePath: string;
  /** Close the browser after this long without a read. */
  readonly idleMs: number;
  /** Bound on one read, launch included. */
  readonly timeoutMs: number;
}

/** What the page returned: the HTML with hidden runs removed and styles reduced to display and white-space. */
export interface CleanedMail {
  readonly html: string;
  readonly hiddenWords: number;
  readonly hiddenRuns: number;
  /** Words whose visibility neither styles nor pixels could settle (painted through effects, not seen on screen): removed. */
  readonly withheldWords: number;
}

/** A read the browser could not do (launch failure, crash, timeout). */
export class BrowserRenderError extends Error {
  override readonly name = 'BrowserRenderError';
}

interface Running {
  readonly browser: Browser;
  readonly mail: MailPage;
  readonly profile: string;
}

const TEXT_MODE = judgeExpression('text');

export class BrowserRenderer {
  private running: Promise<Running> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  /** Browsers started so far (for tests and status). */
  launches = 0;

  constructor(private readonly options: BrowserRendererOptions) {}

  /** Whether a browser process is running now. */
  get warm(): boolean {
    return this.running !== undefined;
  }

  /** Renders one mail; rejects with BrowserRenderError on launch failure, crash or timeout. */
  render(html: string): Promise<CleanedMail> {
    const next = this.queue.then(() => this.renderNow(html));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async renderNow(html: string): Promise<CleanedMail> {
    this.cancelIdle();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BrowserRenderError(`the browser did not answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    try {
      return await Promise.race([this.readOnce(html), timeout]);
    } catch (err) {
      await this.kill();
      throw err instanceof BrowserRenderError ? err : new BrowserRenderError(err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
      this.scheduleIdle();
    }
  }

  private async readOnce(html: string): Promise<CleanedMail> {
    const { mail } = await this.start();
    await mail.load(html);
    // Declarative shadow DOM is the only way a mail gets shadow roots (scripts are off).
    if (/shadowrootmode/i.test(html)) await handOverShadowRoots(mail.page);
    const judged = (await mail.page.evaluate(TEXT_MODE)) as CleanedMail | { pending: PendingWord[] };
    if (!('pending' in judged)) return judged;
    // Words the styles could not settle: their pixels decide, then the judge cleans the document.
    const verdicts = await pixelVerdicts(mail.page, judged.pending);
    return (await mail.page.evaluate(`globalThis.__outlookJudge.finish(${JSON.stringify(verdicts)})`)) as CleanedMail;
  }

  private start(): Promise<Running> {
    this.running ??= (async () => {
      const profile = mkdtempSync(path.join(tmpdir(), 'outlook-mcp-renderer-'));
      this.launches++;
      try {
        const browser = await launchChromium(this.options.executablePath, profile, this.options.timeoutMs);
        browser.once('disconnected', () => {
          // A crash: forget this browser so that the next read launches a new one.
          if (this.running === started) this.running = undefined;
          removeProfile(profile);
        });
        const mail = await openMailPage(browser);
        return { browser, mail, profile };
      } catch (err) {
        removeProfile(profile);
        throw err;
      }
    })();
    const started = this.running;
    return started;
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private scheduleIdle(): void {
    this.cancelIdle();
    if (!this.running) return;
    this.idleTimer = setTimeout(() => void this.close(), this.options.idleMs);
    // An idle browser must not keep the server process alive.
    this.idleTimer.unref();
  }

  /** Kills the browser at once (after a hang or crash): a hung browser may not answer a polite close. */
  private async kill(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    const r = await running.catch(() => undefined);
    if (!r) return;
    r.browser.process()?.kill('SIGKILL');
    await r.browser.disconnect().catch(() => undefined);
    removeProfile(r.profile);
  }

  /** Closes the browser (idle, or the server stopping); the next read starts a new one. */
  async close(): Promise<void> {
    this.cancelIdle();
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    const r = await running.catch(() => undefined);
    if (!r) return;
    await r.browser.close().catch(() => r.browser.process()?.kill('SIGKILL'));
    removeProfile(r.profile);
  }
}

/**
 * Gives the judge every open and closed shadow root (globalThis.__outlookShadowRoots): page script
 * cannot reach a closed root, the DevTools protocol can, and a closed root paints like an open one.
 */
async function handOverShadowRoots(page: Page): Promise<void> {
  const session = await page.createCDPSession();
  try {
    const { root } = await session.send('DOM.getDocument', { depth: -1, pierce: true });
    const roots: number[] = [];
    const visit = (node: Protocol.DOM.Node): void => {
      for (const r of node.shadowRoots ?? []) {
        if (r.shadowRootType !== 'user-agent') roots.push(r.backendNodeId);
        visit(r);
      }
      for (const child of node.children ?? []) visit(child);
    };
    visit(root);
    await session.send('Runtime.evaluate', { expression: 'globalThis.__outlookShadowRoots = []' });
    for (const backendNodeId of roots) {
      const { object } = await session.send('DOM.resolveNode', { backendNodeId });
      await session.send('Runtime.callFunctionOn', { objectId: object.objectId, functionDeclaration: 'function () { globalThis.__outlookShadowRoots.push(this); }' });
    }
  } finally {
    await session.detach().catch(() => undefined);
  }
}

/** Removes a browser profile; Chromium may still be writing to it as it exits, so failures are retried, then left to the OS temp cleaner. */
function removeProfile(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  } catch {
    // A leftover empty profile in the temp folder is harmless; a crash of the server over it is not.
  }
}
