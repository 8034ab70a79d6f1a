import type { Kysely } from 'kysely';

/** Secure download links for releasing records (token and passcode kept as keyed hashes only). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('release_download_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text')
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('blob_sha256', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('passcode_hash', 'text', (c) => c.notNull())
    .addColumn('recipient_email', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('max_downloads', 'integer', (c) => c.notNull())
    .addColumn('downloads', 'integer', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_download_links_patient').on('release_download_links').columns(['patient_id', 'created_at']).execute();
  await db.schema.createIndex('release_download_links_request').on('release_download_links').column('request_id').execute();
  // The orphan sweep and destruction ask whether any row still names a blob.
  await db.schema.createIndex('release_download_links_blob').on('release_download_links').column('blob_sha256').execute();
}

