import type { Authorization, Part2Consent } from './request-input.js';
import { applyRules, hasText, type ChecklistItem, type ChecklistRule } from './checklist.js';

/** 45 CFR 164.508(c)(1): a valid authorization holds every core element. */
export const CORE_ELEMENTS: readonly ChecklistRule<Authorization>[] = [
  { key: 'informationDescribed', label: 'A specific, meaningful description of the information', cite: '45 CFR 164.508(c)(1)(i)', field: 'informationDescription',
    met: (a) => hasText(a.informationDescription), reason: 'The authorization does not describe the information to be disclosed.' },
  { key: 'discloserNamed', label: 'Who may disclose', cite: '45 CFR 164.508(c)(1)(ii)', field: 'discloser',
    met: (a) => hasText(a.discloser), reason: 'The authorization does not name who may disclose.' },
  { key: 'recipientNamed', label: 'Who may receive', cite: '45 CFR 164.508(c)(1)(iii)', field: 'recipient',
    met: (a) => hasText(a.recipient), reason: 'The authorization does not name who may receive the information.' },
  { key: 'purposeStated', label: 'Each purpose of the disclosure', cite: '45 CFR 164.508(c)(1)(iv)', field: 'purposes',
    met: (a) => a.purposes.some(hasText), reason: 'The authorization states no purpose ("at the request of the individual" suffices).' },
  { key: 'expirationSet', label: 'An expiration date or event', cite: '45 CFR 164.508(c)(1)(v)', field: 'expiresOn',
    met: (a) => a.expiresOn != null || hasText(a.expirationEvent), reason: 'The authorization has no expiration date or event.' },
  { key: 'signedAndDated', label: 'Signature and date (and a representative\'s authority)', cite: '45 CFR 164.508(c)(1)(vi)', field: 'signedOn',
    met: (a) => a.signedOn != null && (a.signer.kind === 'patient' || hasText(a.signer.authority)),
    reason: 'The authorization is not signed and dated, or a representative signed without stating their authority.' },
];

/** 45 CFR 164.508(c)(2): the statements the form must make. */
export const REQUIRED_STATEMENTS: readonly ChecklistRule<Authorization>[] = [
  { key: 'rightToRevoke', label: 'The right to revoke in writing, and how', cite: '45 CFR 164.508(c)(2)(i)', field: 'statements.rightToRevoke',
    met: (a) => a.statements.rightToRevoke, reason: 'The form does not state the right to revoke in writing and how.' },
  { key: 'conditioning', label: 'Whether treatment or payment may be conditioned on signing', cite: '45 CFR 164.508(c)(2)(ii)', field: 'statements.conditioning',
    met: (a) => a.statements.conditioning, reason: 'The form does not say whether treatment or payment may be conditioned on signing.' },
  { key: 'redisclosure', label: 'Redisclosed information may no longer be protected', cite: '45 CFR 164.508(c)(2)(iii)', field: 'statements.redisclosure',
    met: (a) => a.statements.redisclosure, reason: 'The form does not warn that redisclosed information may no longer be protected.' },
];

/** 45 CFR 164.508(b)(2)-(3): what makes an otherwise complete authorization invalid, as of `today`. */
export function validityRules(today: string): ChecklistRule<Authorization>[] {
  return [
    { key: 'notExpired', label: 'Not expired', cite: '45 CFR 164.508(b)(2)(i)', field: 'expiresOn',
      met: (a) => a.expiresOn == null || a.expiresOn >= today, reason: 'The authorization has expired.' },
    { key: 'expirationEventNotPassed', label: 'The expiration event has not happened', cite: '45 CFR 164.508(b)(2)(i)', field: 'expirationEventOccurred',
      met: (a) => !a.expirationEventOccurred, reason: 'The event that ends the authorization has happened.' },
    { key: 'notRevoked', label: 'Not revoked', cite: '45 CFR 164.508(b)(2)(iv), (b)(5)', field: 'revokedOn',
      met: (a) => a.revokedOn == null || a.revokedOn > today, reason: 'The patient revoked the authorization.' },
    { key: 'notImproperCompound', label: 'Not an improper compound authorization', cite: '45 CFR 164.508(b)(3)(ii)', field: 'compoundWith',
      met: (a) => !(a.psychotherapyNotes && a.compoundWith === 'other'),
      reason: 'A psychotherapy-notes authorization may be combined only with another psychotherapy-notes authorization.' },
  ];
}

/** The whole authorization checklist: the six core elements, the three statements, and validity as of `today`. */
export function checkAuthorization(a: Authorization, today: string, fieldPrefix = 'basis.authorization.'): ChecklistItem[] {
  return [...CORE_ELEMENTS, ...REQUIRED_STATEMENTS, ...validityRules(today)].flatMap((r) => applyRules([r], a, fieldPrefix));
}

/** 42 CFR 2.31(a): the elements of a written Part 2 consent (2024 final rule). */
export const PART2_ELEMENTS: readonly ChecklistRule<Part2Consent>[] = [
  { key: 'patientNamed', label: 'The patient\'s name', cite: '42 CFR 2.31(a)(1)', field: 'patientName',
    met: (c) => hasText(c.patientName), reason: 'The consent does not name the patient.' },
  { key: 'informationDescribed', label: 'How much and what kind of SUD information, described explicitly', cite: '42 CFR 2.31(a)(2)', field: 'informationDescription',
    met: (c) => hasText(c.informationDescription), reason: 'The consent does not describe the substance-use-disorder information to be disclosed.' },
  { key: 'discloserNamed', label: 'Who may disclose', cite: '42 CFR 2.31(a)(3)', field: 'discloser',
    met: (c) => hasText(c.discloser), reason: 'The consent does not name the program or person who may disclose.' },
  { key: 'recipientNamed', label: 'Who may receive', cite: '42 CFR 2.31(a)(4)', field: 'recipient',
    met: (c) => hasText(c.recipient), reason: 'The consent does not name the recipient.' },
  { key: 'purposeStated', label: 'The purpose', cite: '42 CFR 2.31(a)(5)', field: 'purpose',
    met: (c) => hasText(c.purpose), reason: 'The consent states no purpose.' },
  { key: 'rightToRevoke', label: 'The right to revoke and its exceptions', cite: '42 CFR 2.31(a)(6)', field: 'statements.rightToRevoke',
    met: (c) => c.statements.rightToRevoke, reason: 'The consent does not state the right to revoke.' },
  { key: 'expirationSet', label: 'An expiration date, event or condition', cite: '42 CFR 2.31(a)(7)', field: 'expiresOn',
    met: (c) => c.expiresOn != null || hasText(c.expirationEvent), reason: 'The consent has no expiration date, event or condition.' },
  { key: 'signedAndDated', label: 'Signed and dated', cite: '42 CFR 2.31(a)(8)-(9)', field: 'signedOn',
    met: (c) => c.signedOn != null, reason: 'The consent is not signed and dated.' },
  { key: 'redisclosure', label: 'The statement on redisclosure', cite: '42 CFR 2.31(a)(4), 2.32', field: 'statements.redisclosure',
    met: (c) => c.statements.redisclosure, reason: 'The consent does not carry the statement on redisclosure.' },
];

/** The Part 2 consent checklist as of `today`. */
export function checkPart2Consent(c: Part2Consent, today: string, fieldPrefix = 'part2Consent.'): ChecklistItem[] {
  const validity: ChecklistRule<Part2Consent>[] = [
    { key: 'notExpired', label: 'Not expired', cite: '42 CFR 2.31(a)(7)', field: 'expiresOn',
      met: (x) => x.expiresOn == null || x.expiresOn >= today, reason: 'The Part 2 consent has expired.' },
    { key: 'notRevoked', label: 'Not revoked', cite: '42 CFR 2.31(a)(6)', field: 'revokedOn',
      met: (x) => x.revokedOn == null || x.revokedOn > today, reason: 'The patient revoked the Part 2 consent.' },
  ];
  return applyRules([...PART2_ELEMENTS, ...validity], c, fieldPrefix);
}
