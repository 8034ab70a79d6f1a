import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestChartroom } from '../../test/support/chartroom.js';
import { SyntheticPatients } from '../../bench/synthetic-index.js';
import { SYSTEM_ACTOR } from '../audit/actions.js';
import { findMatchCandidates, findMatchCandidatesOfMany } from './candidates.js';
import { findDuplicatesWithinBatch } from './batch-registration.js';
import type { Demographics } from './demographics.js';
import { toMatchRecord } from './keys.js';
import { sealIdentifiers, storedDemographics } from './patient-record.js';
import { insertPatients } from './registration.js';

/** How a second registration of someone differs from the first: the errors the MPI is built to see through. */
const variants: ((d: Demographics) => Demographics)[] = [
  (d) => d,
  (d) => ({ ...d, given: d.given.slice(0, 1) + d.given.slice(1).replace(/[aeiou]/, 'y'), ssn: undefined }),
  (d) => ({ ...d, birthDate: `${d.birthDate.slice(0, 4)}-${d.birthDate.slice(8, 10)}-${d.birthDate.slice(5, 7)}`, phones: [] }),
  (d) => ({ ...d, family: `${d.family}-Reyes`, previousNames: [{ family: d.family, given: d.given }], email: undefined }),
  (d) => ({ ...d, given: 'Someone', family: 'Elsewise', ssn: undefined, email: undefined, addresses: [] }),
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: likely duplicates of a batch`, () => {
    const ctx = useTestChartroom(dialect);
    const recordOf = (d: Demographics) => {
      const sealed = sealIdentifiers(ctx().keyring, { ssn: d.ssn });
      return toMatchRecord(storedDemographics(d), { hash: sealed.ssnHash, last4: sealed.ssnLast4 });
    };

    it('finds in one look-up per kind of key the same candidates as one look-up per record', async () => {
      const generator = new SyntheticPatients(4242);
      const registered = Array.from({ length: 400 }, () => generator.next());
      await ctx().db.transaction().execute((trx) => insertPatients(trx, ctx(), SYSTEM_ACTOR, registered));
      const arriving = registered.slice(0, 150).map((d, i) => variants[i % variants.length](d)).concat(Array.from({ length: 30 }, () => generator.next()));
      const records = arriving.map(recordOf);

      const together = await findMatchCandidatesOfMany(ctx().db, records);
      const oneByOne = await Promise.all(records.map((r) => findMatchCandidates(ctx().db, r)));
      const summary = (list: { patientId: string; grade: string; weight: number }[][]) => list.map((cs) => cs.map((c) => `${c.patientId} ${c.grade} ${c.weight.toFixed(3)}`));
      expect(summary(together)).toEqual(summary(oneByOne));
      // The set is not trivial: most second registrations are found, the new people are not.
      expect(together.slice(0, 150).filter((cs) => cs.length > 0).length).toBeGreaterThan(100);
    });

    it('pairs the registrations of a batch that are one person, the later naming the earlier', () => {
      const generator = new SyntheticPatients(777);
      const people = Array.from({ length: 60 }, () => generator.next());
      const batch = [...people, variants[1](people[7]), variants[2](people[30]), variants[3](people[59])];
      const matches = findDuplicatesWithinBatch(batch.map(recordOf));
      expect(matches.slice(0, 60).every((m) => m.length === 0)).toBe(true);
      expect(matches.slice(60).map((m) => m.map((x) => x.index))).toEqual([[7], [30], [59]]);
    });
  });
}
