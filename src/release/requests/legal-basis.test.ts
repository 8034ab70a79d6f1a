import { describe, expect, it } from 'vitest';
import { Authorization, LegalCase, Part2Consent, RecordScope } from './request-input.js';
import { checkAuthorization, CORE_ELEMENTS, PART2_ELEMENTS, REQUIRED_STATEMENTS, checkPart2Consent } from './authorization-checklist.js';
import { checkHolds, checkLegalCase, isWithinScope } from './legal-basis.js';
import { unmet } from './checklist.js';

const TODAY = '2026-11-25';

/** A complete, valid authorization as an attorney's office would send it. */
const goodAuthorization = (over: Partial<Authorization> = {}): Authorization => Authorization.parse({
  informationDescription: 'Discharge summaries and imaging reports, 2025-2026', discloser: 'Chartroom Hospital', recipient: 'Hale & Partners LLP',
  purposes: ['Personal injury claim'], expiresOn: '2027-06-30', signedOn: '2026-11-01', signer: { kind: 'patient', name: 'W. Okafor' },
  statements: { rightToRevoke: true, conditioning: true, redisclosure: true }, ...over,
});

const scope = (over: Partial<RecordScope> = {}): RecordScope => RecordScope.parse({ wholeRecordSet: true, ...over });

const caseOf = (over: Partial<LegalCase> & Pick<LegalCase, 'basis'>): LegalCase => LegalCase.parse({
  requester: { kind: 'attorney', name: 'Hale & Partners LLP' }, scope: scope(), ...over,
});

const failedKeys = (c: LegalCase) => unmet(checkLegalCase(c, TODAY).items).map((i) => i.key);

describe('the HIPAA authorization checklist (45 CFR 164.508)', () => {
  it('passes a complete, current authorization', () => {
    expect(unmet(checkAuthorization(goodAuthorization(), TODAY))).toEqual([]);
  });

  const blanks: Record<string, Partial<Authorization>> = {
    informationDescribed: { informationDescription: ' ' },
    discloserNamed: { discloser: null },
    recipientNamed: { recipient: '' },
    purposeStated: { purposes: [] },
    expirationSet: { expiresOn: null, expirationEvent: null },
    signedAndDated: { signedOn: null },
  };
  it.each(CORE_ELEMENTS.map((e) => e.key))('flags a missing core element: %s', (key) => {
    const found = unmet(checkAuthorization(goodAuthorization(blanks[key]), TODAY));
    expect(found.map((i) => i.key)).toEqual([key]);
    expect(found[0].reason).toBeTruthy();
    expect(found[0].field.startsWith('basis.authorization.')).toBe(true);
  });

  it.each(REQUIRED_STATEMENTS.map((s) => s.key))('flags a missing required statement: %s', (key) => {
    const statements = { rightToRevoke: true, conditioning: true, redisclosure: true, [key]: false };
    expect(unmet(checkAuthorization(goodAuthorization({ statements }), TODAY)).map((i) => i.key)).toEqual([key]);
  });

  it('accepts an expiration event in place of a date', () => {
    expect(unmet(checkAuthorization(goodAuthorization({ expiresOn: null, expirationEvent: 'End of the litigation' }), TODAY))).toEqual([]);
  });

  it('refuses a representative\'s signature without their authority', () => {
    const a = goodAuthorization({ signer: { kind: 'representative', name: 'A. Okafor', authority: null } });
    expect(unmet(checkAuthorization(a, TODAY)).map((i) => i.key)).toEqual(['signedAndDated']);
    expect(unmet(checkAuthorization({ ...a, signer: { ...a.signer, authority: 'Health care power of attorney' } }, TODAY))).toEqual([]);
  });

  it('is invalid once its date has passed, but valid on its last day', () => {
    expect(unmet(checkAuthorization(goodAuthorization({ expiresOn: '2026-11-24' }), TODAY)).map((i) => [i.key, i.field])).toEqual([['notExpired', 'basis.authorization.expiresOn']]);
    expect(unmet(checkAuthorization(goodAuthorization({ expiresOn: TODAY }), TODAY))).toEqual([]);
  });

  it('is invalid once its expiration event has happened', () => {
    const a = goodAuthorization({ expiresOn: null, expirationEvent: 'Settlement', expirationEventOccurred: true });
    expect(unmet(checkAuthorization(a, TODAY)).map((i) => i.key)).toEqual(['expirationEventNotPassed']);
  });

  it('is invalid when revoked', () => {
    expect(unmet(checkAuthorization(goodAuthorization({ revokedOn: '2026-11-20' }), TODAY)).map((i) => i.key)).toEqual(['notRevoked']);
  });

  it('refuses psychotherapy notes compounded with another kind of authorization, and allows them with another for psychotherapy notes', () => {
    expect(unmet(checkAuthorization(goodAuthorization({ psychotherapyNotes: true, compoundWith: 'other' }), TODAY)).map((i) => i.key)).toEqual(['notImproperCompound']);
    expect(unmet(checkAuthorization(goodAuthorization({ psychotherapyNotes: true, compoundWith: 'psychotherapy-notes' }), TODAY))).toEqual([]);
  });

  it('lists every problem at once', () => {
    const a = goodAuthorization({ recipient: null, purposes: [], expiresOn: '2026-01-01', statements: { rightToRevoke: false, conditioning: true, redisclosure: true } });
    expect(unmet(checkAuthorization(a, TODAY)).map((i) => i.key)).toEqual(['recipientNamed', 'purposeStated', 'rightToRevoke', 'notExpired']);
  });
});

describe('the Part 2 consent (42 CFR 2.31)', () => {
  const good = (over: Partial<Part2Consent> = {}) => Part2Consent.parse({
    patientName: 'W. Okafor', discloser: 'Chartroom Hospital SUD program', informationDescription: 'Opioid treatment records 2025',
    recipient: 'Dr. Lee', purpose: 'Continuing care', expiresOn: '2027-01-01', signedOn: '2026-11-01',
    statements: { rightToRevoke: true, redisclosure: true }, ...over,
  });
  it('passes a complete consent', () => expect(unmet(checkPart2Consent(good(), TODAY))).toEqual([]));
  const blanks: Record<string, Partial<Part2Consent>> = {
    patientNamed: { patientName: null }, informationDescribed: { informationDescription: null }, discloserNamed: { discloser: null },
    recipientNamed: { recipient: null }, purposeStated: { purpose: null }, rightToRevoke: { statements: { rightToRevoke: false, redisclosure: true } },
    expirationSet: { expiresOn: null }, signedAndDated: { signedOn: null }, redisclosure: { statements: { rightToRevoke: true, redisclosure: false } },
  };
  it.each(PART2_ELEMENTS.map((e) => e.key))('flags a missing element: %s', (key) => {
    expect(unmet(checkPart2Consent(good(blanks[key]), TODAY)).map((i) => i.key)).toEqual([key]);
  });
  it('is invalid when expired or revoked', () => {
    expect(unmet(checkPart2Consent(good({ expiresOn: '2026-11-01', revokedOn: '2026-11-02' }), TODAY)).map((i) => i.key)).toEqual(['notExpired', 'notRevoked']);
  });
  it('is checked along with any basis that carries one', () => {
    const c = caseOf({ basis: { kind: 'part2-consent' }, requester: { kind: 'provider', name: 'Dr. Lee' }, part2Consent: good({ purpose: null }) });
    expect(failedKeys(c)).toEqual(['purposeStated']);
    expect(failedKeys({ ...c, part2Consent: null })).toEqual(['part2ConsentGiven']);
  });
});

describe('the right of access (45 CFR 164.524)', () => {
  const own = (over: Partial<LegalCase> = {}) => caseOf({
    basis: { kind: 'right-of-access' }, requester: { kind: 'patient', name: 'William Okafor' }, identityVerification: { method: 'photo-id' }, ...over,
  });
  it('passes the patient\'s own request with identity verified', () => expect(failedKeys(own())).toEqual([]));
  it('refuses to ask the patient for a purpose', () => {
    const found = unmet(checkLegalCase(own({ purpose: 'Second opinion' }), TODAY).items);
    expect(found.map((i) => [i.key, i.field])).toEqual([['noPurposeAsked', 'purpose']]);
  });
  it('wants the identity verified', () => expect(failedKeys(own({ identityVerification: null }))).toEqual(['identityVerified']));
  it('wants a personal representative\'s authority documented', () => {
    const rep = own({ requester: { kind: 'personal-representative', name: 'Ada Okafor' } });
    expect(failedKeys(rep)).toEqual(['representativeAuthority']);
    expect(failedKeys({ ...rep, representativeAuthority: { kind: 'healthcare-power-of-attorney', document: 'Durable POA dated 2024-02-01' } })).toEqual([]);
  });
  it('is not for third parties', () => expect(failedKeys(own({ requester: { kind: 'attorney', name: 'Hale' } }))).toEqual(['requesterIsPatientSide']));
  it('needs no minimum-necessary limit', () => expect(checkLegalCase(own(), TODAY).limits.minimumNecessary).toBe(false));
});

describe('a patient-directed copy to a third party', () => {
  it('needs a signed written request naming the recipient', () => {
    const c = caseOf({ basis: { kind: 'patient-directed', signedWrittenRequest: false, recipient: null }, requester: { kind: 'patient', name: 'W' }, identityVerification: { method: 'portal-account' } });
    expect(failedKeys(c)).toEqual(['signedWrittenRequest', 'recipientNamed']);
    expect(failedKeys({ ...c, basis: { kind: 'patient-directed', signedWrittenRequest: true, recipient: 'Dr. Lee, Portland' } })).toEqual([]);
  });
});

describe('subpoenas and court orders (45 CFR 164.512(e))', () => {
  const subpoena = (over: object = {}) => caseOf({ basis: { kind: 'subpoena', noticeToPatient: false, objectionPeriodLapsed: false, qualifiedProtectiveOrder: false, ...over } });
  it('blocks a subpoena without a court order, satisfactory assurance, or a qualified protective order', () => {
    const found = unmet(checkLegalCase(subpoena(), TODAY).items);
    expect(found.map((i) => i.key)).toEqual(['satisfactoryAssurance']);
    expect(found[0].reason).toMatch(/satisfactory assurance/);
  });
  it('blocks a subpoena whose time to object has not lapsed', () => expect(failedKeys(subpoena({ noticeToPatient: true }))).toEqual(['satisfactoryAssurance']));
  it('accepts notice with the objection period lapsed, or a qualified protective order', () => {
    expect(failedKeys(subpoena({ noticeToPatient: true, objectionPeriodLapsed: true }))).toEqual([]);
    expect(failedKeys(subpoena({ qualifiedProtectiveOrder: true }))).toEqual([]);
  });
  it('lets a court order have only what it expressly authorizes', () => {
    const order = RecordScope.parse({ documentTypes: ['18842-5'], from: '2025-01-01', to: '2025-12-31' });
    const within = caseOf({ basis: { kind: 'court-order', orderScope: order }, scope: RecordScope.parse({ documentTypes: ['18842-5'], from: '2025-03-01', to: '2025-06-30' }) });
    expect(failedKeys(within)).toEqual([]);
    expect(failedKeys({ ...within, scope: scope() })).toEqual(['withinOrder']);
    expect(failedKeys({ ...within, scope: RecordScope.parse({ documentTypes: ['18842-5', '11506-3'], from: '2025-03-01', to: '2025-06-30' }) })).toEqual(['withinOrder']);
    expect(failedKeys({ ...within, scope: RecordScope.parse({ documentTypes: ['18842-5'], from: '2024-03-01', to: '2025-06-30' }) })).toEqual(['withinOrder']);
  });
  it('compares scopes: billing records only when the order names them', () => {
    expect(isWithinScope(scope({ billingRecords: true }), scope())).toBe(false);
    expect(isWithinScope(scope({ billingRecords: true }), scope({ billingRecords: true }))).toBe(true);
  });
});

describe('law enforcement (45 CFR 164.512(f))', () => {
  const police = (basis: LegalCase['basis'], over: Partial<LegalCase> = {}) => caseOf({ basis, requester: { kind: 'law-enforcement', name: 'Det. Rowe' }, identityVerification: { method: 'official-credentials' }, ...over });
  it('accepts a warrant', () => expect(failedKeys(police({ kind: 'law-enforcement', process: 'warrant', identificationItems: [] }))).toEqual([]));
  it('limits an identification request to the identification data set, with no documents', () => {
    const c = police({ kind: 'law-enforcement', process: 'identification', identificationItems: ['name-and-address', 'abo-blood-type-and-rh'] });
    const result = checkLegalCase(c, TODAY);
    expect(unmet(result.items)).toEqual([]);
    expect(result.limits.limitedDataSet).toBe(true);
  });
  it('never gives DNA, dental records or tissue analysis for identification', () => {
    const c = police({ kind: 'law-enforcement', process: 'identification', identificationItems: ['name-and-address', 'dna', 'dental-records'] });
    const found = unmet(checkLegalCase(c, TODAY).items);
    expect(found.map((i) => i.key)).toEqual(['identificationDataSetOnly']);
    expect(found[0].reason).toBe('Never for identification: dna, dental-records.');
  });
  it('wants the three-part test for an administrative request', () => {
    const c = police({ kind: 'law-enforcement', process: 'administrative-request', administrativeTest: { relevantAndMaterial: true, specificAndLimited: true, deidentifiedNotReasonable: false }, identificationItems: [] });
    expect(failedKeys(c)).toEqual(['threePartTest']);
  });
  it('wants the officer\'s identity verified', () => {
    expect(failedKeys(police({ kind: 'law-enforcement', process: 'warrant', identificationItems: [] }, { identityVerification: null }))).toEqual(['identityVerified']);
  });
});

describe('treatment, payment and operations (45 CFR 164.506)', () => {
  it('discloses for treatment to a provider, without minimum necessary', () => {
    const c = caseOf({ basis: { kind: 'treatment' }, requester: { kind: 'provider', name: 'Dr. Lee' } });
    expect(failedKeys(c)).toEqual([]);
    expect(checkLegalCase(c, TODAY).limits.minimumNecessary).toBe(false);
    expect(failedKeys({ ...c, requester: { kind: 'employer', name: 'Acme' } })).toEqual(['requesterIsProvider']);
  });
  it('discloses for payment to an insurer, the minimum necessary', () => {
    const c = caseOf({ basis: { kind: 'payment' }, requester: { kind: 'insurer', name: 'Acme Health' } });
    expect(failedKeys(c)).toEqual([]);
    expect(checkLegalCase(c, TODAY).limits.minimumNecessary).toBe(true);
  });
});

describe('holds on the patient', () => {
  it('stops the release under a do-not-release hold or a legal hold, with the reason', () => {
    expect(unmet(checkHolds({ doNotRelease: false, legalHoldReason: null }))).toEqual([]);
    const found = unmet(checkHolds({ doNotRelease: true, legalHoldReason: 'Pending litigation' }));
    expect(found.map((i) => i.key)).toEqual(['noDoNotRelease', 'noLegalHold']);
    expect(found.every((i) => i.reason && !i.reason.includes('Pending litigation'))).toBe(true);
  });
});
