import type { Kysely, Transaction } from 'kysely';
import { assertTransaction, isPostgres } from '../platform/db/connection.js';
import { fixedStatement, type FixedStatement } from '../platform/db/fixed-statement.js';
import { newId } from '../platform/ids.js';
import type { Clock } from '../platform/clock.js';
import type { DB } from '../schema.js';
import { hashAuditEvent, type ChainedFields } from './chain.js';
import type { AuditEntry } from './actions.js';
import type { AuditEventsTable } from './schema.js';

/** An event as recorded, waiting for its place in the chain (seq, id and the link to the one before). */
type PendingEvent = Omit<ChainedFields, 'seq' | 'id' | 'prevHash'>;

/**
 * The events waiting in each transaction opened by `transactionWithAuditBatch`, keyed by that
 * transaction: never shared between transactions, gone with them.
 */
const batches = new WeakMap<Transaction<DB>, PendingEvent[]>();

/**
 * Appends audit events to the chain inside the caller's transaction, so they commit or roll back
 * with the work they describe. The chain head row is locked (PostgreSQL: FOR UPDATE; SQLite: the
 * single writer) so concurrent writers cannot fork the chain. Call it last in a transaction: the
 * lock is held until commit. In a transaction opened by `transactionWithAuditBatch`, the events
 * wait (in order, with the time they happened) and join the chain with the rest of that
 * transaction's just before it commits.
 */
export async function recordAuditEvents(trx: Transaction<DB>, entries: AuditEntry[], clock: Clock): Promise<void> {
  assertTransaction(trx);
  if (entries.length === 0) return;
  const occurredAt = clock.now().toISOString();
  const pending = entries.map((entry) => pendingEvent(entry, occurredAt));
  const batch = batches.get(trx);
  if (batch) batch.push(...pending);
  else await appendToChain(trx, pending);
}

/** Appends one audit event inside the caller's transaction. */
export async function recordAuditEvent(trx: Transaction<DB>, entry: AuditEntry, clock: Clock): Promise<void> {
  await recordAuditEvents(trx, [entry], clock);
}

/**
 * Runs `work` in one transaction whose audit events join the chain together just before it
 * commits: one read and one update of the chain head, one insert, however many events the work
 * records (an HL7 message records three). The events still commit or roll back with the work, and
 * on PostgreSQL the head stays locked FOR UPDATE, now only from the end of the work to the commit.
 */
export function transactionWithAuditBatch<T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const pending: PendingEvent[] = [];
    batches.set(trx, pending);
    try {
      const result = await work(trx);
      batches.delete(trx);
      await appendToChain(trx, pending);
      return result;
    } finally {
      batches.delete(trx);
    }
  });
}

/** The event's fields as they are when it is recorded (a later change to the entry changes nothing). */
function pendingEvent(entry: AuditEntry, occurredAt: string): PendingEvent {
  return {
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
  };
}

// The chain's own statements, built once: an HL7 feed appends many times a second.
const readHead = fixedStatement<DB, Record<string, never>, { seq: number; hash: string }>((db) => {
  const q = db.selectFrom('auditChainHead').select(['seq', 'hash']).where('id', '=', 1);
  return isPostgres(db) ? q.forUpdate() : q;
});
const updateHead = fixedStatement<DB, { seq: number; hash: string }>((db, v) =>
  db.updateTable('auditChainHead').set({ seq: v('seq'), hash: v('hash') }).where('id', '=', 1));

const EVENT_COLUMNS = [
  'seq', 'id', 'occurredAt', 'actorType', 'actorId', 'actorName', 'actorRole', 'ip', 'userAgent', 'action',
  'patientId', 'recordType', 'recordId', 'outcome', 'reason', 'emergency', 'details', 'prevHash', 'hash',
] as const satisfies readonly (keyof AuditEventsTable)[];

/** The INSERT of `count` events, for the few counts a transaction usually records (more are built each time). */
const insertOfCount = new Map<number, FixedStatement<DB, Record<string, unknown>, unknown>>();
const FIXED_INSERT_MAX_ROWS = 8;

async function insertEvents(trx: Transaction<DB>, rows: AuditEventsTable[]): Promise<void> {
  if (rows.length > FIXED_INSERT_MAX_ROWS) {
    await trx.insertInto('auditEvents').values(rows).execute();
    return;
  }
  let insert = insertOfCount.get(rows.length);
  if (!insert) {
    const count = rows.length;
    insert = fixedStatement<DB, Record<string, unknown>>((db, v) => db.insertInto('auditEvents').values(
      Array.from({ length: count }, (_, i) => Object.fromEntries(EVENT_COLUMNS.map((c) => [c, v(`${i}.${c}`)])) as unknown as AuditEventsTable),
    ));
    insertOfCount.set(count, insert);
  }
  const values: Record<string, unknown> = {};
  rows.forEach((row, i) => {
    for (const c of EVENT_COLUMNS) values[`${i}.${c}`] = row[c];
  });
  await insert.run(trx, values);
}

async function appendToChain(trx: Transaction<DB>, pending: PendingEvent[]): Promise<void> {
  if (pending.length === 0) return;
  const head = await readHead.first(trx, {});
  if (!head) throw new Error('The audit chain head is missing.');

  let { seq, hash } = head;
  const rows = pending.map((event) => {
    seq += 1;
    const fields: ChainedFields = { seq, id: newId(), ...event, prevHash: hash };
    hash = hashAuditEvent(fields);
    return { ...fields, hash };
  });
  // Parameter limits: SQLite allows 32766 bound values, PostgreSQL 65535; 19 columns a row.
  for (let i = 0; i < rows.length; i += 1000) {
    await insertEvents(trx, rows.slice(i, i + 1000));
  }
  await updateHead.run(trx, { seq, hash });
}
