import { describe, expect, it } from 'vitest';
import { LegalCase, RecordScope } from './request-input.js';
import { isAskedFor, selectDocuments, type DocumentFacts } from './sensitive-information.js';

const doc = (id: string, over: Partial<DocumentFacts> = {}): DocumentFacts => ({
  id, typeCode: '18842-5', encounterId: 'v1', serviceDate: '2026-03-01', status: 'final', sensitivity: [], ...over,
});
const whole = RecordScope.parse({ wholeRecordSet: true });
const authorizationCase = (over: Record<string, unknown> = {}, part2 = false): LegalCase => LegalCase.parse({
  requester: { kind: 'attorney', name: 'Hale' }, scope: whole,
  basis: { kind: 'authorization', authorization: { purposes: ['claim'], ...over } },
  part2Consent: part2 ? { patientName: 'W', recipient: 'Hale' } : null,
});
const ownCase = (kind: 'patient' | 'personal-representative' = 'patient'): LegalCase => LegalCase.parse({ requester: { kind, name: 'W' }, scope: whole, basis: { kind: 'right-of-access' } });
const decide = (c: LegalCase, docs: DocumentFacts[], limitedDataSet = false) => selectDocuments(c, docs, { limitedDataSet });
const included = (c: LegalCase, docs: DocumentFacts[]) => decide(c, docs).documents.filter((d) => d.included).map((d) => d.documentId);

describe('what a release includes', () => {
  it('leaves out a sensitive category unless the authorization names it', () => {
    const docs = [doc('plain'), doc('hiv', { sensitivity: ['hiv-sti'] }), doc('mh', { sensitivity: ['mental-health'] })];
    expect(included(authorizationCase(), docs)).toEqual(['plain']);
    expect(decide(authorizationCase(), docs).documents[1].reasons).toEqual(['The authorization does not name HIV/STI information (state law).']);
    expect(included(authorizationCase({ sensitiveCategories: ['hiv-sti'] }), docs)).toEqual(['plain', 'hiv']);
  });

  it('gives psychotherapy notes only under their own authorization, never under the right of access', () => {
    const notes = [doc('pn', { sensitivity: ['psychotherapy-notes'] })];
    expect(included(authorizationCase(), notes)).toEqual([]);
    expect(included(authorizationCase({ psychotherapyNotes: true }), notes)).toEqual(['pn']);
    expect(decide(ownCase(), notes).documents[0].reasons[0]).toMatch(/not part of the right of access/);
  });

  it('gives Part 2 records only with a Part 2 consent, and then with the 2.32 notice and the consent copy', () => {
    const sud = [doc('sud', { sensitivity: ['substance-use-disorder'] })];
    expect(decide(authorizationCase({ sensitiveCategories: ['substance-use-disorder'] }), sud).documents[0]).toMatchObject({ included: false, reasons: [expect.stringMatching(/Part 2 consent/)] });
    const withConsent = decide(authorizationCase({ sensitiveCategories: ['substance-use-disorder'] }, true), sud);
    expect(withConsent.documents[0].included).toBe(true);
    expect(withConsent).toMatchObject({ part2NoticeRequired: true, part2ConsentCopyRequired: true });
    expect(decide(authorizationCase({}, true), sud).documents[0].included).toBe(false);
  });

  it("gives the patient their own sensitive records, without the Part 2 notice; keeps a minor's confidential care from the parent", () => {
    const docs = [doc('sud', { sensitivity: ['substance-use-disorder'] }), doc('hiv', { sensitivity: ['hiv-sti'] }), doc('minor', { sensitivity: ['minor-confidential'] })];
    const own = decide(ownCase(), docs);
    expect(own.documents.every((d) => d.included)).toBe(true);
    expect(own.part2NoticeRequired).toBe(false);
    expect(included(ownCase('personal-representative'), docs)).toEqual(['sud', 'hiv']);
  });

  it('gives an identification request no documents at all', () => {
    const c = LegalCase.parse({ requester: { kind: 'law-enforcement', name: 'Det' }, scope: whole, basis: { kind: 'law-enforcement', process: 'identification', identificationItems: ['name-and-address'] } });
    expect(decide(c, [doc('a')], true).documents[0]).toMatchObject({ included: false, reasons: [expect.stringMatching(/identification data set/)] });
  });

  it('leaves out documents entered in error and documents not asked for', () => {
    const c = LegalCase.parse({ requester: { kind: 'patient', name: 'W' }, basis: { kind: 'right-of-access' }, scope: { documentTypes: ['18842-5'], from: '2026-01-01' } });
    const result = decide(c, [doc('ok'), doc('error', { status: 'entered-in-error' }), doc('other-type', { typeCode: '11506-3' }), doc('old', { serviceDate: '2025-05-05' })]);
    expect(result.documents.map((d) => [d.documentId, d.included, d.reasons[0]])).toEqual([
      ['ok', true, undefined], ['error', false, 'Entered in error.'], ['other-type', false, 'Not asked for.'], ['old', false, 'Not asked for.'],
    ]);
  });

  it('reads a scope of visits, types and dates', () => {
    expect(isAskedFor(RecordScope.parse({ encounterIds: ['v1'] }), doc('a'))).toBe(true);
    expect(isAskedFor(RecordScope.parse({ encounterIds: ['v2'] }), doc('a'))).toBe(false);
    expect(isAskedFor(RecordScope.parse({ billingRecords: true }), doc('a'))).toBe(false);
    expect(isAskedFor(RecordScope.parse({ wholeRecordSet: true, to: '2026-02-01' }), doc('a'))).toBe(false);
  });
});
