/**
 * The command line. `run(argv, io)` never exits the process and never touches
 * stdout except through `io`, so tests drive every command in-process.
 *
 * Exit codes: 0 success; 1 a tool returned an error, a sign-in failed or
 * there is no usable sign-in (`status`); 2 bad usage or configuration.
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { VERSION } from '../version.js';
import { Logger } from '../log.js';
import { startRuntime, stateDir } from '../runtime.js';
import { createServerFactory } from '../mcp/server.js';
import { serveStdio } from './serve.js';
import { formatCallResult } from './format.js';

import { EXIT_OK, EXIT_TOOL_ERROR, EXIT_USAGE, UsageError, type CliIo } from './io.js';

export { EXIT_OK, EXIT_TOOL_ERROR, EXIT_USAGE, UsageError, type CliIo } from './io.js';

const EXAMPLES = `
Examples:
  mcp-server-outlook --sandbox                       serve MCP over stdio on the demo mailbox
  mcp-server-outlook                                 serve MCP over stdio (live; needs credentials)
  mcp-server-outlook --sandbox tools                 list the tools an agent would see
  mcp-server-outlook --sandbox call ol_email_list_unread '{"limit":5}'
  mcp-server-outlook --sandbox call ol_email_search '{"query":"invoice"}' --json
  mcp-server-outlook --profile acme call ol_status   use the "acme" profile
  mcp-server-outlook sandbox --port 4010             run the fake Graph alone and print its URL
  mcp-server-outlook demo                            scripted walk-through on the demo mailbox
  mcp-server-outlook login --profile acme            sign in (device code) and store the tokens of "acme"
  mcp-server-outlook status --profile acme           account, tenant, scopes, token store, expiry
  mcp-server-outlook logout --profile acme           remove the tokens of "acme" (only those)
  mcp-server-outlook --sandbox login                 the whole sign-in against the sandbox (approved automatically)
  mcp-server-outlook audit --profile acme --since 7d every draft/send of "acme" in the last 7 days

Configuration comes from OUTLOOK_* environment variables (see README).`;

const GLOBAL_OPTIONS_HELP = `
Options for every command (before or after its name):
  --sandbox          use the built-in demo mailbox (no Microsoft account needed)
  --profile <name>   profile (one per tenant/mailbox); default OUTLOOK_PROFILE or "default"`;

interface NeedsOpts {
  drafts?: boolean;
  send?: boolean;
}

/** `config` with what `--drafts`/`--send` ask for added to what the environment turns on (never taken away). */
function withNeeds(config: Config, opts: NeedsOpts): Config {
  const allowSend = config.allowSend || !!opts.send;
  return { ...config, allowSend, allowDrafts: config.allowDrafts || allowSend || !!opts.drafts };
}

interface GlobalOpts {
  sandbox?: boolean;
  profile?: string;
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  const logger = new Logger();
  logger.setLevel(io.env.OUTLOOK_LOG_LEVEL);
  const program = new Command();
  const config = (): Config => {
    const g = program.opts<GlobalOpts>();
    const loaded = loadConfig(io.env, { sandbox: g.sandbox, profile: g.profile });
    logger.setLevel(loaded.logLevel);
    return loaded;
  };

  program
    .name('mcp-server-outlook')
    .description('MCP server for a Microsoft 365 mailbox and calendar, through Microsoft Graph. Reads by default; never sends on its own.')
    .version(VERSION, '-v, --version')
    .option('--sandbox', 'use the built-in demo mailbox (no Microsoft account needed)')
    .option('--profile <name>', 'profile (one per tenant/mailbox); default OUTLOOK_PROFILE or "default"')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('serve', { isDefault: true })
    .description('serve MCP over stdio (the default), or with --http over Streamable HTTP for a whole team (remote mode)')
    .option('--http', 'remote mode: serve MCP over HTTP at /mcp (same as OUTLOOK_TRANSPORT=http; needs OUTLOOK_AUTH_MODE=obo)')
    .option('--host <host>', 'with --http: address to listen on (OUTLOOK_HTTP_HOST, default 127.0.0.1)')
    .option('--port <n>', 'with --http: port to listen on (OUTLOOK_HTTP_PORT, default 8080)')
    // Without this, a mistyped command ("mcp-server-outlook stauts") would be blamed on serve's arguments.
    .allowExcessArguments(true)
    .action(async (opts: { http?: boolean; host?: string; port?: string }, cmd: Command) => {
      if (cmd.args.length > 0) {
        const names = program.commands.map((c) => c.name()).join(', ');
        throw new UsageError(`Unknown command "${cmd.args[0]}". Commands: ${names} (serve is the default). Run mcp-server-outlook --help for usage.`);
      }
      const g = program.opts<GlobalOpts>();
      const c = opts.http || opts.host || opts.port ? loadConfig(io.env, { sandbox: g.sandbox, profile: g.profile, http: opts.http, host: opts.host, port: opts.port }) : config();
      logger.setLevel(c.logLevel);
      if (c.transport === 'http') {
        // Loaded only when used: the local stdio server never loads remote mode.
        const { startHttpServer } = await import('../remote/http-server.js');
        const server = await startHttpServer(c, { logger });
        io.stderr(`Remote mode: MCP at ${server.mcpUrl.href} (listening on ${server.origin}). Stop with Ctrl+C.\n`);
        await (io.untilStopped ?? stopSignal)();
        await server.close();
        return;
      }
      await serveStdio(c, logger);
    });

  program
    .command('call')
    .description('call one tool through a real MCP client and print the result')
    .argument('<tool>', 'tool name, e.g. ol_email_list_unread')
    .argument('[json]', 'arguments as a JSON object', '{}')
    .option('--json', 'print the raw MCP result as JSON')
    .action(async (tool: string, json: string, opts: { json?: boolean }) => {
      let args: unknown;
      try {
        args = JSON.parse(json);
      } catch {
        throw new UsageError(`The arguments must be a JSON object, e.g. '{"limit":5}'. Got: ${json}`);
      }
      if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new UsageError(`The arguments must be a JSON object, e.g. '{"limit":5}'.`);
      const runtime = await startRuntime(config(), { logger });
      const { connectInProcess } = await import('../in-process.js');
      const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools));
      try {
        const { tools } = await session.client.listTools();
        if (!tools.some((t) => t.name === tool)) {
          const { allTools, switchedOffReason } = await import('../tools/index.js');
          const known = (await allTools()).find((t) => t.name === tool);
          if (known) throw new UsageError(switchedOffReason(known, runtime.deps.config));
          throw new UsageError(`Unknown tool "${tool}". Available with these settings: ${tools.map((t) => t.name).join(', ')}.`);
        }
        const result = await session.client.callTool({ name: tool, arguments: args as Record<string, unknown> });
        io.stdout(opts.json ? JSON.stringify(result, null, 2) + '\n' : formatCallResult(result));
        if (result.isError) exitCode = EXIT_TOOL_ERROR;
      } finally {
        await session.close();
        await runtime.close();
      }
    });

  program
    .command('tools')
    .description('list the tools this configuration exposes')
    .option('--json', 'print the tools/list result ({ "tools": [...] }) as JSON')
    .action(async (opts: { json?: boolean }) => {
      // Listing tools makes no Graph call, so this works before any sign-in.
      const runtime = await startRuntime(config(), { logger, ephemeralHandles: true, ephemeralSandbox: true });
      const { connectInProcess } = await import('../in-process.js');
      const session = await connectInProcess(createServerFactory(runtime.deps, runtime.tools));
      try {
        const { tools } = await session.client.listTools();
        if (opts.json) io.stdout(JSON.stringify({ tools }, null, 2) + '\n');
        else for (const t of tools) io.stdout(`${t.name.padEnd(26)} ${t.annotations?.readOnlyHint ? 'read-only ' : 'writes    '} ${t.description ?? ''}\n`);
      } finally {
        await session.close();
        await runtime.close();
      }
    });

  program
    .command('sandbox')
    .description("run the fake Microsoft Graph (demo mailbox) on loopback and print its URL; 'sandbox reset' starts the demo mailbox afresh")
    .argument('[action]', "'reset': seed the sandbox profile's demo mailbox afresh and forget its drafts, handles and audit log; 'token': print an access token for the server's API from a running --json sandbox (--user)")
    .addOption(new Option('--port <n>', 'port (0 = any free port)').default('4010').argParser((v) => parsePort(v)))
    .option('--json', "remote mode's sandbox: Entra and Graph for several people, each with a mailbox of their own (in memory); prints one JSON line")
    .option('--user <name>', "with 'token': the person to sign in (a name from the users the --json line lists)")
    .action(async (action: string | undefined, opts: { port: number; json?: boolean; user?: string }) => {
      if (action !== undefined && action !== 'reset' && action !== 'token') throw new UsageError(`Unknown sandbox action "${action}". Use 'mcp-server-outlook sandbox' to run it, 'sandbox reset' to start its mailbox afresh, or 'sandbox token --user NAME' for a remote-mode token.`);
      if (action === 'token') {
        if (!opts.user) throw new UsageError("sandbox token needs --user NAME (one of the users the 'sandbox --json' line lists).");
        const { sandboxApiToken } = await import('./sandbox-team.js');
        io.stdout(`${await sandboxApiToken(opts.port, opts.user)}\n`);
        return;
      }
      if (opts.json) {
        if (action === 'reset') throw new UsageError('sandbox --json keeps its mailboxes in memory: there is nothing to reset.');
        const [{ startSandbox }, { teamSummary }] = await Promise.all([import('../sandbox/index.js'), import('./sandbox-team.js')]);
        let team: Awaited<ReturnType<typeof startSandbox>>;
        try {
          team = await startSandbox({ port: opts.port, team: true });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`Port ${opts.port} on 127.0.0.1 is already in use. Pick another with --port <n>, or --port 0 for any free port.`);
          throw err;
        }
        io.stdout(`${JSON.stringify(teamSummary(team))}\n`);
        await (io.untilStopped ?? stopSignal)();
        await team.close();
        return;
      }
      const sandboxConfig = { ...config(), sandbox: true };
      const [{ startSandbox, freshSandboxState }, { SandboxMailboxFile }] = await Promise.all([import('../sandbox/index.js'), import('../sandbox-state/mailbox-file.js')]);
      const store = new SandboxMailboxFile(stateDir(sandboxConfig), sandboxConfig.profile);
      if (action === 'reset') {
        await store.reset(() => freshSandboxState());
        io.stdout(`The demo mailbox of sandbox profile '${sandboxConfig.profile}' starts afresh (${store.location}).\n`);
        return;
      }
      let sb: Awaited<ReturnType<typeof startSandbox>>;
      try {
        sb = await startSandbox({ port: opts.port, store });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(`Port ${opts.port} on 127.0.0.1 is already in use (another sandbox?). Pick another with --port <n>, or --port 0 for any free port.`);
        }
        throw err;
      }
      io.stdout(
        `Sandbox Graph listening: ${sb.url}\nBearer token: ${sb.token}\n` +
          `Mailbox of sandbox profile '${sandboxConfig.profile}': ${store.location} (shared with --sandbox calls and servers; reset with: mcp-server-outlook sandbox reset)\n` +
          `Try: OUTLOOK_GRAPH_URL=${sb.url} OUTLOOK_ACCESS_TOKEN=${sb.token} mcp-server-outlook call ol_status\n` +
          `Sign-in (fake Entra) at ${sb.origin}: OUTLOOK_AUTHORITY_URL=${sb.origin} OUTLOOK_GRAPH_URL=${sb.url} mcp-server-outlook login\n` +
          'Stop with Ctrl+C.\n',
      );
      await (io.untilStopped ?? stopSignal)();
      await sb.close();
    });

  program
    .command('login')
    .description('sign in with a device code and store the tokens of the profile (code and URL on stderr, result on stdout)')
    .option('--drafts', 'also grant what drafts need (as with OUTLOOK_ALLOW_DRAFTS=true)')
    .option('--send', 'also grant what drafts and sending need (as with OUTLOOK_ALLOW_SEND=true)')
    .option('--json', 'print the result as JSON')
    .addOption(new Option('--sandbox-approve-ms <ms>', 'with --sandbox: the sandbox approves the code after this many milliseconds').default(1500).argParser((v) => parseMs(v)))
    .action(async (opts: { json?: boolean; sandboxApproveMs: number } & NeedsOpts) => {
      const { login } = await import('./login.js');
      exitCode = await login(withNeeds(config(), opts), io, logger, { json: opts.json, sandboxApproveMs: opts.sandboxApproveMs });
    });

  program
    .command('logout')
    .description("remove the stored tokens of the profile (and no other profile's)")
    .action(async () => {
      const { logout } = await import('./login.js');
      exitCode = await logout(config(), io, logger);
    });

  program
    .command('status')
    .description('show the sign-in of the profile: account, tenant, scopes, token store, expiry (never secrets); exit 1 when not usable')
    .option('--drafts', 'check the sign-in for drafts too (as with OUTLOOK_ALLOW_DRAFTS=true)')
    .option('--send', 'check the sign-in for drafts and sending (as with OUTLOOK_ALLOW_SEND=true)')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean } & NeedsOpts) => {
      const { status } = await import('./login.js');
      exitCode = await status(withNeeds(config(), opts), io, logger, { json: opts.json });
    });

  program
    .command('audit')
    .description("print the profile's local audit log of writes (drafts, sends); subjects hashed, recipients as domains")
    .option('--since <when>', 'only entries since a date (2026-11-01) or a duration back from now (30m, 24h, 7d)')
    .option('--json', 'print the raw JSON lines')
    .action(async (opts: { since?: string; json?: boolean }) => {
      const { printAudit, SinceError } = await import('./audit.js');
      try {
        exitCode = await printAudit(config(), io, opts);
      } catch (err) {
        if (err instanceof SinceError) throw new UsageError(err.message);
        throw err;
      }
    });

  program
    .command('state')
    .description("the profile's state store: `state migrate --to redis` copies the local store into Redis")
    .command('migrate')
    .description("copy the profile's local state (drafts, handles, cursors, delta links, approvals) into Redis; the local store is left as it is")
    .requiredOption('--to <store>', 'the store to copy into: redis')
    .option('--redis-url <url>', 'Redis to copy into (default OUTLOOK_REDIS_URL); the namespace comes from OUTLOOK_STATE_SECRET')
    .option('--user <key>', "copy into a remote-mode user's namespace instead of the profile's")
    .option('--force', 'copy into a namespace that already holds state (copying again changes nothing already there)')
    .action(async (opts: { to: string; redisUrl?: string; user?: string; force?: boolean }) => {
      const { migrateState } = await import('./state-migrate.js');
      exitCode = await migrateState(config(), io, opts);
    });

  program
    .command('demo')
    .description('a scripted walk-through on the demo mailbox, printed as the agent sees it')
    .action(async () => {
      const { runDemo } = await import('./demo.js');
      await runDemo({ ...config(), sandbox: true }, io.stdout, logger);
    });

  // Every subcommand's help names the options that apply to all of them.
  for (const c of program.commands) c.addHelpText('after', GLOBAL_OPTIONS_HELP);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof ConfigError || err instanceof UsageError) {
      io.stderr(`mcp-server-outlook: ${err.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`mcp-server-outlook: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_TOOL_ERROR;
  }
}

function parseMs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 600_000) throw new UsageError(`--sandbox-approve-ms must be a whole number of milliseconds from 0 to 600000 (got "${v}").`);
  return n;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${v}").`);
  return n;
}
