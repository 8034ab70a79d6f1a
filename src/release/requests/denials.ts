/**
 * Grounds for denying a request, each with its regulation and whether the patient may have it
 * reviewed (45 CFR 164.524(a)(2)-(4)); the last few are for third-party requests that fail.
 */
export const DENIAL_GROUNDS = {
  'psychotherapy-notes': { label: 'Psychotherapy notes', cite: '45 CFR 164.524(a)(1)(i)', reviewable: false },
  'litigation-material': { label: 'Information compiled for a legal proceeding', cite: '45 CFR 164.524(a)(1)(ii)', reviewable: false },
  'inmate-safety': { label: 'An inmate\'s request that would endanger safety', cite: '45 CFR 164.524(a)(2)(ii)', reviewable: false },
  'research-in-progress': { label: 'Research in progress (access suspended by agreement)', cite: '45 CFR 164.524(a)(2)(iii)', reviewable: false },
  'privacy-act': { label: 'Records under the Privacy Act', cite: '45 CFR 164.524(a)(2)(iv)', reviewable: false },
  'confidential-source': { label: 'Obtained from someone else under a promise of confidentiality', cite: '45 CFR 164.524(a)(2)(v)', reviewable: false },
  endangerment: { label: 'Likely to endanger the life or physical safety of the patient or another', cite: '45 CFR 164.524(a)(3)(i)', reviewable: true },
  'references-another-person': { label: 'Refers to another person and is likely to cause them substantial harm', cite: '45 CFR 164.524(a)(3)(ii)', reviewable: true },
  'representative-risk': { label: 'Access by the personal representative is likely to cause substantial harm', cite: '45 CFR 164.524(a)(3)(iii)', reviewable: true },
  'invalid-authorization': { label: 'The authorization is not valid', cite: '45 CFR 164.508(b)(2)', reviewable: false },
  'no-legal-basis': { label: 'No legal basis permits the disclosure', cite: '45 CFR 164.502(a)', reviewable: false },
  'no-satisfactory-assurance': { label: 'A subpoena without satisfactory assurance or a protective order', cite: '45 CFR 164.512(e)(1)(ii)', reviewable: false },
} as const;
export type DenialGround = keyof typeof DENIAL_GROUNDS;
export const DENIAL_GROUND_CODES = Object.keys(DENIAL_GROUNDS) as DenialGround[];

export const isReviewable = (g: DenialGround): boolean => DENIAL_GROUNDS[g].reviewable;

export const REVIEW_DECISIONS = ['upheld', 'overturned'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The state of a denial and its review, kept with the request. */
export interface Denial {
  ground: DenialGround;
  explanation: string;
  deniedAt: string;
  deniedBy: { id: string; name: string };
  review: null | {
    requestedAt: string;
    reviewer: { id: string; name: string };
    decision: ReviewDecision | null;
    decidedAt: string | null;
    note: string | null;
  };
}

/** 45 CFR 164.524(a)(4): the reviewer is a licensed health care professional who took no part in the denial. */
export function checkReviewer(denial: Denial, reviewerId: string): string[] {
  const problems: string[] = [];
  if (!isReviewable(denial.ground)) problems.push('This ground of denial is not reviewable.');
  if (reviewerId === denial.deniedBy.id) problems.push('The reviewer must be someone who took no part in the denial.');
  return problems;
}
