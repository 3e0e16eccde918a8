/**
 * `mcp-server-outlook audit`: prints the profile's local audit log (every
 * write this server made or refused). The tenant's own audit log (Purview)
 * records the same operations by Graph request-id; this one adds which tool
 * and profile did it and what the human decided about each send.
 */
import type { Config } from '../config/config.js';
import { AuditLog, type AuditEntry } from '../audit/audit-log.js';
import { stateDir } from '../runtime.js';
import type { CliIo } from './io.js';

/** Thrown for a --since value that is neither a date nor a duration; the message shows both forms. */
export class SinceError extends Error {
  override name = 'SinceError';
}

/** Parses --since: an ISO date/time, or a duration back from `now` such as `30m`, `24h`, `7d`. */
export function parseSince(value: string, now: Date): Date {
  const rel = /^(\d{1,6})([mhd])$/.exec(value.trim());
  if (rel) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(rel[1]) * unit);
  }
  const t = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(t)) return new Date(t);
  throw new SinceError(`--since "${value}" is not understood. Use a date such as 2026-11-01 (or 2026-11-01T09:00Z) or a duration such as 30m, 24h, 7d.`);
}

/** One readable line per entry: time, tool, outcome, item, domains, request-id. */
export function formatAuditEntry(e: AuditEntry): string {
  const parts = [e.time, e.action.padEnd(13), e.outcome.padEnd(9), e.tool];
  if (e.item_id) parts.push(`item=${e.item_id.length > 24 ? `${e.item_id.slice(0, 12)}…${e.item_id.slice(-8)}` : e.item_id}`);
  if (e.recipient_domains.length) parts.push(`domains=${e.recipient_domains.join(',')}`);
  if (e.subject_sha256) parts.push(`subject#${e.subject_sha256.slice(0, 12)}`);
  if (e.reason) parts.push(`reason=${e.reason}`);
  if (e.approved_by) parts.push(`approved_by=${e.approved_by}`);
  if (e.request_id) parts.push(`request-id=${e.request_id}`);
  return parts.join('  ');
}

/** Prints the audit log of `config`'s profile; returns the exit code. */
export async function printAudit(config: Config, io: CliIo, opts: { since?: string; json?: boolean; now?: Date }): Promise<number> {
  const since = opts.since ? parseSince(opts.since, opts.now ?? new Date()) : undefined;
  const log = new AuditLog(stateDir(config));
  const entries = (await log.read()).filter((e) => !since || Date.parse(e.time) >= since.getTime());
  if (opts.json) {
    for (const e of entries) io.stdout(JSON.stringify(e) + '\n');
    return 0;
  }
  if (entries.length === 0) {
    io.stdout(`No audit entries for profile "${config.profile}"${since ? ` since ${since.toISOString()}` : ''} (${log.file}).\n`);
    return 0;
  }
  io.stdout(`Audit log of profile "${config.profile}" (${log.file}); subjects are SHA-256 hashes, recipients domains only.\n`);
  for (const e of entries) io.stdout(formatAuditEntry(e) + '\n');
  return 0;
}
