/**
 * Wires a configuration to real dependencies: the token provider, the Graph
 * client (pointed at Microsoft Graph or at an in-process sandbox), the handle
 * store and the services. The CLI, the demo and the tests all start here.
 */
import path from 'node:path';
import type { Config } from './config/config.js';
import { mailboxRoot } from './config/config.js';
import { GraphClient } from './graph/client.js';
import { HandleStore } from './handles/handle-store.js';
import { NotSignedInError, staticTokenProvider, type TokenProvider } from './auth/token-provider.js';
import { FolderService } from './services/folders.js';
import { MailService } from './services/mail.js';
import { CalendarService } from './services/calendar.js';
import type { ServerDeps } from './server-deps.js';
import type { Sandbox, SandboxOptions } from './sandbox/index.js';
import { Logger } from './log.js';
import { VERSION } from './version.js';

export interface Runtime {
  readonly deps: ServerDeps;
  /** The in-process sandbox when `config.sandbox` is on. */
  readonly sandbox?: Sandbox;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Overrides for tests: a token provider, fetch, clock, sandbox options. */
  tokens?: TokenProvider;
  fetch?: typeof fetch;
  now?: () => Date;
  sandbox?: SandboxOptions;
  /** Reuse a running sandbox instead of starting one. */
  sandboxInstance?: Sandbox;
  logger?: Logger;
  /** Keep handles in memory only (no file under the profile folder). */
  ephemeralHandles?: boolean;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Where a profile's state lives; sandbox state is kept apart from any real profile's. */
export function stateDir(config: Pick<Config, 'cacheDir' | 'profile' | 'profileDir' | 'sandbox'>): string {
  // '@' cannot appear in a profile name, so no real profile can collide with this folder.
  return config.sandbox ? path.join(config.cacheDir, '@sandbox', config.profile) : config.profileDir;
}

function signedOutProvider(profile: string): TokenProvider {
  return {
    source: 'none',
    async getToken() {
      throw new NotSignedInError(
        `No usable credentials for profile '${profile}'. Set OUTLOOK_ACCESS_TOKEN to a Microsoft Graph access token, or try the demo mailbox with --sandbox.`,
      );
    },
  };
}

/** A copy of `config` with another Graph base; property descriptors are kept so lazy values stay lazy. */
function withGraphUrl(config: Config, graphUrl: string): Config {
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(config);
  descriptors.graphUrl = { value: graphUrl, enumerable: true, writable: false, configurable: false };
  return Object.freeze(Object.create(Object.prototype, descriptors) as Config);
}

/** Starts everything a server needs for `config`. */
export async function startRuntime(base: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const logger = opts.logger ?? new Logger();
  let sandbox: Sandbox | undefined;
  let ownsSandbox = false;
  let config = base;
  let tokens = opts.tokens;
  if (base.sandbox) {
    sandbox = opts.sandboxInstance;
    if (!sandbox) {
      // Loaded only when needed: a live server never pays for the fake Graph and its seed data.
      const { startSandbox } = await import('./sandbox/index.js');
      sandbox = await startSandbox(opts.sandbox);
      ownsSandbox = true;
    }
    const token = sandbox.token;
    tokens ??= { source: 'sandbox', getToken: async () => token };
  } else if (base.accessToken) {
    tokens ??= staticTokenProvider(base.accessToken);
  }
  tokens ??= signedOutProvider(base.profile);
  let deps: ServerDeps;
  let handles: HandleStore;
  try {
    if (sandbox) config = withGraphUrl(base, sandbox.url);
    ({ deps, handles } = assemble(config, tokens, opts, logger));
  } catch (err) {
    // A half-started runtime must not leave a listening sandbox behind (the process would never exit).
    if (ownsSandbox) await sandbox?.close();
    throw err;
  }
  return {
    deps,
    sandbox,
    async close() {
      await handles.flush();
      if (ownsSandbox) await sandbox?.close();
    },
  };
}

function assemble(config: Config, tokens: TokenProvider, opts: RuntimeOptions, logger: Logger): { deps: ServerDeps; handles: HandleStore } {
  if (config.authMode === 'service-principal') {
    logger.warn('Service-principal mode: every read is attributed to the application, not to a person, in the tenant audit log.');
  }
  const dir = stateDir(config);
  const graph = new GraphClient({
    baseUrl: config.graphUrl,
    mailboxRoot: mailboxRoot(config),
    tokens,
    timeZone: () => config.timeZone,
    userAgent: `mcp-server-outlook/${VERSION}`,
    fetch: opts.fetch,
    sleep: opts.sleep,
  });
  const handles = new HandleStore(opts.ephemeralHandles ? undefined : path.join(dir, 'handles.jsonl'));
  const folders = new FolderService(graph, handles);
  const deps: ServerDeps = {
    config,
    graph,
    handles,
    folders,
    mail: new MailService(graph, handles, folders, () => config.timeZone, path.join(dir, 'downloads')),
    calendar: new CalendarService(graph, handles),
    tokenSource: tokens.source,
    now: opts.now ?? (() => new Date()),
    logger,
  };
  return { deps, handles };
}
