import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/chartroom.js';
import { auditEventsWhere, expectProblem, send, signedInUser, useTestApp, type SignedInUser } from '../../test/support/http.js';
import { patientInput } from '../../test/support/patients.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: merging and unmerging duplicate records`, () => {
    const { app, ctx } = useTestApp(dialect);
    let clerk: SignedInUser;
    let supervisor: SignedInUser;
    let survivor: { id: string; mrn: string };
    let retired: { id: string; mrn: string };
    let mergeId: string;

    it('finds the pair in a scan of the index', async () => {
      clerk = await signedInUser(app(), ctx(), 'merge.clerk', 'records_clerk');
      supervisor = await signedInUser(app(), ctx(), 'merge.supervisor', 'him_supervisor');
      const first = await send(app(), clerk.session, 'POST', '/api/patients', patientInput());
      survivor = first.json().patient;
      // Registered again at another desk with a nickname, a new phone and another insurer; the clerk overrode the warning.
      const second = await send(app(), clerk.session, 'POST', '/api/patients', {
        ...patientInput({ given: 'Bill', ssn: undefined, phones: [{ use: 'mobile', number: '207-555-0177' }], coverages: [{ payer: 'Anthem', memberId: 'ANT-555', subscriberRelationship: 'self', order: 1 }] }),
        duplicateReason: 'No ID card at the desk',
      });
      expect(second.statusCode, second.body).toBe(201);
      retired = second.json().patient;
      await ctx().db.deleteFrom('duplicateCandidates').execute();

      let afterId: string | null = null;
      let queued = 0;
      do {
        const res = await send(app(), supervisor.session, 'POST', '/api/duplicates/scan', { afterId, batchSize: 1 });
        expect(res.statusCode, res.body).toBe(200);
        queued += res.json().queued;
        afterId = res.json().nextAfterId;
      } while (afterId);
      expect(queued).toBe(1);
      const pairs = (await send(app(), supervisor.session, 'GET', '/api/duplicates')).json().pairs;
      expect(pairs).toHaveLength(1);
      expect([pairs[0].a.id, pairs[0].b.id].sort()).toEqual([survivor.id, retired.id].sort());
    });

    it('previews which values survive', async () => {
      const preview = (await send(app(), supervisor.session, 'GET', `/api/merges/preview?survivorId=${survivor.id}&retiredId=${retired.id}`)).json();
      expect(preview.problems).toEqual([]);
      expect(preview.merged.given).toBe('William');
      expect(preview.sources.phones).toBe('both');
      expect(preview.merged.coverages.map((c: { payer: string; order: number }) => [c.payer, c.order])).toEqual([['Medicare Part A', 1], ['Anthem', 2]]);
      expect(preview.merged.previousNames).toEqual([{ given: 'Bill', family: 'Okafor' }]);
      expect(preview.sources.previousNames).toBe('retired');
      // How alike the pair is, as the duplicates queue found it.
      const [pair] = (await send(app(), supervisor.session, 'GET', '/api/duplicates')).json().pairs;
      expect(preview.match).toMatchObject({ grade: pair.grade, score: pair.score });
      expect(preview.match.weight).toBeCloseTo(preview.match.fields.reduce((sum: number, f: { weight: number }) => sum + f.weight, 0), 9);
    });

    it('refuses a records clerk the merge, and refuses a merge under legal hold', async () => {
      expectProblem(await send(app(), clerk.session, 'POST', '/api/merges', { survivorId: survivor.id, retiredId: retired.id, reason: 'same person' }), 403, 'access.forbidden');
      expect((await send(app(), supervisor.session, 'PUT', `/api/patients/${retired.id}/legal-hold`, { reason: 'Smith v. County General, litigation hold' })).statusCode).toBe(200);
      expectProblem(await send(app(), supervisor.session, 'POST', '/api/merges', { survivorId: survivor.id, retiredId: retired.id, reason: 'same person' }), 409, 'patient.legal-hold');
      expectProblem(await send(app(), supervisor.session, 'PUT', `/api/patients/${retired.id}/legal-hold`, { reason: 'Another matter' }), 409, 'patient.legal-hold-exists');
      expect((await send(app(), supervisor.session, 'DELETE', `/api/patients/${retired.id}/legal-hold`)).statusCode).toBe(200);
      expectProblem(await send(app(), supervisor.session, 'DELETE', `/api/patients/${retired.id}/legal-hold`), 409, 'patient.no-legal-hold');
    });

    it('merges: the survivor keeps both phones and insurers, the retired MRN still finds it, both trails show it', async () => {
      const res = await send(app(), supervisor.session, 'POST', '/api/merges', { survivorId: survivor.id, retiredId: retired.id, reason: 'Same DOB, address and SSN on the ID card' });
      expect(res.statusCode, res.body).toBe(201);
      mergeId = res.json().merge.id;
      const merged = res.json().survivor;
      expect(merged.aliasMrns).toEqual([retired.mrn]);
      expect(merged.phones).toHaveLength(2);
      const found = (await send(app(), clerk.session, 'GET', `/api/patients?text=${retired.mrn}`)).json().results;
      expect(found.map((r: { id: string }) => r.id)).toEqual([survivor.id]);
      expect(found[0].matchedOn).toContain('previous MRN');
      const old = (await send(app(), clerk.session, 'GET', `/api/patients/${retired.id}`)).json().patient;
      expect(old).toMatchObject({ status: 'merged', mergedInto: survivor.id });
      expect((await auditEventsWhere(ctx(), { patientId: retired.id })).some((e) => e.recordType === 'patient_merge')).toBe(true);
      expect((await auditEventsWhere(ctx(), { patientId: survivor.id })).some((e) => e.recordType === 'patient_merge')).toBe(true);
      const pair = await ctx().db.selectFrom('duplicateCandidates').select('status').executeTakeFirstOrThrow();
      expect(pair.status).toBe('merged');
      expectProblem(await send(app(), clerk.session, 'PUT', `/api/patients/${retired.id}`, { version: old.version, patient: patientInput({ given: 'Bill' }) }), 409, 'patient.merged');
    });

    it('undoes the merge from its history, keeping edits made to the survivor since', async () => {
      const current = (await send(app(), clerk.session, 'GET', `/api/patients/${survivor.id}`)).json().patient;
      const { id: _id, mrn: _mrn, version, status: _s, mergedInto: _m, ssnLast4: _l, hasDriversLicence: _h, legalHoldReason: _lh, aliasMrns: _a, deceased: _d, createdAt: _c, updatedAt: _u, ...demographics } = current;
      const edited = await send(app(), clerk.session, 'PUT', `/api/patients/${survivor.id}`, { version, patient: { ...demographics, email: 'william.okafor@example.org' } });
      expect(edited.statusCode, edited.body).toBe(200);

      const undo = await send(app(), supervisor.session, 'POST', `/api/merges/${mergeId}/undo`, { reason: 'Turned out to be his cousin' });
      expect(undo.statusCode, undo.body).toBe(200);
      const { survivor: after, restored } = undo.json();
      expect(after.email).toBe('william.okafor@example.org');
      expect(after.aliasMrns).toEqual([]);
      expect(after.phones).toHaveLength(1);
      expect(after.coverages.map((c: { payer: string }) => c.payer)).toEqual(['Medicare Part A']);
      expect(after.previousNames).toEqual([]);
      expect(restored).toMatchObject({ id: retired.id, mrn: retired.mrn, status: 'active', given: 'Bill' });
      const byOldMrn = (await send(app(), clerk.session, 'GET', `/api/patients?text=${retired.mrn}`)).json().results;
      expect(byOldMrn.map((r: { id: string }) => r.id)).toEqual([retired.id]);
      expectProblem(await send(app(), supervisor.session, 'POST', `/api/merges/${mergeId}/undo`, { reason: 'again' }), 409, 'patient.merge-undone');
      const pair = await ctx().db.selectFrom('duplicateCandidates').select('status').executeTakeFirstOrThrow();
      expect(pair.status).toBe('not_duplicate');
    });

    it('does not offer a pair marked "not a duplicate" again', async () => {
      const scan = await send(app(), supervisor.session, 'POST', '/api/duplicates/scan', {});
      expect(scan.json().queued).toBe(0);
      expect((await send(app(), supervisor.session, 'GET', '/api/duplicates')).json().pairs).toEqual([]);
    });

    it('shows every version with what changed, and the SSN only by its last four', async () => {
      const versions = (await send(app(), clerk.session, 'GET', `/api/patients/${survivor.id}/history`)).json().versions;
      expect(versions.map((v: { change: string }) => v.change)).toEqual(['unmerged', 'updated', 'merged-from', 'registered']);
      const registered = versions.at(-1);
      const retiredFirst = (await send(app(), supervisor.session, 'GET', `/api/patients/${retired.id}/history`)).json().versions.at(-1);
      expect(retiredFirst).toMatchObject({ version: 1, change: 'registered', reason: 'No ID card at the desk' });
      expect(registered.changes.find((c: { field: string }) => c.field === 'ssn').after).toBe('on file, ending 9999');
      const emailChange = versions.find((v: { change: string }) => v.change === 'updated').changes.find((c: { field: string }) => c.field === 'email');
      expect(emailChange).toEqual({ field: 'email', before: 'w.okafor@example.org', after: 'william.okafor@example.org' });
      expect(JSON.stringify(versions)).not.toContain('219099999');
    });
  });
}
