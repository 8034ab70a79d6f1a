/** Release-of-information requests as tests log them: a patient's own request, and an attorney's under Part 2 consent. */

/** A patient asking through the portal for their whole record (45 CFR 164.524). */
export const ownRecordsRequest = (patientId: string, over: Record<string, unknown> = {}) => ({
  patientId, receivedOn: '2026-11-25', channel: 'portal',
  requester: { kind: 'patient', name: 'Ines Marchetti', address: '4 Quay Lane, Portland ME' },
  basis: { kind: 'right-of-access' }, identityVerification: { method: 'portal-account' },
  scope: { wholeRecordSet: true }, format: 'pdf', delivery: { method: 'secure-link', email: 'ines@example.org' },
  ...over,
});

/** An attorney's request for 2025 under a HIPAA authorization and a Part 2 consent naming substance-use-disorder records. */
export const part2AttorneyRequest = (patientId: string, over: Record<string, unknown> = {}) => ({
  patientId, receivedOn: '2026-11-24', channel: 'fax',
  requester: { kind: 'attorney', name: 'Hale & Partners LLP', address: '1 Court St, Portland ME' },
  basis: { kind: 'authorization', authorization: {
    informationDescription: 'All records 2025', discloser: 'Chartroom Hospital', recipient: 'Hale & Partners LLP', purposes: ['Litigation'],
    expiresOn: '2027-10-31', signedOn: '2026-11-10', statements: { rightToRevoke: true, conditioning: true, redisclosure: true }, sensitiveCategories: ['substance-use-disorder'],
  } },
  part2Consent: { patientName: 'Gallagher', discloser: 'Chartroom Hospital', informationDescription: 'SUD treatment 2025', recipient: 'Hale & Partners LLP', purpose: 'Litigation', expiresOn: '2027-10-31', signedOn: '2026-11-10', statements: { rightToRevoke: true, redisclosure: true } },
  purpose: 'Litigation',
  scope: { from: '2025-01-01', to: '2025-12-31', wholeRecordSet: true }, format: 'paper', delivery: { method: 'mail', address: '1 Court St, Portland ME' },
  ...over,
});
