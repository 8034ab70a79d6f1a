import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../schema.js';
import { fixedStatement } from '../../platform/db/fixed-statement.js';
import type { InterfaceMessagesTable } from './schema.js';

/**
 * The statements every accepted message runs on the message store, built once (see
 * fixedStatement): a feed runs them many times a second.
 */

type AcceptedRow = Pick<InterfaceMessagesTable,
  'id' | 'status' | 'receivedAt' | 'processedAt' | 'ackCode' | 'controlId' | 'sendingApplication' | 'sendingFacility' | 'messageType'
  | 'triggerEvent' | 'version' | 'dedupKey' | 'rawSealed' | 'parsedSealed' | 'attempts' | 'replaces'>;

const ACCEPTED_COLUMNS = [
  'id', 'status', 'receivedAt', 'processedAt', 'ackCode', 'controlId', 'sendingApplication', 'sendingFacility', 'messageType',
  'triggerEvent', 'version', 'dedupKey', 'rawSealed', 'parsedSealed', 'attempts', 'replaces',
] as const satisfies readonly (keyof AcceptedRow)[];

const insertAccepted = fixedStatement<DB, AcceptedRow>((db, v) =>
  db.insertInto('interfaceMessages')
    .values(Object.fromEntries(ACCEPTED_COLUMNS.map((c) => [c, v(c)])) as unknown as AcceptedRow)
    .onConflict((oc) => oc.column('dedupKey').doNothing()));

/** Stores a message about to be applied; false when its dedup key is taken (a repeat), and nothing is stored. */
export async function insertAcceptedMessage(trx: Transaction<DB>, row: AcceptedRow): Promise<boolean> {
  const result = await insertAccepted.run(trx, row);
  return Number(result.numAffectedRows ?? 0) === 1;
}

type Outcome = Pick<InterfaceMessagesTable, 'id' | 'status' | 'processedAt' | 'patientId' | 'visitNumber' | 'errorText'>;

const updateOutcome = fixedStatement<DB, Outcome>((db, v) =>
  db.updateTable('interfaceMessages')
    .set({ status: v('status'), processedAt: v('processedAt'), patientId: v('patientId'), visitNumber: v('visitNumber'), errorText: v('errorText') })
    .where('id', '=', v('id')));

/** What became of a message just applied (processed or held), with the patient and visit it concerns. */
export async function recordMessageOutcome(trx: Transaction<DB>, outcome: Outcome): Promise<void> {
  await updateOutcome.run(trx, outcome);
}

type HeldRow = Pick<InterfaceMessagesTable, 'id' | 'rawSealed' | 'sendingApplication'>;

const heldOfPatient = fixedStatement<DB, { patientId: string }, HeldRow>((db, v) =>
  db.selectFrom('interfaceMessages').select(['id', 'rawSealed', 'sendingApplication'])
    .where('status', '=', 'held').where('replacedBy', 'is', null)
    .where('patientId', '=', v('patientId'))
    .orderBy('receivedAt').orderBy('id'));

const heldOfPatientOrVisit = fixedStatement<DB, { patientId: string; visitNumber: string }, HeldRow>((db, v) =>
  db.selectFrom('interfaceMessages').select(['id', 'rawSealed', 'sendingApplication'])
    .where('status', '=', 'held').where('replacedBy', 'is', null)
    .where((eb) => eb.or([eb('patientId', '=', v('patientId')), eb('visitNumber', '=', v('visitNumber'))]))
    .orderBy('receivedAt').orderBy('id'));

/** Held messages (not replaced by a correction) of this patient or visit, oldest first. */
export async function findHeldMessages(db: Kysely<DB>, patientId: string, visitNumber: string | null): Promise<HeldRow[]> {
  const result = visitNumber ? await heldOfPatientOrVisit.run(db, { patientId, visitNumber }) : await heldOfPatient.run(db, { patientId });
  return result.rows;
}
