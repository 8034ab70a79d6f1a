import { hash } from 'node:crypto';
import type { AuditEventsTable } from './schema.js';

/** The hash the first event links back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields an event's hash covers, in a fixed order: everything but the hash itself. */
export type ChainedFields = Omit<AuditEventsTable, 'hash'>;

/**
 * Canonical encoding: a JSON array of the fields in a fixed order. Any edit of a field, a deleted
 * event (a gap in `seq` or a broken `prevHash` link) or an inserted one changes what verify computes.
 */
export function canonicalEncoding(e: ChainedFields): string {
  return JSON.stringify([
    e.seq, e.id, e.occurredAt, e.actorType, e.actorId, e.actorName, e.actorRole, e.ip, e.userAgent,
    e.action, e.patientId, e.recordType, e.recordId, e.outcome, e.reason, e.emergency, e.details, e.prevHash,
  ]);
}

export function hashAuditEvent(e: ChainedFields): string {
  return hash('sha256', canonicalEncoding(e), 'hex');
}
