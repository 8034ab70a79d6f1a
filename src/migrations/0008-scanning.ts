import type { Kysely } from 'kysely';

/** Scanned batches and the documents they were split into (filed, or waiting in the indexing queue). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scan_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('blob_sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('page_count', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('cover_sheets', 'integer', (c) => c.notNull())
    .addColumn('documents_filed', 'integer', (c) => c.notNull())
    .addColumn('pages_awaiting', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scan_batches_received').on('scan_batches').column('received_at').execute();
  // The orphan sweep asks whether a batch still names a blob.
  await db.schema.createIndex('scan_batches_blob').on('scan_batches').column('blob_sha256').execute();

  await db.schema
    .createTable('scan_batch_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('scan_batches.id'))
    .addColumn('first_page', 'integer', (c) => c.notNull())
    .addColumn('last_page', 'integer', (c) => c.notNull())
    .addColumn('cover_sheet_page', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('patient_id', 'text', (c) => c.references('patients.id'))
    .addColumn('encounter_id', 'text', (c) => c.references('encounters.id'))
    .addColumn('type_code', 'text')
    .addColumn('document_id', 'text', (c) => c.references('documents.id'))
    .addColumn('filed_at', 'text')
    .addColumn('filed_by', 'text')
    .execute();
  await db.schema.createIndex('scan_batch_documents_batch').on('scan_batch_documents').columns(['batch_id', 'first_page']).execute();
  await db.schema.createIndex('scan_batch_documents_status').on('scan_batch_documents').columns(['status', 'batch_id']).execute();
}
