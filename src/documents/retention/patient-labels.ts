import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { getPatientRow } from '../../patients/index.js';

/** The MRN and name ("FAMILY, Given") of each patient, for the lists supervisors work from. */
export async function patientLabels(db: AppContext['db'] | Transaction<DB>, patientIds: Iterable<string>): Promise<Map<string, { mrn: string; name: string }>> {
  const labels = new Map<string, { mrn: string; name: string }>();
  for (const id of new Set(patientIds)) {
    const p = await getPatientRow(db, id);
    labels.set(id, { mrn: p.mrn, name: `${p.family}, ${p.given}` });
  }
  return labels;
}
