import type { Kysely } from 'kysely';

/** Visits (encounters), their location and event history, and the reference data they name: providers and locations. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('npi', 'text', (c) => c.unique())
    .addColumn('code', 'text', (c) => c.unique())
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('given', 'text')
    .addColumn('credentials', 'text')
    .addColumn('specialty', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('locations.id'))
    /** The unit/room/bed codes path ("4W", "4W/401", "4W/401/A"): unique, and how encounters name a place. */
    .addColumn('path', 'text', (c) => c.notNull().unique())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('locations_parent').on('locations').column('parent_id').execute();

  await db.schema
    .createTable('encounters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('patient_id', 'text', (c) => c.notNull().references('patients.id'))
    .addColumn('visit_number', 'text', (c) => c.notNull().unique())
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('service', 'text')
    .addColumn('unit', 'text')
    .addColumn('room', 'text')
    .addColumn('bed', 'text')
    .addColumn('planned_at', 'text')
    .addColumn('admitted_at', 'text')
    .addColumn('discharged_at', 'text')
    .addColumn('disposition', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('encounters_patient').on('encounters').columns(['patient_id', 'admitted_at']).execute();
  await db.schema.createIndex('encounters_status_unit').on('encounters').columns(['status', 'unit']).execute();
  await db.schema.createIndex('encounters_discharged').on('encounters').column('discharged_at').execute();

  await db.schema
    .createTable('encounter_locations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('encounter_id', 'text', (c) => c.notNull().references('encounters.id'))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('room', 'text')
    .addColumn('bed', 'text')
    .addColumn('from_at', 'text', (c) => c.notNull())
    .addColumn('to_at', 'text')
    .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('encounter_locations_encounter').on('encounter_locations').columns(['encounter_id', 'from_at']).execute();
  await db.schema.createIndex('encounter_locations_unit').on('encounter_locations').columns(['unit', 'from_at']).execute();

  await db.schema
    .createTable('encounter_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('encounter_id', 'text', (c) => c.notNull().references('encounters.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('encounter_events_encounter').on('encounter_events').columns(['encounter_id', 'version']).execute();

  await db.insertInto('sequences').values({ name: 'visit', value: 0 }).execute();
}
