import type { Kysely } from 'kysely';

/**
 * Retention and legal hold: the retention rules (seeded with the defaults of docs/documents.md),
 * each document's computed "eligible for destruction from" date, legal holds on a patient's
 * documents or some of them, and destruction batches with their certificates.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retention_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // 'default', 'category' or 'type'; `applies_to` is '' for the default, else the category or LOINC code.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('applies_to', 'text', (c) => c.notNull())
    .addColumn('adult_years', 'integer', (c) => c.notNull())
    .addColumn('majority_age', 'integer', (c) => c.notNull())
    .addColumn('minor_years_after_majority', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('retention_rules_scope_applies_to', ['scope', 'applies_to'])
    .execute();
  await db.insertInto('retention_rules').values({
    id: '0192f000-0000-7000-8000-000000000001', scope: 'default', applies_to: '', adult_years: 10, majority_age: 18,
    minor_years_after_majority: 10, updated_at: '2026-11-25T00:00:00.000Z', updated_by: 'chartroom',
  }).execute();

  await db.schema
    .createTable('document_retention')
    .addColumn('document_id', 'text', (c) => c.primaryKey().references('documents.id'))
    .addColumn('eligible_from', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('document_retention_eligible').on('document_retention').columns(['eligible_from', 'document_id']).execute();

  await db.schema
    .createTable('legal_holds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    // 'patient': every document of the patient, present and future; 'documents': those in legal_hold_documents.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('matter', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'text', (c) => c.notNull())
    .addColumn('placed_by', 'text', (c) => c.notNull())
    .addColumn('released_at', 'text')
    .addColumn('released_by', 'text')
    .addColumn('release_reason', 'text')
    .execute();
  await db.schema.createIndex('legal_holds_patient').on('legal_holds').columns(['patient_id', 'released_at']).execute();
  await db.schema.createIndex('legal_holds_released').on('legal_holds').columns(['released_at', 'placed_at']).execute();
  await db.schema
    .createTable('legal_hold_documents')
    .addColumn('hold_id', 'text', (c) => c.notNull().references('legal_holds.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addPrimaryKeyConstraint('legal_hold_documents_pk', ['hold_id', 'document_id'])
    .execute();
  await db.schema.createIndex('legal_hold_documents_document').on('legal_hold_documents').column('document_id').execute();

  await db.schema
    .createTable('destruction_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_by_id', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_by_id', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('certificate_number', 'text', (c) => c.unique())
    .addColumn('certificate_sha256', 'text')
    .execute();
  await db.schema.createIndex('destruction_batches_status').on('destruction_batches').columns(['status', 'proposed_at']).execute();
  await db.schema
    .createTable('destruction_batch_documents')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('destruction_batches.id'))
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addPrimaryKeyConstraint('destruction_batch_documents_pk', ['batch_id', 'document_id'])
    .execute();
  await db.schema.createIndex('destruction_batch_documents_document').on('destruction_batch_documents').column('document_id').execute();
  await db.insertInto('sequences').values({ name: 'destruction_certificate', value: 0 }).execute();
}
