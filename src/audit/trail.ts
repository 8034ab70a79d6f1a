import type { Transaction } from 'kysely';
import { assertTransaction, isPostgres } from '../platform/db/connection.js';
import { newId } from '../platform/ids.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../schema.js';
import { hashAuditEvent, type ChainedFields } from './chain.js';
import type { AuditEntry } from './actions.js';

/**
 * Appends audit events to the chain inside the caller's transaction, so they commit or roll back
 * with the work they describe. The chain head row is locked (PostgreSQL: FOR UPDATE; SQLite: the
 * single writer) so concurrent writers cannot fork the chain. Call it last in a transaction: the
 * lock is held until commit.
 */
export async function recordAuditEvents(trx: Transaction<DB>, entries: AuditEntry[], clock: Clock): Promise<number[]> {
  assertTransaction(trx);
  if (entries.length === 0) return [];
  let headQuery = trx.selectFrom('auditChainHead').select(['seq', 'hash']).where('id', '=', 1);
  if (isPostgres(trx)) headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();

  let { seq, hash } = head;
  const occurredAt = clock.now().toISOString();
  const rows = entries.map((entry) => {
    seq += 1;
    const fields: ChainedFields = {
      seq,
      id: newId(),
      occurredAt,
      actorType: entry.actor.type,
      actorId: entry.actor.id ?? null,
      actorName: entry.actor.name ?? null,
      actorRole: entry.actor.role ?? null,
      ip: entry.actor.ip ?? null,
      userAgent: entry.actor.userAgent ? entry.actor.userAgent.slice(0, 300) : null,
      action: entry.action,
      patientId: entry.patientId ?? null,
      recordType: entry.recordType ?? null,
      recordId: entry.recordId ?? null,
      outcome: entry.outcome ?? 'success',
      reason: entry.reason ?? null,
      emergency: entry.emergency ? 1 : 0,
      details: entry.details ? JSON.stringify(entry.details) : null,
      prevHash: hash,
    };
    hash = hashAuditEvent(fields);
    return { ...fields, hash };
  });
  // Parameter limits: SQLite allows 32766 bound values, PostgreSQL 65535; 19 columns a row.
  for (let i = 0; i < rows.length; i += 1000) {
    await trx.insertInto('auditEvents').values(rows.slice(i, i + 1000)).execute();
  }
  await trx.updateTable('auditChainHead').set({ seq, hash }).where('id', '=', 1).execute();
  return rows.map((r) => r.seq);
}

/** Appends one audit event inside the caller's transaction. */
export async function recordAuditEvent(trx: Transaction<DB>, entry: AuditEntry, clock: Clock): Promise<number> {
  const [seq] = await recordAuditEvents(trx, [entry], clock);
  return seq;
}
