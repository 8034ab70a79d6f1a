import type { Kysely } from 'kysely';

/** Release packets: one row per build of a request's packet, with its quality check and delivery. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('release_packets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('release_requests.id'))
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('blob_sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('page_count', 'integer', (c) => c.notNull())
    .addColumn('pages', 'text', (c) => c.notNull())
    .addColumn('document_ids', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('built_by', 'text', (c) => c.notNull())
    .addColumn('built_by_name', 'text', (c) => c.notNull())
    .addColumn('built_at', 'text', (c) => c.notNull())
    .addColumn('checked_by', 'text')
    .addColumn('checked_by_name', 'text')
    .addColumn('checked_at', 'text')
    .addColumn('check_note', 'text')
    .addColumn('delivery', 'text')
    .addColumn('released_at', 'text')
    .execute();
  await db.schema.createIndex('release_packets_request').on('release_packets').columns(['request_id', 'version']).unique().execute();
  await db.schema.createIndex('release_packets_blob').on('release_packets').column('blob_sha256').execute();
}
