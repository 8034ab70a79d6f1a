import type { Transaction } from 'kysely';
import type { DB } from '../../schema.js';
import type { MergeParticipant } from '../../patients/index.js';

type PatientLinkedTable = 'accountingRequests' | 'amendmentRequests';

/**
 * A merge carries the retired record's rows of a release table to the survivor; an unmerge brings
 * exactly those back. (The disclosure log is append-only and is not moved: see docs/release-accounting.md.)
 */
export function movedInMerge(name: string, table: PatientLinkedTable): MergeParticipant {
  return {
    name,
    async move(trx: Transaction<DB>, retiredId: string, survivorId: string): Promise<string[]> {
      const rows = await trx.selectFrom(table).select('id').where('patientId', '=', retiredId).execute();
      if (rows.length) await trx.updateTable(table).set({ patientId: survivorId }).where('patientId', '=', retiredId).execute();
      return rows.map((r) => r.id);
    },
    async restore(trx: Transaction<DB>, ids: string[], retiredId: string): Promise<void> {
      if (ids.length) await trx.updateTable(table).set({ patientId: retiredId }).where('id', 'in', ids).execute();
    },
  };
}
