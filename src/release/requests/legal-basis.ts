import type { LegalBasis, LegalCase, RecordScope } from './request-input.js';
import { FORBIDDEN_IDENTIFICATION_ITEMS } from './request-input.js';
import { checkAuthorization, checkPart2Consent } from './authorization-checklist.js';
import { hasText, unmet, type ChecklistItem } from './checklist.js';
import { isPatientSide } from './requesters.js';

export const BASIS_LABELS: Record<LegalBasis['kind'], string> = {
  'right-of-access': 'Right of access (45 CFR 164.524)',
  'patient-directed': 'Patient-directed copy to a third party (45 CFR 164.524(c)(3)(ii))',
  authorization: 'HIPAA authorization (45 CFR 164.508)',
  'court-order': 'Court order (45 CFR 164.512(e)(1)(i))',
  subpoena: 'Subpoena without a court order (45 CFR 164.512(e)(1)(ii))',
  'law-enforcement': 'Law enforcement (45 CFR 164.512(f))',
  treatment: 'Treatment (45 CFR 164.506)',
  payment: 'Payment (45 CFR 164.506)',
  operations: 'Health care operations (45 CFR 164.506)',
  'part2-consent': 'Part 2 consent (42 CFR 2.31)',
};

/** What a basis allows beyond yes or no. */
export interface ReleaseLimits {
  /** 164.512(f)(2): only the identification data set, no documents. */
  limitedDataSet: boolean;
  /** 164.502(b): minimum necessary applies (not to treatment, the patient, or an authorization). */
  minimumNecessary: boolean;
}

export interface LegalChecklist {
  basis: LegalBasis['kind'];
  items: ChecklistItem[];
  valid: boolean;
  limits: ReleaseLimits;
}

const item = (key: string, label: string, cite: string, field: string, met: boolean, reason: string): ChecklistItem =>
  ({ key, label, cite, field, met, ...(met ? {} : { reason }) });

/** 164.512(e)(1)(i): the request may ask for no more than the order expressly authorizes. */
export function isWithinScope(asked: RecordScope, allowed: RecordScope): boolean {
  if (allowed.wholeRecordSet) return !asked.billingRecords || allowed.billingRecords;
  if (asked.wholeRecordSet) return false;
  if (asked.billingRecords && !allowed.billingRecords) return false;
  if (allowed.documentTypes.length && (!asked.documentTypes.length || asked.documentTypes.some((t) => !allowed.documentTypes.includes(t)))) return false;
  if (allowed.encounterIds.length && (!asked.encounterIds.length || asked.encounterIds.some((e) => !allowed.encounterIds.includes(e)))) return false;
  if (allowed.from && (!asked.from || asked.from < allowed.from)) return false;
  if (allowed.to && (!asked.to || asked.to > allowed.to)) return false;
  return true;
}

/** The requester's side: who they are to the patient, their identity, their authority, and the purpose. */
function requesterItems(c: LegalCase): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const ownRecord = c.basis.kind === 'right-of-access' || c.basis.kind === 'patient-directed';
  if (ownRecord) {
    items.push(item('requesterIsPatientSide', 'The patient or their personal representative asks', '45 CFR 164.524(a)(1)', 'requester.kind',
      isPatientSide(c.requester.kind), 'Only the patient or their personal representative may ask under the right of access.'));
    items.push(item('noPurposeAsked', 'No purpose asked of the patient', '45 CFR 164.524; HHS access guidance', 'purpose',
      !hasText(c.purpose), 'A patient asking for their own record is never asked why: remove the purpose.'));
  }
  if (ownRecord || c.requester.kind === 'law-enforcement') {
    items.push(item('identityVerified', "The requester's identity is verified", '45 CFR 164.514(h)', 'identityVerification',
      c.identityVerification != null, "Record how the requester's identity was verified."));
  }
  if (c.requester.kind === 'personal-representative') {
    items.push(item('representativeAuthority', "The personal representative's authority is documented", '45 CFR 164.502(g)', 'representativeAuthority',
      c.representativeAuthority != null && hasText(c.representativeAuthority.document), "Record the personal representative's authority and the paper that shows it."));
  }
  return items;
}

function basisItems(c: LegalCase, today: string): ChecklistItem[] {
  const b = c.basis;
  switch (b.kind) {
    case 'right-of-access':
      return [];
    case 'patient-directed':
      return [
        item('signedWrittenRequest', 'A signed written request', '45 CFR 164.524(c)(3)(ii)', 'basis.signedWrittenRequest', b.signedWrittenRequest,
          'A copy to a third party needs the patient\'s signed written request.'),
        item('recipientNamed', 'The recipient is named', '45 CFR 164.524(c)(3)(ii)', 'basis.recipient', hasText(b.recipient),
          'The written request must clearly name the recipient and where to send the copy.'),
      ];
    case 'authorization':
      return checkAuthorization(b.authorization, today);
    case 'court-order':
      return [item('withinOrder', 'Only what the order expressly authorizes', '45 CFR 164.512(e)(1)(i)', 'scope', isWithinScope(c.scope, b.orderScope),
        'The request asks for more than the court order expressly authorizes.')];
    case 'subpoena':
      return [item('satisfactoryAssurance', 'Satisfactory assurance or a qualified protective order', '45 CFR 164.512(e)(1)(ii)', 'basis.noticeToPatient',
        b.qualifiedProtectiveOrder || (b.noticeToPatient && b.objectionPeriodLapsed),
        'A subpoena without a court order needs satisfactory assurance (written notice to the patient and the time to object lapsed) or a qualified protective order.')];
    case 'law-enforcement':
      return lawEnforcementItems(b);
    case 'treatment':
      return [item('requesterIsProvider', 'A provider asks for treatment', '45 CFR 164.506(c)(2)', 'requester.kind', c.requester.kind === 'provider',
        'Disclosure for treatment is to a health care provider.')];
    case 'payment':
      return [item('requesterPays', 'An insurer or provider asks for payment', '45 CFR 164.506(c)(1), (c)(3)', 'requester.kind',
        c.requester.kind === 'insurer' || c.requester.kind === 'provider', 'Disclosure for payment is to a health plan or provider.')];
    case 'operations':
      return [item('requesterCovered', 'A covered entity asks for its operations', '45 CFR 164.506(c)(4)', 'requester.kind',
        c.requester.kind === 'insurer' || c.requester.kind === 'provider', 'Disclosure for health care operations is to a covered entity with a relationship with the patient.')];
    case 'part2-consent':
      return [item('part2ConsentGiven', 'A written Part 2 consent', '42 CFR 2.31', 'part2Consent', c.part2Consent != null,
        'Record the written Part 2 consent.')];
  }
}

function lawEnforcementItems(b: Extract<LegalBasis, { kind: 'law-enforcement' }>): ChecklistItem[] {
  if (b.process === 'administrative-request') {
    const t = b.administrativeTest;
    return [item('threePartTest', 'Administrative request meets the three-part test', '45 CFR 164.512(f)(1)(ii)(C)', 'basis.administrativeTest',
      !!t && t.relevantAndMaterial && t.specificAndLimited && t.deidentifiedNotReasonable,
      'An administrative request must be relevant and material, specific and limited, and de-identified information must not do.')];
  }
  if (b.process === 'identification') {
    const forbidden = b.identificationItems.filter((i) => (FORBIDDEN_IDENTIFICATION_ITEMS as readonly string[]).includes(i));
    return [
      item('identificationDataSetOnly', 'Only the identification data set', '45 CFR 164.512(f)(2)', 'basis.identificationItems', forbidden.length === 0,
        `Never for identification: ${forbidden.join(', ')}.`),
      item('identificationItemsNamed', 'The items asked for are named', '45 CFR 164.512(f)(2)(i)', 'basis.identificationItems', b.identificationItems.length > 0,
        'Name the identifying items asked for.'),
    ];
  }
  return [];
}

/**
 * The legal checklist of a request as of `today`: the requester's side, the basis's own rules, and
 * a Part 2 consent when one is given (or the basis is one). Every item, met or not.
 */
export function checkLegalCase(c: LegalCase, today: string): LegalChecklist {
  const items = [...requesterItems(c), ...basisItems(c, today)];
  if (c.part2Consent) items.push(...checkPart2Consent(c.part2Consent, today));
  const kind = c.basis.kind;
  return {
    basis: kind,
    items,
    valid: unmet(items).length === 0,
    limits: {
      limitedDataSet: c.basis.kind === 'law-enforcement' && c.basis.process === 'identification',
      minimumNecessary: !['treatment', 'right-of-access', 'patient-directed', 'authorization'].includes(kind),
    },
  };
}

/** A patient's holds that stop any release, each with its reason. */
export interface PatientHolds {
  doNotRelease: boolean;
  legalHoldReason: string | null;
}

/** A do-not-release flag or a legal hold stops the release, with the reason shown. */
export function checkHolds(h: PatientHolds): ChecklistItem[] {
  return [
    item('noDoNotRelease', 'No do-not-release hold on the patient', 'Facility policy', 'patientId', !h.doNotRelease,
      "The patient's record carries a do-not-release hold: nothing may be released while it stands."),
    item('noLegalHold', 'No legal hold on the patient', 'Legal hold', 'patientId', !h.legalHoldReason,
      "The patient's record is under legal hold: the release waits until the hold is released."),
  ];
}
