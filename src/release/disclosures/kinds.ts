/**
 * What a disclosure was, and whether the patient's accounting lists it. 45 CFR 164.528(a)(1) leaves
 * out disclosures for treatment, payment and operations; to the patient; incidental ones; under an
 * authorization; for the facility directory and to persons involved in care; for national security;
 * to correctional institutions; and as part of a limited data set. Everything else is accountable.
 */
export const DISCLOSURE_KINDS = {
  treatment: { label: 'Treatment', exempt: true, cite: '(a)(1)(i)' },
  payment: { label: 'Payment', exempt: true, cite: '(a)(1)(i)' },
  operations: { label: 'Health care operations', exempt: true, cite: '(a)(1)(i)' },
  to_patient: { label: 'To the patient', exempt: true, cite: '(a)(1)(ii)' },
  incidental: { label: 'Incidental to a permitted disclosure', exempt: true, cite: '(a)(1)(iii)' },
  authorization: { label: 'Under the patient\'s authorization', exempt: true, cite: '(a)(1)(iv)' },
  facility_directory: { label: 'Facility directory', exempt: true, cite: '(a)(1)(v)' },
  involved_in_care: { label: 'Persons involved in the patient\'s care', exempt: true, cite: '(a)(1)(v)' },
  national_security: { label: 'National security or intelligence', exempt: true, cite: '(a)(1)(vi)' },
  correctional: { label: 'Correctional institution or law enforcement custody', exempt: true, cite: '(a)(1)(vii)' },
  limited_data_set: { label: 'Limited data set', exempt: true, cite: '(a)(1)(viii)' },
  public_health: { label: 'Public health', exempt: false, cite: '164.512(b)' },
  abuse_neglect: { label: 'Abuse, neglect or domestic violence report', exempt: false, cite: '164.512(c)' },
  health_oversight: { label: 'Health oversight', exempt: false, cite: '164.512(d)' },
  judicial: { label: 'Judicial or administrative proceeding', exempt: false, cite: '164.512(e)' },
  law_enforcement: { label: 'Law enforcement', exempt: false, cite: '164.512(f)' },
  decedents: { label: 'Coroner, medical examiner or funeral director', exempt: false, cite: '164.512(g)' },
  organ_donation: { label: 'Organ, eye or tissue donation', exempt: false, cite: '164.512(h)' },
  research: { label: 'Research without authorization', exempt: false, cite: '164.512(i)' },
  serious_threat: { label: 'To avert a serious threat to health or safety', exempt: false, cite: '164.512(j)' },
  workers_compensation: { label: 'Workers\' compensation', exempt: false, cite: '164.512(l)' },
  required_by_law: { label: 'Required by law', exempt: false, cite: '164.512(a)' },
  impermissible: { label: 'Not permitted (a breach)', exempt: false, cite: '164.528(a)' },
} as const;

export type DisclosureKind = keyof typeof DISCLOSURE_KINDS;
export const DISCLOSURE_KIND_CODES = Object.keys(DISCLOSURE_KINDS) as [DisclosureKind, ...DisclosureKind[]];

export const isDisclosureKind = (value: string): value is DisclosureKind => value in DISCLOSURE_KINDS;

/** Whether the accounting leaves this kind out (164.528(a)(1)). */
export const isExemptFromAccounting = (kind: string): boolean => !isDisclosureKind(kind) || DISCLOSURE_KINDS[kind].exempt;

/** A recipient's or agency's name as compared: case, spacing and punctuation ignored. */
export const recipientKeyOf = (name: string): string =>
  name.normalize('NFKD').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
