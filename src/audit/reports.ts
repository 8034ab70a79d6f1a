import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import type { AuditEventsTable } from './schema.js';
import type { AuditActor, AuditOutcome } from './actions.js';
import { recordAuditEvent } from './trail.js';

/** Filters of the audit-log page (ONC 170.315(d)(3)): user, patient, action, outcome, time range. */
export interface AuditFilter {
  username?: string;
  patientId?: string;
  action?: string;
  outcome?: AuditOutcome;
  /** Inclusive lower bound, ISO-8601 instant or date. */
  from?: string;
  /** Exclusive upper bound, ISO-8601 instant; a bare date means the end of that day. */
  to?: string;
  /** Events with seq below this (paging backwards in time). */
  before?: number;
  limit?: number;
}

/** An audit event as the audit-log page shows it: the chain fields (details, hashes) stay behind. */
export type AuditEventView = Omit<Selectable<AuditEventsTable>, 'emergency' | 'details' | 'prevHash' | 'hash'> & {
  emergency: boolean;
  /** The event's small PHI-free facts (why a sign-in failed, whether it locked the account, counts). */
  details: Record<string, string | number | boolean | null> | null;
};

const endOfDay = (to: string) => (/^\d{4}-\d{2}-\d{2}$/.test(to) ? new Date(Date.parse(to) + 86_400_000).toISOString() : to);
const startOf = (from: string) => (/^\d{4}-\d{2}-\d{2}$/.test(from) ? new Date(Date.parse(from)).toISOString() : from);

async function selectEvents(ctx: AppContext, f: AuditFilter, limit: number) {
  let q = ctx.db.selectFrom('auditEvents').selectAll().orderBy('seq', 'desc').limit(limit);
  if (f.username) q = q.where('actorName', '=', f.username);
  if (f.patientId) q = q.where('patientId', '=', f.patientId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.outcome) q = q.where('outcome', '=', f.outcome);
  if (f.from) q = q.where('occurredAt', '>=', startOf(f.from));
  if (f.to) q = q.where('occurredAt', '<', endOfDay(f.to));
  if (f.before) q = q.where('seq', '<', f.before);
  const rows = await q.execute();
  return rows.map(
    (r): AuditEventView => ({
      id: r.id, seq: r.seq, occurredAt: r.occurredAt, actorType: r.actorType, actorId: r.actorId, actorName: r.actorName,
      actorRole: r.actorRole, ip: r.ip, userAgent: r.userAgent, action: r.action, patientId: r.patientId,
      recordType: r.recordType, recordId: r.recordId, outcome: r.outcome, reason: r.reason, emergency: r.emergency === 1,
      details: r.details ? JSON.parse(r.details) : null,
    }),
  );
}

/** One page of audit events, newest first. Reading the trail is itself audited. */
export async function searchAuditEvents(ctx: AppContext, actor: AuditActor, f: AuditFilter): Promise<{ events: AuditEventView[]; nextBefore: number | null }> {
  const limit = Math.min(Math.max(f.limit ?? 100, 1), 500);
  const events = await selectEvents(ctx, f, limit);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor, action: 'read', recordType: 'audit_event', patientId: f.patientId ?? null, details: { count: events.length } }, ctx.clock),
  );
  return { events, nextBefore: events.length === limit ? events[events.length - 1].seq : null };
}

const CSV_COLUMNS: (keyof AuditEventView)[] = [
  'seq', 'occurredAt', 'actorType', 'actorName', 'actorRole', 'ip', 'action', 'recordType', 'recordId', 'patientId', 'outcome', 'emergency', 'reason', 'details', 'userAgent', 'id',
];

/**
 * A CSV cell: quoted, and a leading = + - @ (or tab, carriage return) neutralised with an apostrophe
 * so a spreadsheet never runs it as a formula (OWASP CSV injection).
 */
export function csvCell(value: unknown): string {
  let s = value == null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Every event matching the filter as CSV (up to 100,000 rows), audited as an export. */
export async function exportAuditEventsCsv(ctx: AppContext, actor: AuditActor, f: AuditFilter): Promise<string> {
  const events = await selectEvents(ctx, { ...f, before: undefined }, 100_000);
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor, action: 'export', recordType: 'audit_event', patientId: f.patientId ?? null, details: { count: events.length, format: 'csv' } }, ctx.clock),
  );
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of events) lines.push(CSV_COLUMNS.map((c) => csvCell(c === 'details' && e.details ? JSON.stringify(e.details) : e[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
