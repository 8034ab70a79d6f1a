import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestChartroom } from '../../test/support/chartroom.js';
import { patientInput } from '../../test/support/patients.js';
import type { AuditActor } from '../audit/actions.js';
import { Demographics, type DemographicsInput } from './demographics.js';
import { identifyOrRegisterPatient, type IdentifyRequest } from './identification.js';

const FEED: AuditActor = { type: 'system', name: 'hl7:test-feed' };
const OTHER = 'urn:oid:2.16.840.1.113883.19.5';

for (const dialect of DIALECTS) {
  describe(`${dialect}: identifying a feed's patient through the MPI`, () => {
    const ctx = useTestChartroom(dialect);
    const identify = (input: DemographicsInput, extra: Partial<IdentifyRequest> = {}) =>
      ctx().db.transaction().execute((trx) =>
        identifyOrRegisterPatient(trx, ctx(), FEED, { mrns: [], demographics: Demographics.parse(input), update: false, reason: 'HL7 test', ...extra }));
    const identifiersOf = async (patientId: string) =>
      (await ctx().db.selectFrom('patientIdentifiers').select(['system', 'value']).where('patientId', '=', patientId).where('type', '!=', 'MRN').execute());

    it('registers a patient nobody resembles, with the other facility\'s identifier', async () => {
      const who = await identify(patientInput({ family: 'Quennell', given: 'Isolde', ssn: undefined, identifiers: [{ system: OTHER, value: 'A-1', type: 'MR' }] }));
      expect(who.how).toBe('registered');
      expect(await identifiersOf(who.patientId)).toEqual([{ system: OTHER, value: 'A-1' }]);
    });

    it('finds a known identifier\'s patient, and on an update takes the sender\'s demographics', async () => {
      const first = await identify(patientInput({ family: 'Marchetti', given: 'Lia', ssn: undefined, identifiers: [{ system: OTHER, value: 'B-2', type: 'MR' }] }));
      const again = await identify(patientInput({ family: 'Marchetti-Ross', given: 'Lia', ssn: undefined, identifiers: [{ system: OTHER, value: 'B-2', type: 'MR' }] }), { update: true });
      // The row it answers is the record as stored now, so the caller need not read it again.
      const stored = await ctx().db.selectFrom('patients').selectAll().where('id', '=', first.patientId).executeTakeFirstOrThrow();
      expect(again).toEqual({ patientId: first.patientId, patient: stored, how: 'identifier', suspects: 0 });
      const row = await ctx().db.selectFrom('patients').select(['family', 'version']).where('id', '=', first.patientId).executeTakeFirstOrThrow();
      expect(row).toEqual({ family: 'Marchetti-Ross', version: 2 });
    });

    it('finds a patient by our own MRN, and refuses an MRN of ours that is not on file', async () => {
      const first = await identify(patientInput({ family: 'Oyelaran', given: 'Bisi', ssn: undefined }));
      const { mrn } = await ctx().db.selectFrom('patients').select('mrn').where('id', '=', first.patientId).executeTakeFirstOrThrow();
      expect((await identify(patientInput({ family: 'Oyelaran', given: 'Bisi', ssn: undefined }), { mrns: [mrn] })).how).toBe('identifier');
      await expect(identify(patientInput({ family: 'Oyelaran', given: 'Bisi', ssn: undefined }), { mrns: ['M999999999'] })).rejects.toMatchObject({ code: 'patient.unknown-mrn' });
    });

    it('takes a certain match as that patient and gives it the new identifier', async () => {
      const first = await identify(patientInput({ family: 'Tremaine', given: 'Rufus', ssn: '219-09-1234' }));
      const again = await identify(patientInput({ family: 'Tremaine', given: 'Rufus', ssn: '219-09-1234', identifiers: [{ system: OTHER, value: 'C-3', type: 'MR' }] }));
      const stored = await ctx().db.selectFrom('patients').selectAll().where('id', '=', first.patientId).executeTakeFirstOrThrow();
      expect(again).toEqual({ patientId: first.patientId, patient: stored, how: 'certain_match', suspects: 0 });
      expect(await identifiersOf(first.patientId)).toEqual([{ system: OTHER, value: 'C-3' }]);
    });

    it('never guesses: a likely but uncertain match gets a new record and both go on the duplicates queue', async () => {
      const first = await identify(patientInput({ family: 'Vandermeer', given: 'Hanna', ssn: undefined }));
      const again = await identify(patientInput({
        family: 'Vandermeer', given: 'Hanna', ssn: undefined, email: undefined, phones: [],
        addresses: [{ use: 'home', line1: '9 Elm Court', city: 'Bangor', state: 'ME', postalCode: '04401' }],
        identifiers: [{ system: OTHER, value: 'D-4', type: 'MR' }],
      }));
      expect(again.how).toBe('registered_with_suspects');
      expect(again.patientId).not.toBe(first.patientId);
      const pairs = await ctx().db.selectFrom('duplicateCandidates').select(['patientA', 'patientB', 'foundBy']).execute();
      expect(pairs).toContainEqual({ patientA: [first.patientId, again.patientId].sort()[0], patientB: [first.patientId, again.patientId].sort()[1], foundBy: 'registration' });
    });

    it('refuses identifiers that name two different patients', async () => {
      await identify(patientInput({ family: 'Abernethy', given: 'Col', ssn: undefined, identifiers: [{ system: OTHER, value: 'E-5', type: 'MR' }] }));
      await identify(patientInput({ family: 'Bexley', given: 'Dora', birthDate: '1990-01-01', ssn: undefined, identifiers: [{ system: OTHER, value: 'E-6', type: 'MR' }] }));
      await expect(identify(patientInput({ family: 'Bexley', given: 'Dora', ssn: undefined, identifiers: [{ system: OTHER, value: 'E-5', type: 'MR' }, { system: OTHER, value: 'E-6', type: 'MR' }] })))
        .rejects.toMatchObject({ code: 'patient.identifiers-disagree' });
    });
  });
}
