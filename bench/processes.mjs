/** Child processes and loopback ports for the remote benches (bench/remote.mjs, bench/remote-profile.mjs). */
import { spawn } from 'node:child_process';
import net from 'node:net';

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Waits (up to a minute) until `url` answers 2xx; throws if `child` exits first. */
export async function waitHttp(url, child, what) {
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    if (Date.now() > until) throw new Error(`${what} not ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts a child whose output is dropped (stderr kept when asked), remembered in `children` so the bench kills it at the end. */
export function startChild(children, cmd, argv, env, { stderr = false } = {}) {
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'ignore', stderr ? 'inherit' : 'ignore'] });
  children.push(child);
  return child;
}

/** The environment of one `serve --http` replica against the team sandbox (`graphUrl` lets a proxy sit in front of Graph). */
export function replicaEnv(team, dir, publicUrl, graphUrl = team.url) {
  const t = team.identity.team;
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    OUTLOOK_TIMEZONE: 'Europe/Berlin',
    OUTLOOK_AUTH_MODE: 'obo',
    OUTLOOK_CLIENT_ID: t.serverApp.clientId,
    OUTLOOK_CLIENT_SECRET: t.serverApp.clientSecret,
    OUTLOOK_GRAPH_URL: graphUrl,
    // The issuer the verifier expects is derived from the authority URL: Entra is always reached directly.
    OUTLOOK_AUTHORITY_URL: team.origin,
    OUTLOOK_PUBLIC_URL: publicUrl,
    OUTLOOK_ALLOWED_TENANTS: t.tenantId,
    OUTLOOK_API_SCOPE: t.serverApp.apiScope,
    OUTLOOK_STATE_SECRET: 'bench-remote-state-secret-0123456789abcdef',
  };
}
