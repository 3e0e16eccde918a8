/**
 * A private D-Bus session bus with (optionally) a real gnome-keyring Secret
 * Service on it, for the keyring tests. The bus has no service directories,
 * so nothing is auto-started behind the test's back (no second keyring, no
 * GUI unlock prompt): a locked keyring fails at once instead of waiting.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The programs these tests need that are not on PATH. */
export function missingPrograms(names: readonly string[]): string[] {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return names.filter(
    (name) =>
      !dirs.some((dir) => {
        try {
          accessSync(path.join(dir, name), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
  );
}

function run(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { env: opts.env, timeout: 15_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
    );
    // A daemon that never reads its stdin closes it: that is not an error here.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

export interface SecretServiceSession {
  /** DBUS_SESSION_BUS_ADDRESS of the private bus. */
  address: string;
  /** The keyring's home (its keyring files live under it). */
  home: string;
  /** Locks the default collection, as a screen lock or `secret-tool lock` would. */
  lockCollection(): Promise<void>;
  stop(): Promise<void>;
}

export interface SessionOptions {
  /** 'unlocked': a keyring daemon unlocked with a password; 'locked': a daemon started without one (no usable default keyring); 'none': the bus only. */
  keyring: 'unlocked' | 'locked' | 'none';
}

/** Starts a private session bus and, unless told otherwise, an unlocked gnome-keyring daemon on it. */
export async function startSecretService(opts: SessionOptions): Promise<SecretServiceSession> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyring-'));
  const home = path.join(dir, 'home');
  const runtime = path.join(dir, 'run');
  mkdirSync(home, { recursive: true, mode: 0o700 });
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const config = path.join(dir, 'bus.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${path.join(dir, 'bus.sock')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const [address = '', pid = ''] = (await run('dbus-daemon', [`--config-file=${config}`, '--fork', '--print-address=1', '--print-pid=1'])).trim().split('\n');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    DBUS_SESSION_BUS_ADDRESS: address,
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_RUNTIME_DIR: runtime,
  };
  const busCall = (dest: string, object: string, method: string, ...args: string[]) =>
    run('dbus-send', ['--session', '--print-reply', `--dest=${dest}`, object, method, ...args], { env });
  let keyringPid: number | undefined;
  const stop = async () => {
    for (const p of [keyringPid, Number(pid)]) {
      if (!p) continue;
      try {
        process.kill(p, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (opts.keyring !== 'none') {
      // Without --foreground the daemon forks and the command returns once it serves the bus.
      await run('gnome-keyring-daemon', opts.keyring === 'unlocked' ? ['--unlock', '--components=secrets'] : ['--start', '--components=secrets'], {
        env,
        input: opts.keyring === 'unlocked' ? 'test keyring password' : undefined,
      });
      // The forked daemon may claim its bus name a moment after the command returns.
      for (let attempt = 0; keyringPid === undefined; attempt++) {
        try {
          const reply = await busCall('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.GetConnectionUnixProcessID', 'string:org.freedesktop.secrets');
          keyringPid = Number(/uint32 (\d+)/.exec(reply)?.[1]);
        } catch (err) {
          if (attempt >= 100) throw err;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }
  } catch (err) {
    // The bus (and a daemon that did start) must not outlive a failed setup; the daemon also exits with its bus.
    await stop();
    throw err;
  }
  return {
    address,
    home,
    async lockCollection() {
      await busCall('org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login');
    },
    stop,
  };
}
