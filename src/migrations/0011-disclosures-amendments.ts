import type { Kysely } from 'kysely';
import { makeAppendOnly } from '../platform/db/append-only.js';

/**
 * The disclosure log (append-only: the database refuses UPDATE and DELETE, as on the audit trail),
 * agency suspensions, requests for an accounting, and amendment requests with their notifications
 * and statements (45 CFR 164.526, 164.528).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('disclosures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('disclosed_at', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('recipient_key', 'text', (c) => c.notNull())
    .addColumn('recipient_address', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('release_request_id', 'text')
    .addColumn('document_ids', 'text', (c) => c.notNull())
    .addColumn('corrects_id', 'text', (c) => c.references('disclosures.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  // The accounting reads one patient's disclosures over a period: the index covers every column it
  // groups by, so 10,000 disclosures are read from the index alone, without a table look-up each.
  await db.schema.createIndex('disclosures_patient_time').on('disclosures')
    .columns(['patient_id', 'disclosed_at', 'kind', 'recipient_key', 'purpose', 'corrects_id', 'id']).execute();

  await makeAppendOnly(db, 'disclosures', 'disclosure', 'disclosures are append-only: record a correcting entry');

  await db.schema
    .createTable('disclosure_suspensions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('agency_name', 'text', (c) => c.notNull())
    .addColumn('agency_key', 'text', (c) => c.notNull())
    .addColumn('patient_id', 'text', (c) => c.references('patients.id'))
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('until_date', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disclosure_suspensions_until').on('disclosure_suspensions').column('until_date').execute();

  await db.schema
    .createTable('accounting_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('extended_due_on', 'text')
    .addColumn('extension_reason', 'text')
    .addColumn('fee_cents', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer')
    .addColumn('letter_sha256', 'text')
    .addColumn('fulfilled_at', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounting_requests_patient').on('accounting_requests').columns(['patient_id', 'received_on']).execute();

  await db.schema
    .createTable('amendment_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('requested_change', 'text', (c) => c.notNull())
    .addColumn('document_ids', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('extended_due_on', 'text')
    .addColumn('extension_reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('amendment_text', 'text')
    .addColumn('denial_basis', 'text')
    .addColumn('denial_explanation', 'text')
    .addColumn('send_with_disclosures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('letter_sha256', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('amendment_requests_patient').on('amendment_requests').columns(['patient_id', 'received_on']).execute();
  await db.schema.createIndex('amendment_requests_status').on('amendment_requests').columns(['status', 'due_on']).execute();

  await db.schema
    .createTable('amendment_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('amendment_id', 'text', (c) => c.notNull().references('amendment_requests.id'))
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('recipient_address', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('letter_sha256', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('amendment_notifications_amendment').on('amendment_notifications').column('amendment_id').execute();

  await db.schema
    .createTable('amendment_statements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('amendment_id', 'text', (c) => c.notNull().references('amendment_requests.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('amendment_statements_amendment').on('amendment_statements').column('amendment_id').execute();
}
