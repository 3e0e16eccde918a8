/**
 * The review card's HTML, built by scripts/build-card.mjs into
 * dist/apps/review-card.html (and dist/bin/apps/ for the bundled binary).
 * Read once per process, on the first resources/read of the card.
 */
import { readFile } from 'node:fs/promises';

let cached: Promise<string> | undefined;

/** The card page; running from source (tests), it is built in memory instead. */
export function reviewCardHtml(): Promise<string> {
  cached ??= load().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

/** Where the build puts the page: beside this module (dist/apps/), or under apps/ beside the bundled binary's chunks (dist/bin/). */
const CANDIDATES = ['./review-card.html', './apps/review-card.html'];

async function load(): Promise<string> {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // From source there is no build output; the build script (esbuild, a dev dependency) makes the page in memory.
    // A computed specifier keeps the binary's bundler from pulling the script in.
    const script = new URL('../../scripts/build-card.mjs', here).href;
    const { buildCardHtml } = (await import(script)) as { buildCardHtml: () => Promise<string> };
    return buildCardHtml();
  }
  for (const candidate of CANDIDATES) {
    try {
      return await readFile(new URL(candidate, here), 'utf8');
    } catch {
      // try the next place
    }
  }
  throw new Error('The draft-review card is missing from this installation (apps/review-card.html). Reinstall mcp-server-outlook, or run npm run build in a checkout.');
}
