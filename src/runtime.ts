/**
 * Wires a configuration to real dependencies: the token provider, the Graph
 * client (pointed at Microsoft Graph or at an in-process sandbox), the handle
 * store and the services. The CLI, the demo and the tests all start here.
 */
import path from 'node:path';
import type { Config } from './config/config.js';
import { mailboxRoot, usersRoot } from './config/config.js';
import { sandboxResetAdvice, signInWith } from './config/advice.js';
import { mailboxState } from './state/mailbox-scope.js';
import { configureRenderer, stopRenderer } from './text/renderer-settings.js';
import { GraphClient } from './graph/client.js';
import { HandleStore } from './handles/handle-store.js';
import type { TokenProvider } from './auth/token-provider.js';
import { createAuth, type AuthService } from './auth/setup.js';
import type { DraftServicesInput, DraftDeps } from './services/draft-services.js';
import { CORE_TOOLS, loadDraftTools, toolsFor } from './tools/index.js';
import type { ToolDef } from './tools/define.js';
import type { OpenTokenStoreOptions, TokenStore } from './auth/stores/token-store.js';
import { FolderService } from './services/folders.js';
import { MailService } from './services/mail.js';
import { FreeTimeService } from './services/free-time.js';
import { ThreadService } from './services/thread.js';
import { PeopleService } from './services/people.js';
import { WhatsNewService } from './services/whats-new.js';
import { DownloadFolder } from './services/attachments.js';
import { CalendarService } from './services/calendar.js';
import { CursorStore } from './services/cursor.js';
import { GroupConversationService } from './services/group-conversations.js';
import { GroupDirectory } from './services/group-directory.js';
import { MailboxKindReader } from './services/mailbox-kind.js';
import { deferProfileState, type ProfileState } from './state/profile-state.js';
import { openStateStore, type OpenStateStoreOptions } from './state/open-store.js';
import type { ServerDeps } from './server-deps.js';
import type { Sandbox, SandboxOptions } from './sandbox/index.js';
import { Logger } from './log.js';
import { VERSION } from './version.js';
import { AuditLog, WriteTrace } from './audit/audit-log.js';

export interface Runtime {
  readonly deps: ServerDeps;
  /** The tools this configuration exposes (the server registers exactly these). */
  readonly tools: readonly ToolDef[];
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
  /** Start the sandbox on a fresh mailbox in memory instead of the sandbox profile's saved one. */
  ephemeralSandbox?: boolean;
  logger?: Logger;
  /** Keep handles, cursors and the rest of the state in a temporary store, removed on close (nothing under the profile folder). */
  ephemeralHandles?: boolean;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Opens the profile's token store (tests pass an in-memory one). */
  openTokenStore?: (opts: OpenTokenStoreOptions) => Promise<TokenStore>;
  /** How often ol_login_begin reports progress while it waits (default 10 s). */
  loginProgressIntervalMs?: number;
  /** Signs send approvals instead of the profile's key file (remote mode derives one per user). */
  approvalKey?: Uint8Array;
  /** State already opened by the caller (remote mode on Redis: one user's namespace on the process's connection); closed with the runtime. */
  state?: ProfileState;
}

/** Where a profile's state lives; sandbox state is kept apart from any real profile's. */
export function stateDir(config: Pick<Config, 'cacheDir' | 'profile' | 'profileDir' | 'sandbox'>): string {
  // '@' cannot appear in a profile name, so no real profile can collide with this folder.
  return config.sandbox ? path.join(config.cacheDir, '@sandbox', config.profile) : config.profileDir;
}

/**
 * The Graph origin a saved sandbox mailbox is served under, whatever port this
 * process's sandbox listens on: nextLinks (cursors) saved by one process then
 * work in the next. `.localhost` names are loopback by definition (RFC 6761);
 * requests never resolve it: `sandboxFetch` sends them to the real port.
 */
export const SANDBOX_PUBLIC_ORIGIN = 'http://sandbox.localhost';

/**
 * Where the sandbox serves upload URLs: another https host than Graph's, as
 * Graph's own (outlook.office.com) are. Never resolved: `sandboxFetch` sends it
 * to the upload listener's port; https so the client's https-only rule holds.
 */
export const SANDBOX_UPLOAD_ORIGIN = 'https://upload.sandbox.localhost';

/** `base` with requests to the sandbox's public origins (Graph, upload host) sent to the ports they listen on. */
function sandboxFetch(sandbox: Sandbox, base: typeof fetch = fetch): typeof fetch {
  const routes: Array<[from: string, to: string]> = [];
  const publicOrigin = new URL(sandbox.publicUrl).origin;
  if (publicOrigin !== sandbox.origin) routes.push([publicOrigin, sandbox.origin]);
  if (sandbox.uploadHost) routes.push([sandbox.uploadHost.publicOrigin, sandbox.uploadHost.origin]);
  if (routes.length === 0) return base;
  return (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const route = routes.find(([from]) => href.startsWith(`${from}/`));
    if (!route) return base(input, init);
    const target = route[1] + href.slice(route[0].length);
    return base(typeof input === 'string' || input instanceof URL ? target : new Request(target, input), init);
  };
}

/** A copy of `config` pointed at the sandbox's Graph and identity endpoints; property descriptors are kept so lazy values stay lazy. */
function withSandboxUrls(config: Config, sandbox: Sandbox): Config {
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(config);
  descriptors.graphUrl = { value: sandbox.publicUrl, enumerable: true, writable: false, configurable: false };
  // The identity endpoint shares the sandbox's origin; a sandbox without one keeps the configured authority (never used).
  if (sandbox.identity) descriptors.authorityUrl = { value: sandbox.identity.origin, enumerable: true, writable: false, configurable: false };
  return Object.freeze(Object.create(Object.prototype, descriptors) as Config);
}

/** Starts everything a server needs for `config`. */
export async function startRuntime(base: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const logger = opts.logger ?? new Logger();
  let sandbox: Sandbox | undefined;
  let ownsSandbox = false;
  let config = base;
  configureRenderer({ renderer: base.renderer, browserPath: base.browserPath, idleMs: base.rendererIdleMs, timeoutMs: base.rendererTimeoutMs });
  if (base.sandbox) {
    sandbox = opts.sandboxInstance;
    if (!sandbox) {
      // Loaded only when needed: a live server never pays for the fake Graph and its seed data.
      const { startSandbox } = await import('./sandbox/index.js');
      const saved = !opts.ephemeralSandbox && !opts.sandbox?.mailbox;
      const { SandboxMailboxFile } = await import('./sandbox-state/mailbox-file.js');
      sandbox = await startSandbox({
        uploadOrigin: SANDBOX_UPLOAD_ORIGIN,
        ...opts.sandbox,
        ...(saved ? { store: new SandboxMailboxFile(stateDir(base), base.profile, undefined, sandboxResetAdvice(base)), publicOrigin: SANDBOX_PUBLIC_ORIGIN } : {}),
      });
      ownsSandbox = true;
    }
    opts = { ...opts, fetch: sandboxFetch(sandbox, opts.fetch) };
  }
  let deps: ServerDeps;
  let state: ProfileState | undefined;
  let exposed: readonly ToolDef[];
  try {
    if (sandbox) config = withSandboxUrls(base, sandbox);
    // Drafts (tools and services) are loaded only when enabled: a read-only server never pays for them.
    const drafts = config.allowDrafts
      ? { tools: await loadDraftTools(), create: (await import('./services/draft-services.js')).createDraftServices }
      : undefined;
    const auth = createAuth(config, {
      logger,
      stateDir: stateDir(config),
      sandboxToken: sandbox?.token,
      openTokenStore: opts.openTokenStore,
      fetch: opts.fetch,
      now: opts.now,
      progressIntervalMs: opts.loginProgressIntervalMs,
    });
    const tools = toolsFor(config, drafts ? [...CORE_TOOLS, ...drafts.tools] : CORE_TOOLS);
    const now = opts.now ?? (() => new Date());
    // Redis is opened at start-up (an unreachable one stops the server with a clear error); the embedded store on
    // first use, since loading LMDB costs about half a second that a tools/list should not pay.
    const stateOptions: OpenStateStoreOptions = {
      dir: opts.ephemeralHandles ? undefined : stateDir(config),
      profile: config.profile,
      mailboxRoot: mailboxRoot(config),
      now: () => now().getTime(),
      onMigrated: (r) =>
        logger.info(
          `Moved this profile's state into its embedded store (${r.drafts} drafts, ${r.handles} handles, ${r.approvals} open approvals, ${r.cursors} cursors, ${r.deltaLinks} delta links, ${r.downloads} downloads); the old files are kept in ${r.backupDir}.` +
            (r.unreadable.length ? ` Not readable, kept in the backup only: ${r.unreadable.join(', ')}.` : '') +
            (r.handlesChanged ? ` ${r.handlesChanged} handle(s) changed letters; list again to get them.` : ''),
        ),
      onMaintenanceError: (err) => logger.warn(`Compacting this profile's state failed (${(err as Error).message}); it is retried later.`),
      onWarning: (message) => logger.warn(message),
    };
    state = opts.state ?? (config.stateStore === 'redis' ? await openStateStore(config, stateOptions) : deferProfileState(stateOptions));
    deps = assemble(config, opts.tokens ?? auth.tokens, auth, { ...opts, now }, logger, state, drafts?.create);
    exposed = tools;
  } catch (err) {
    // A half-started runtime must not leave a listening sandbox or an open store behind (the process would never exit).
    await state?.close();
    if (ownsSandbox) await sandbox?.close();
    throw err;
  }
  const openState = state;
  return {
    deps,
    tools: exposed,
    sandbox,
    async close() {
      // A sign-in still polling would keep the process alive until its code expires.
      deps.auth?.delegated?.currentLogin?.cancel();
      await openState.close();
      await stopRenderer();
      if (ownsSandbox) await sandbox?.close();
    },
  };
}

function assemble(
  config: Config,
  tokens: TokenProvider,
  auth: AuthService,
  opts: RuntimeOptions,
  logger: Logger,
  state: ProfileState,
  createDraftServices: ((input: DraftServicesInput) => DraftDeps) | undefined,
): ServerDeps {
  if (config.authMode === 'service-principal') {
    logger.warn('Service-principal mode: every read is attributed to the application, not to a person, in the tenant audit log.');
  }
  const dir = stateDir(config);
  const now = opts.now ?? (() => new Date());
  const writeTrace = new WriteTrace();
  const defaultRoot = mailboxRoot(config);
  const downloads = new DownloadFolder(path.join(dir, 'downloads'), state.downloads);
  /** A Graph client whose requests (and followed nextLinks) stay below `root`. */
  const graphAt = (root: string) =>
    new GraphClient({
      onWrite: writeTrace.observe,
      baseUrl: config.graphUrl,
      maxResponseBytes: config.maxResponseBytes,
      mailboxRoot: root,
      tokens,
      signIn: signInWith(config),
      timeZone: () => config.timeZone,
      userAgent: `mcp-server-outlook/${VERSION}`,
      fetch: opts.fetch,
      sleep: opts.sleep,
      shared: { gate: state.gate, pause: state.pause, now: () => now().getTime() },
    });
  // With either opt-in the default mailbox is scoped too: it must not accept a handle another mailbox or a group issued.
  const scopedState = config.allowSharedMailboxes || config.allowGroupMailboxes === true;
  /** The Graph client and services of one mailbox: its own root (the client refuses any other), its own view of the state. */
  const mailboxServices = (root: string, scoped: boolean, scheduleOwner: string | undefined) => {
    const graph = graphAt(root);
    const view = scopedState ? mailboxState(state, scoped ? root : undefined) : state;
    // The default mailbox named by OUTLOOK_MAILBOX in delegated mode is someone else's too.
    const other = scoped ? scheduleOwner : config.authMode === 'delegated' && root !== '/me' ? config.mailbox : undefined;
    // Shared or delegated, read from Graph once per mailbox per process (these services are kept per mailbox).
    const mailboxKind = other ? new MailboxKindReader(graph) : undefined;
    const handles = new HandleStore(view.handles);
    const folders = new FolderService(graph, handles);
    const cursors = new CursorStore(state.cursors, { now: () => now().getTime() });
    return {
      ...createDraftServices?.({ config, graph, handles, now, stateDir: dir, state: view, fetch: opts.fetch, logger, ...(opts.approvalKey ? { approvalKey: opts.approvalKey } : {}), ...(other ? { mailboxAddress: other } : {}), ...(mailboxKind ? { mailboxKind } : {}) }),
      ...(mailboxKind ? { mailboxKind } : {}),
      graph,
      handles,
      folders,
      cursors,
      mail: new MailService(graph, handles, folders, () => config.timeZone, downloads, cursors),
      calendar: new CalendarService(graph, handles, cursors, () => config.timeZone),
      whatsNew: new WhatsNewService(graph, handles, folders, () => config.timeZone, state.deltas, now),
      threads: new ThreadService(graph, handles, () => config.timeZone),
      freeTime: new FreeTimeService(graph, () => config.timeZone, scheduleOwner),
    };
  };
  const main = mailboxServices(defaultRoot, false, config.mailbox);
  const deps: ServerDeps = {
    ...main,
    config,
    people: new PeopleService(main.graph),
    tokenSource: tokens.source,
    auth: opts.tokens ? { ...auth, tokens } : auth,
    now,
    logger,
    auditLog: new AuditLog(dir),
    writeTrace,
    state,
  };
  if (!config.allowSharedMailboxes && !config.allowGroupMailboxes) return deps;
  // One set of services per mailbox named in a call, made on first use and kept: handles, cursors and drafts stay bound to it.
  const others = new Map<string, ServerDeps>();
  const forMailbox = (address: string): ServerDeps => {
    const key = address.toLowerCase();
    const root = usersRoot(key);
    if (root.toLowerCase() === defaultRoot.toLowerCase()) return withDefault;
    let d = others.get(key);
    if (!d) others.set(key, (d = { ...deps, ...mailboxServices(root, true, key), mailboxAddress: key }));
    return d;
  };
  // A group's conversations: its own client rooted at /groups/{id}, its own handles and cursors (bound to that root).
  const directory = config.allowGroupMailboxes ? new GroupDirectory(graphAt('/groups')) : undefined;
  const groups = new Map<string, ServerDeps>();
  const forGroup = async (value: string, signal?: AbortSignal): Promise<ServerDeps> => {
    const group = await (directory as GroupDirectory).resolve(value, signal);
    let d = groups.get(group.id);
    if (!d) {
      const graph = graphAt(`/groups/${encodeURIComponent(group.id)}`);
      const handles = new HandleStore(mailboxState(state, graph.root).handles);
      const cursors = new CursorStore(state.cursors, { now: () => now().getTime() });
      const groupConversations = new GroupConversationService(graph, handles, cursors, () => config.timeZone, group.label);
      groups.set(group.id, (d = { ...deps, graph, handles, cursors, groupConversations }));
    }
    return d;
  };
  const withDefault: ServerDeps = { ...deps, ...(config.allowSharedMailboxes ? { forMailbox } : {}), ...(directory ? { forGroup } : {}) };
  return withDefault;
}
