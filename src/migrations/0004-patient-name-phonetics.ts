import type { Kysely } from 'kysely';

/** Sounds-like look-ups narrowed by the given name: family phonetic code with the given name's keys. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('patient_names_phonetic_canon').on('patient_names').columns(['family_phonetic', 'given_canon']).execute();
  await db.schema.createIndex('patient_names_phonetic_given').on('patient_names').columns(['family_phonetic', 'given_phonetic']).execute();
}
