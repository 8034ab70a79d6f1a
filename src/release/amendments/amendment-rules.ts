/**
 * A request to amend the record, 45 CFR 164.526: acted on within 60 days (one 30-day extension),
 * accepted or denied on one of four grounds; after a denial the patient may file a statement of
 * disagreement, which the entity may rebut.
 */
export const AMENDMENT_STATUSES = ['open', 'accepted', 'denied'] as const;
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number];

const TRANSITIONS: Record<AmendmentStatus, readonly AmendmentStatus[]> = {
  open: ['accepted', 'denied'],
  accepted: [],
  denied: [],
};

export const canMoveTo = (from: AmendmentStatus, to: AmendmentStatus): boolean => TRANSITIONS[from].includes(to);

/** 164.526(a)(2): the only grounds on which a request may be denied. */
export const DENIAL_GROUNDS = {
  not_created_here: {
    cite: '164.526(a)(2)(i)',
    label: 'Not created by us',
    letter: 'We did not create the information you asked us to amend, and its originator is available to act on your request.',
  },
  not_in_record_set: {
    cite: '164.526(a)(2)(ii)',
    label: 'Not part of the designated record set',
    letter: 'The information is not part of the designated record set we keep about you.',
  },
  not_available_for_access: {
    cite: '164.526(a)(2)(iii)',
    label: 'Not available for access',
    letter: 'The information is not available to you for inspection under 45 CFR 164.524.',
  },
  accurate_and_complete: {
    cite: '164.526(a)(2)(iv)',
    label: 'Accurate and complete',
    letter: 'We reviewed the information and found it accurate and complete.',
  },
} as const;
export type DenialGround = keyof typeof DENIAL_GROUNDS;
export const DENIAL_GROUND_CODES = Object.keys(DENIAL_GROUNDS) as [DenialGround, ...DenialGround[]];

export const STATEMENT_KINDS = ['disagreement', 'rebuttal'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

/** Why a statement cannot be filed now, or undefined: only after a denial, and a rebuttal answers a statement of disagreement (164.526(d)). */
export function checkStatement(status: AmendmentStatus, kind: StatementKind, hasDisagreement: boolean): string | undefined {
  if (status !== 'denied') return 'Statements of disagreement and rebuttals follow a denial.';
  if (kind === 'rebuttal' && !hasDisagreement) return 'A rebuttal answers a statement of disagreement; record the patient\'s statement first.';
  return undefined;
}

/** What a denial letter must say besides its basis (164.526(d)(1)). */
export function denialRights(facility: string): string[] {
  return [
    'You may submit a written statement disagreeing with this denial and the reasons for your disagreement. Send it to our privacy officer; ' +
      'we will add it to your record, and we may prepare a written rebuttal, a copy of which we will send you.',
    'If you do not submit a statement of disagreement, you may ask that a copy of your request and of this denial be sent with any future ' +
      'disclosure of the information it concerns.',
    `You may complain about this decision to ${facility}'s privacy officer, or to the Secretary of the U.S. Department of Health and Human ` +
      'Services (Office for Civil Rights, 200 Independence Avenue SW, Washington, DC 20201, or www.hhs.gov/ocr/complaints).',
  ];
}
