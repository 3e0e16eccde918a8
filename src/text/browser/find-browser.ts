/**
 * Finds an installed Chromium-family browser (Chrome, Edge, Chromium) for the browser renderer.
 * Nothing is downloaded: puppeteer-core drives whatever is installed. The explicit path
 * (OUTLOOK_BROWSER_PATH) wins; otherwise the usual install locations of the platform are tried in
 * order, then the names on PATH.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const LINUX = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable', '/snap/bin/chromium', '/opt/google/chrome/chrome',
  '/opt/microsoft/msedge/msedge',
];
const MAC = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];
const WINDOWS_RELATIVE = [
  'Google\\Chrome\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
  'Chromium\\Application\\chrome.exe',
];
const PATH_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'chrome', 'msedge'];

/** Where to look, in order, for this platform and environment. */
export function browserCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    const home = env.HOME;
    return [...MAC, ...(home ? MAC.map((p) => path.join(home, p)) : [])];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.flatMap((r) => WINDOWS_RELATIVE.map((p) => path.win32.join(r, p)));
  }
  const onPath = (env.PATH ?? '').split(path.delimiter).filter(Boolean).flatMap((dir) => PATH_NAMES.map((n) => path.join(dir, n)));
  return [...LINUX, ...onPath];
}

function executable(file: string): boolean {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser to drive: the configured path when given (undefined when it is not an executable
 * file, so the caller can say so), else the first installed candidate.
 */
export function findBrowser(configured: string | undefined, candidates: readonly string[] = browserCandidates()): string | undefined {
  if (configured !== undefined) return executable(configured) ? configured : undefined;
  return candidates.find(executable);
}
