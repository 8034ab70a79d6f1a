import type { Kysely } from 'kysely';
import { makeAppendOnly } from '../platform/db/append-only.js';
import { isPostgres } from '../platform/db/connection.js';
import { GENESIS_HASH } from '../audit/chain.js';

/** The audit trail, with triggers that make the database itself refuse UPDATE and DELETE on it. */
export async function up(db: Kysely<any>): Promise<void> {
  // On SQLite an INTEGER PRIMARY KEY is the rowid itself: the trail is stored in seq order.
  const seqType = isPostgres(db) ? 'bigint' : 'integer';
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', seqType, (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text')
    .addColumn('record_type', 'text')
    .addColumn('record_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('emergency', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor_name', 'seq']).execute();
  await db.schema.createIndex('audit_events_patient').on('audit_events').columns(['patient_id', 'seq']).execute();
  await db.schema.createIndex('audit_events_action').on('audit_events').columns(['action', 'seq']).execute();
  await db.schema.createIndex('audit_events_time').on('audit_events').column('occurred_at').execute();

  await db.schema
    .createTable('audit_chain_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('audit_chain_head').values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute();

  await makeAppendOnly(db, 'audit_events', 'audit', 'audit events are append-only');
}



