import type { Transaction } from 'kysely';

/** A named counter (MRNs, visit numbers). */
export interface SequencesTable {
  name: string;
  value: number;
}

/** Reserves `count` consecutive numbers of a named sequence; answers the first. The row lock orders concurrent callers. */
export async function reserveSequence<DB extends { sequences: SequencesTable }>(trx: Transaction<DB>, name: string, count = 1): Promise<number> {
  const { value } = await (trx as unknown as Transaction<{ sequences: SequencesTable }>)
    .updateTable('sequences')
    .set((eb) => ({ value: eb('value', '+', count) }))
    .where('name', '=', name)
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(value) - count + 1;
}
