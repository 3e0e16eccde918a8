/**
 * Is an OS keyring usable right now? Asked in a child process.
 *
 * `@napi-rs/keyring` connects to the session bus synchronously when an entry
 * is constructed; on Linux a bus address whose peer accepts but never answers
 * blocks that call, and with it our whole event loop, forever. The probe
 * therefore runs in a short-lived `node` child that is killed after a
 * timeout; once it has answered, the bus is known to respond and the store
 * talks to the keyring in-process. The child inherits our environment, which
 * is what the keyring library reads (DBUS_SESSION_BUS_ADDRESS on Linux).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';

export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

export type KeyringProbe =
  /** found: the profile's entry exists; locked: it exists but the keyring refused to unlock it; empty: reachable (and writable when tested), nothing stored. */
  | { status: 'found' | 'locked' | 'empty' }
  | { status: 'unavailable'; reason: string };

export interface ProbeOptions {
  service: string;
  account: string;
  /** Also store and delete a throw-away entry: a reachable Secret Service without an unlocked default collection reads fine but cannot store. */
  writeTest: boolean;
  timeoutMs?: number;
}

/** The name of the platform's keyring, for messages. */
export function keyringBackendName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'darwin' ? 'macOS Keychain' : platform === 'win32' ? 'Windows Credential Manager' : 'Secret Service';
}

/** The keyring options every entry uses: pinned to the Secret Service on Linux, because the library's fallback, the kernel keyring, forgets everything at reboot. */
export const ENTRY_OPTIONS = { linux: { store: 'secret-service' } } as const;

// Plain CommonJS for `node -e`: the child must start fast and needs nothing of ours.
const PROBE_SCRIPT = `
const cfg = JSON.parse(process.argv[1]);
const out = (o) => process.stdout.write(JSON.stringify(o));
(async () => {
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) return out({ status: 'no-bus' });
  let mod;
  try { mod = require(cfg.module); } catch (e) { return out({ status: 'no-module', message: String(e && e.message) }); }
  let stage = 'read';
  try {
    const value = await new mod.AsyncEntry(cfg.service, cfg.account, cfg.options).getPassword();
    if (value !== null) return out({ status: 'found' });
    if (cfg.writeTest) {
      stage = 'write';
      const probe = new mod.AsyncEntry(cfg.service, cfg.probeAccount, cfg.options);
      await probe.setPassword('probe');
      await probe.deletePassword();
    }
    out({ status: 'empty' });
  } catch (e) {
    out({ status: 'error', stage, message: String(e && e.message) });
  }
})();
`;

interface ChildAnswer {
  status: 'found' | 'empty' | 'no-bus' | 'no-module' | 'error';
  stage?: 'read' | 'write';
  message?: string;
}

/** Asks a child process whether the keyring answers, bounded by a timeout; never throws. */
export async function probeKeyring(opts: ProbeOptions): Promise<KeyringProbe> {
  const backend = keyringBackendName();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  let modulePath: string;
  try {
    modulePath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
  } catch (err) {
    return { status: 'unavailable', reason: `the @napi-rs/keyring package is not installed (${(err as Error).message})` };
  }
  const cfg = JSON.stringify({
    module: modulePath,
    service: opts.service,
    account: opts.account,
    probeAccount: `probe:${process.pid}`,
    writeTest: opts.writeTest,
    options: ENTRY_OPTIONS,
  });
  const answer = await new Promise<ChildAnswer | 'timeout' | Error>((resolve) => {
    execFile(
      process.execPath,
      ['-e', PROBE_SCRIPT, cfg],
      { timeout: timeoutMs, killSignal: 'SIGKILL', windowsHide: true, maxBuffer: 64 * 1024 },
      (err, stdout) => {
        if (err && (err as { killed?: boolean }).killed) return resolve('timeout');
        try {
          resolve(JSON.parse(stdout) as ChildAnswer);
        } catch {
          resolve(err ?? new Error(`unexpected probe output ${JSON.stringify(stdout.slice(0, 200))}`));
        }
      },
    );
  });
  if (answer === 'timeout') return { status: 'unavailable', reason: `the ${backend} did not answer within ${timeoutMs / 1000} s` };
  if (answer instanceof Error) return { status: 'unavailable', reason: `the keyring probe failed (${answer.message})` };
  switch (answer.status) {
    case 'found':
    case 'empty':
      return { status: answer.status };
    case 'no-bus':
      return { status: 'unavailable', reason: 'no session bus (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service' };
    case 'no-module':
      return { status: 'unavailable', reason: `the native keyring module could not be loaded (${answer.message})` };
    case 'error':
      // A locked keyring that holds the profile's entry fails the read; one holding nothing reads as empty.
      if (answer.stage === 'read' && isLockedMessage(answer.message ?? '')) return { status: 'locked' };
      return {
        status: 'unavailable',
        reason:
          answer.stage === 'write'
            ? `the ${backend} is locked or has no default keyring to store into (${answer.message})`
            : `the ${backend} cannot be reached (${answer.message})`,
      };
  }
}

/** True for keyring errors that mean "locked or access refused" rather than "not there". */
export function isLockedMessage(message: string): boolean {
  return /couldn't access platform storage|locked|unlock|prompt|dismissed|denied/i.test(message);
}
