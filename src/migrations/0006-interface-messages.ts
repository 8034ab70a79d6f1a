import type { Kysely } from 'kysely';

/**
 * Every HL7 v2 message the interface received: the raw text and its parse result sealed (they hold
 * PHI), and beside them only PHI-free summary columns the monitor filters on.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('interface_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addColumn('control_id', 'text')
    .addColumn('sending_application', 'text')
    .addColumn('sending_facility', 'text')
    .addColumn('message_type', 'text')
    .addColumn('trigger_event', 'text')
    .addColumn('version', 'text')
    .addColumn('ack_code', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_location', 'text')
    .addColumn('error_text', 'text')
    .addColumn('patient_id', 'text')
    .addColumn('visit_number', 'text')
    // Set on the one accepted copy of a sending facility's control id: a repeat cannot be applied twice.
    .addColumn('dedup_key', 'text', (c) => c.unique())
    .addColumn('raw_sealed', 'text', (c) => c.notNull())
    .addColumn('parsed_sealed', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('replaces', 'text')
    .addColumn('replaced_by', 'text')
    .addColumn('corrected_by', 'text')
    .execute();
  await db.schema.createIndex('interface_messages_received').on('interface_messages').column('received_at').execute();
  await db.schema.createIndex('interface_messages_status_received').on('interface_messages').columns(['status', 'received_at']).execute();
  await db.schema.createIndex('interface_messages_control_id').on('interface_messages').columns(['control_id', 'sending_facility']).execute();
  await db.schema.createIndex('interface_messages_held_patient').on('interface_messages').columns(['status', 'patient_id']).execute();
  await db.schema.createIndex('interface_messages_held_visit').on('interface_messages').columns(['status', 'visit_number']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('interface_messages').execute();
}
