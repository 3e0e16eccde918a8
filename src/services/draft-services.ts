/**
 * Builds the draft services of one profile. The runtime spreads them into
 * ServerDeps only when drafts are enabled; the draft tools read them through
 * `draftDepsOf`, which says so clearly when they are missing.
 */
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { GraphClient } from '../graph/client.js';
import type { HandleStore } from '../handles/handle-store.js';
import type { DraftRegistry } from '../drafts/registry.js';
import type { StateStore } from '../state/ports.js';
import type { Logger } from '../log.js';
import { DraftsNotConfiguredError } from '../drafts/errors.js';
import { AttachmentUploader } from './draft-attachments.js';
import { DraftService } from './drafts.js';
import { EventDraftService } from './event-drafts.js';
import { SendService } from './send.js';
import { ApprovalService } from '../approval/approvals.js';
import type { MailboxKindReader } from './mailbox-kind.js';

/** What the draft tools need besides ServerDeps. */
export interface DraftDeps {
  readonly drafts: DraftService;
  readonly eventDrafts: EventDraftService;
  readonly draftRegistry: DraftRegistry;
  /** Sends own drafts behind the human gate (the tool exists only with OUTLOOK_ALLOW_SEND=true). */
  readonly send: SendService;
  /** Single-use approvals of sends, and the lock of drafts awaiting the user's answer. */
  readonly approvals: ApprovalService;
}

export interface DraftServicesInput {
  config: Pick<Config, 'profile' | 'attachmentDirs' | 'graphUrl' | 'timeZone' | 'sendConfirmation'>;
  graph: GraphClient;
  handles: HandleStore;
  now: () => Date;
  /** The profile's state folder (`stateDir(config)`): the approval key and downloads live there. */
  stateDir: string;
  /** The profile's state store: draft registry and approval ledger. */
  state: StateStore;
  /** For upload URLs (never the Graph client's fetch: no bearer token may go there). */
  fetch?: typeof fetch;
  /** Life of a send approval (at most 600 s; tests shorten it). */
  approvalTtlSeconds?: number;
  /** A derived approval key (remote mode, per user) instead of the profile's key file. */
  approvalKey?: Uint8Array;
  /** The other mailbox these drafts are in (OUTLOOK_ALLOW_SHARED_MAILBOXES), when it is not the signed-in person's. */
  mailboxAddress?: string;
  /** Whether that mailbox is shared or delegated (the prompt and the card say which). */
  mailboxKind?: MailboxKindReader;
  /** Where a hold the ledger could not release after a done send or change is reported (stderr). */
  logger?: Pick<Logger, 'warn'>;
}

/** The draft registry and services of one profile. */
export function createDraftServices(input: DraftServicesInput): DraftDeps {
  const { config, graph, handles, now, stateDir, state } = input;
  const draftRegistry = state.drafts;
  // Empty OUTLOOK_ATTACHMENT_DIRS = only the profile's own download folder.
  const attachmentDirs = config.attachmentDirs.length > 0 ? config.attachmentDirs : [path.join(stateDir, 'downloads')];
  const uploader = new AttachmentUploader(graph, config.graphUrl, input.fetch);
  const approvals = new ApprovalService({ stateDir, profile: config.profile, now, ttlSeconds: input.approvalTtlSeconds, ledger: state.approvals, mailboxRoot: graph.root, ...(input.approvalKey ? { key: input.approvalKey } : {}), ...(input.logger ? { onHoldNotReleased: (m: string) => input.logger!.warn(m) } : {}) });
  const drafts = new DraftService({ graph, handles, registry: draftRegistry, uploader, profile: config.profile, attachmentDirs, now, approvals });
  const eventDrafts = new EventDraftService({ graph, handles, registry: draftRegistry, drafts, profile: config.profile, timeZone: () => config.timeZone, now });
  const send = new SendService({ graph, handles, registry: draftRegistry, drafts, ...(input.mailboxAddress ? { mailboxAddress: input.mailboxAddress } : {}), ...(input.mailboxKind ? { mailboxKind: input.mailboxKind } : {}) });
  return { drafts, eventDrafts, draftRegistry, send, approvals };
}

/** The draft services from a deps object that carries them; a clear error when they were not wired. */
export function draftDepsOf(deps: object): DraftDeps {
  const d = deps as Partial<DraftDeps>;
  if (!d.drafts || !d.eventDrafts || !d.draftRegistry || !d.send || !d.approvals) {
    throw new DraftsNotConfiguredError('Draft tools are enabled but the draft services were not set up in this build. Please report this as a bug in mcp-server-outlook.');
  }
  return d as DraftDeps;
}
