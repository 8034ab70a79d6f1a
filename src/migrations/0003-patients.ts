import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../platform/db/connection.js';

export async function up(db: Kysely<any>): Promise<void> {
  // Search keys compare byte by byte on every dialect, so prefix ranges work whatever the database's
  // collation (SQLite compares bytes already; PostgreSQL would otherwise use the locale's order).
  const keyText = isPostgres(db) ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable('patients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mrn', 'text', (c) => c.notNull().unique())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('merged_into', 'text')
    .addColumn('given', 'text', (c) => c.notNull())
    .addColumn('middle', 'text')
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('suffix', 'text')
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('death_date', 'text')
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('family_key', keyText, (c) => c.notNull())
    .addColumn('given_key', keyText, (c) => c.notNull())
    .addColumn('given_canon', keyText, (c) => c.notNull())
    .addColumn('family_phonetic', keyText, (c) => c.notNull())
    .addColumn('postal_code', 'text')
    .addColumn('email', 'text')
    .addColumn('ssn_last4', 'text')
    .addColumn('ssn_hash', 'text')
    .addColumn('ssn_sealed', 'text')
    .addColumn('drivers_licence_sealed', 'text')
    .addColumn('flag_vip', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flag_employee', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flag_restricted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('flag_do_not_release', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('legal_hold_reason', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patients_birth_family').on('patients').columns(['birth_date', 'family_key']).execute();
  await db.schema.createIndex('patients_ssn_hash').on('patients').column('ssn_hash').execute();
  await db.schema.createIndex('patients_ssn_last4_birth').on('patients').columns(['ssn_last4', 'birth_date']).execute();
  await db.schema.createIndex('patients_postal_family').on('patients').columns(['postal_code', 'family_key']).execute();
  await db.schema.createIndex('patients_email').on('patients').column('email').execute();

  await db.schema
    .createTable('patient_names')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('family_key', keyText, (c) => c.notNull())
    .addColumn('given_key', keyText, (c) => c.notNull())
    .addColumn('given_canon', keyText, (c) => c.notNull())
    .addColumn('family_phonetic', keyText, (c) => c.notNull())
    .addColumn('given_phonetic', keyText, (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .execute();
  // Prefix search on family then given; phonetic and nickname look-ups with the birth date.
  await db.schema.createIndex('patient_names_family_given').on('patient_names').columns(['family_key', 'given_key']).execute();
  await db.schema.createIndex('patient_names_phonetic_birth').on('patient_names').columns(['family_phonetic', 'birth_date']).execute();
  await db.schema.createIndex('patient_names_canon_birth').on('patient_names').columns(['given_canon', 'birth_date']).execute();
  await db.schema.createIndex('patient_names_birth').on('patient_names').columns(['birth_date', 'family_key']).execute();
  await db.schema.createIndex('patient_names_patient').on('patient_names').column('patient_id').execute();

  await db.schema
    .createTable('patient_identifiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('patient_identifiers_system_value', ['system', 'value'])
    .execute();
  await db.schema.createIndex('patient_identifiers_value').on('patient_identifiers').column('value').execute();
  await db.schema.createIndex('patient_identifiers_patient').on('patient_identifiers').column('patient_id').execute();

  await db.schema
    .createTable('patient_phones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('digits', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('patient_phones_digits').on('patient_phones').column('digits').execute();
  await db.schema.createIndex('patient_phones_patient').on('patient_phones').column('patient_id').execute();

  await db.schema
    .createTable('patient_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addUniqueConstraint('patient_versions_patient_version', ['patient_id', 'version'])
    .execute();

  await db.schema
    .createTable('duplicate_candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_a', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('patient_b', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('score', isPostgres(db) ? 'double precision' : 'real', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('found_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('note', 'text')
    .addUniqueConstraint('duplicate_candidates_pair', ['patient_a', 'patient_b'])
    .execute();
  await db.schema.createIndex('duplicate_candidates_status').on('duplicate_candidates').columns(['status', 'score']).execute();
  await db.schema.createIndex('duplicate_candidates_b').on('duplicate_candidates').column('patient_b').execute();

  await db.schema
    .createTable('patient_merges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survivor_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('retired_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('merged_at', 'text', (c) => c.notNull())
    .addColumn('merged_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('undone_at', 'text')
    .addColumn('undone_by', 'text')
    .execute();
  await db.schema.createIndex('patient_merges_retired').on('patient_merges').column('retired_id').execute();
  await db.schema.createIndex('patient_merges_survivor').on('patient_merges').column('survivor_id').execute();

  await db.schema
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('sequences').values({ name: 'mrn', value: 0 }).execute();
}
