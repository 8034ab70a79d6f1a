import type { Transaction } from 'kysely';
import type { DB } from '../../schema.js';
import type { MergeParticipant } from '../../patients/index.js';

/** A merge carries the retired record's release requests to the survivor; an unmerge brings exactly those back. */
export const releaseRequestsInMerge: MergeParticipant = {
  name: 'release_requests',
  async move(trx: Transaction<DB>, retiredId: string, survivorId: string): Promise<string[]> {
    const rows = await trx.selectFrom('releaseRequests').select('id').where('patientId', '=', retiredId).execute();
    if (rows.length) await trx.updateTable('releaseRequests').set({ patientId: survivorId }).where('patientId', '=', retiredId).execute();
    return rows.map((r) => r.id);
  },
  async restore(trx: Transaction<DB>, ids: string[], retiredId: string): Promise<void> {
    await trx.updateTable('releaseRequests').set({ patientId: retiredId }).where('id', 'in', ids).execute();
  },
};
