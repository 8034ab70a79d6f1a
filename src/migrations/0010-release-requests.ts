import type { Kysely } from 'kysely';

/** Release-of-information requests, their history, and the letters sent about them. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('release_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('requester_kind', 'text', (c) => c.notNull())
    .addColumn('basis_kind', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('original_due_date', 'text')
    .addColumn('assigned_to', 'text', (c) => c.references('users.id'))
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  // The work queue: open requests by due date.
  await db.schema.createIndex('release_requests_queue').on('release_requests').columns(['status', 'due_date']).execute();
  await db.schema.createIndex('release_requests_patient').on('release_requests').column('patient_id').execute();
  await db.schema.createIndex('release_requests_assignee').on('release_requests').columns(['assigned_to', 'due_date']).execute();

  await db.schema
    .createTable('release_request_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('release_requests.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('release_request_events_request').on('release_request_events').columns(['request_id', 'at']).execute();

  await db.schema
    .createTable('release_request_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('release_requests.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('blob_sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_request_letters_request').on('release_request_letters').column('request_id').execute();
}
