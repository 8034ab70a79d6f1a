import type { SensitivityCategory } from '../../documents/index.js';
import type { LegalCase, RecordScope } from './request-input.js';

/** What the rules need to know of a document (from the documents capability's view). */
export interface DocumentFacts {
  id: string;
  typeCode: string;
  encounterId: string | null;
  serviceDate: string;
  status: string;
  sensitivity: SensitivityCategory[];
}

export interface DocumentDecision {
  documentId: string;
  included: boolean;
  /** Why it is left out (empty when included), or notes on an included one. */
  reasons: string[];
}

export interface ReleaseSelection {
  documents: DocumentDecision[];
  /** 42 CFR 2.32: each disclosure of Part 2 records carries the notice prohibiting redisclosure. */
  part2NoticeRequired: boolean;
  /** 42 CFR 2.32(b): with a copy of the consent or a clear explanation of its scope. */
  part2ConsentCopyRequired: boolean;
}

/** The state-law classes a release includes only when the authorization names them (DOMAIN.md). */
const STATE_PROTECTED: SensitivityCategory[] = ['hiv-sti', 'mental-health', 'genetic', 'reproductive-health', 'minor-confidential'];

const CATEGORY_LABELS: Record<SensitivityCategory, string> = {
  'substance-use-disorder': 'substance-use-disorder (42 CFR Part 2)', 'psychotherapy-notes': 'psychotherapy notes',
  'hiv-sti': 'HIV/STI', 'mental-health': 'mental and behavioural health', genetic: 'genetic testing',
  'reproductive-health': 'reproductive health', 'minor-confidential': "a minor's confidential care",
};

/** Whether the request's scope (dates, visits, types, whole designated record set) takes in the document. */
export function isAskedFor(scope: RecordScope, d: DocumentFacts): boolean {
  if (scope.from && d.serviceDate < scope.from) return false;
  if (scope.to && d.serviceDate > scope.to) return false;
  if (scope.wholeRecordSet) return true;
  if (scope.encounterIds.length && (!d.encounterId || !scope.encounterIds.includes(d.encounterId))) return false;
  if (scope.documentTypes.length && !scope.documentTypes.includes(d.typeCode)) return false;
  return scope.encounterIds.length > 0 || scope.documentTypes.length > 0 || scope.from != null || scope.to != null;
}

/** Why a sensitive category keeps the document out under this request, or undefined when it may go. */
function categoryBar(c: LegalCase, category: SensitivityCategory): string | undefined {
  const b = c.basis;
  const named = b.kind === 'authorization' && b.authorization.sensitiveCategories.includes(category);
  const label = CATEGORY_LABELS[category];
  if (category === 'psychotherapy-notes') {
    // 45 CFR 164.524(a)(1)(i): not under the right of access; 164.508(a)(2): only under their own authorization.
    if (b.kind === 'authorization' && b.authorization.psychotherapyNotes) return undefined;
    return b.kind === 'right-of-access' || b.kind === 'patient-directed'
      ? 'Psychotherapy notes are not part of the right of access (45 CFR 164.524(a)(1)(i)).'
      : 'Psychotherapy notes go only under an authorization for psychotherapy notes (45 CFR 164.508(a)(2)).';
  }
  if (category === 'substance-use-disorder') {
    // 42 CFR 2.23: the patient may see their own records; everyone else needs a Part 2 consent (2.31).
    if (b.kind === 'right-of-access') return undefined;
    if (!c.part2Consent) return 'Substance-use-disorder records need a written Part 2 consent (42 CFR 2.31).';
    if (b.kind === 'authorization' && !named) return 'The authorization does not name substance-use-disorder records.';
    return undefined;
  }
  if (category === 'minor-confidential' && c.requester.kind === 'personal-representative' && b.kind === 'right-of-access') {
    return "Care the minor consented to alone is kept from the parent (state law; 45 CFR 164.502(g)(3)).";
  }
  if (b.kind === 'right-of-access' || b.kind === 'patient-directed') return undefined;
  if (STATE_PROTECTED.includes(category) && !named) return `The authorization does not name ${label} information (state law).`;
  return undefined;
}

/**
 * Which of the patient's documents this request may include, each with the reasons it is left out,
 * and whether the Part 2 notice and consent copy must go with the release.
 */
export function selectDocuments(c: LegalCase, documents: DocumentFacts[], options: { limitedDataSet: boolean }): ReleaseSelection {
  let part2 = false;
  const decisions = documents.map((d): DocumentDecision => {
    const reasons: string[] = [];
    if (options.limitedDataSet) reasons.push('An identification request gets only the identification data set, no documents (45 CFR 164.512(f)(2)).');
    else if (!isAskedFor(c.scope, d)) reasons.push('Not asked for.');
    if (d.status === 'entered-in-error') reasons.push('Entered in error.');
    for (const category of d.sensitivity) {
      const bar = categoryBar(c, category);
      if (bar) reasons.push(bar);
    }
    const included = reasons.length === 0;
    if (included && d.sensitivity.includes('substance-use-disorder') && c.basis.kind !== 'right-of-access') part2 = true;
    return { documentId: d.id, included, reasons };
  });
  return { documents: decisions, part2NoticeRequired: part2, part2ConsentCopyRequired: part2 };
}

/** 42 CFR 2.32(a)(1): the notice that goes with every disclosure of Part 2 records. */
export const PART2_NOTICE =
  'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2). ' +
  'These rules prohibit you from using or disclosing this record, or testimony that describes the information contained in this record, ' +
  'in any civil, criminal, administrative, or legislative proceedings by any Federal, State, or local authority, against the patient, ' +
  'unless authorized by the consent of the patient, except as provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. ' +
  'In addition, the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of the following applies: ' +
  'further use or disclosure is expressly permitted by the written consent of the individual whose information is being disclosed in this record ' +
  'or as otherwise permitted by 42 CFR part 2. A general authorization for the release of medical or other information is NOT sufficient for this purpose (see 42 CFR 2.31). ' +
  'The Federal rules restrict any use of the information to investigate or prosecute with regard to a crime any patient with a substance use disorder, ' +
  'except as provided at 42 CFR 2.12(e)(4)(i) and 2.12(e)(4)(ii).';
