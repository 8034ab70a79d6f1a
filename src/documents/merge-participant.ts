import type { Transaction } from 'kysely';
import type { DB } from '../schema.js';
import type { MergeParticipant } from '../patients/index.js';
import { DomainError } from '../platform/errors.js';

/**
 * A merge carries the retired record's documents to the survivor; an unmerge brings exactly those
 * back. A legal hold on the retired record's documents refuses the merge (a hold blocks merge of what
 * it covers), and the merge's transaction undoes everything.
 */
export const documentsInMerge: MergeParticipant = {
  name: 'documents',
  async move(trx: Transaction<DB>, retiredId: string, survivorId: string): Promise<string[]> {
    const held = await trx.selectFrom('legalHolds').select('id').where('patientId', '=', retiredId).where('releasedAt', 'is', null).executeTakeFirst();
    if (held) throw new DomainError('conflict', 'patient.legal-hold', "A legal hold covers documents of the record being merged away; release it before merging.");
    const rows = await trx.selectFrom('documents').select('id').where('patientId', '=', retiredId).execute();
    if (rows.length) await trx.updateTable('documents').set({ patientId: survivorId }).where('patientId', '=', retiredId).execute();
    return rows.map((r) => r.id);
  },
  async restore(trx: Transaction<DB>, ids: string[], retiredId: string): Promise<void> {
    if (ids.length) await trx.updateTable('documents').set({ patientId: retiredId }).where('id', 'in', ids).execute();
  },
};
