/**
 * Document types, keyed by LOINC document code (the LOINC Document Ontology), the one list the
 * documents capability, the FHIR facade and the web app name types from. `category` groups them for
 * the chart's tabs and for FHIR DocumentReference.category (US Core: `clinical-note`; ours for the
 * rest). Add a type here, not anywhere else.
 */
export const LOINC_SYSTEM = 'http://loinc.org';

export const DOCUMENT_CATEGORIES = ['clinical-note', 'report', 'summary', 'consent-and-legal', 'administrative'] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];

export interface DocumentType {
  code: string;
  display: string;
  category: DocumentCategory;
}

const types = {
  // The clinical notes (US Core "clinical-note" types and their relatives).
  '34117-2': { display: 'History and physical note', category: 'clinical-note' },
  '47039-3': { display: 'Hospital admission history and physical note', category: 'clinical-note' },
  '11506-3': { display: 'Progress note', category: 'clinical-note' },
  '11488-4': { display: 'Consult note', category: 'clinical-note' },
  '28570-0': { display: 'Procedure note', category: 'clinical-note' },
  '11504-8': { display: 'Surgical operation note', category: 'clinical-note' },
  '34111-5': { display: 'Emergency department note', category: 'clinical-note' },
  '34746-8': { display: 'Nurse note', category: 'clinical-note' },
  '28636-9': { display: 'Initial evaluation note', category: 'clinical-note' },
  '51848-0': { display: 'Evaluation note', category: 'clinical-note' },
  '34108-1': { display: 'Outpatient note', category: 'clinical-note' },
  '34748-4': { display: 'Telephone encounter note', category: 'clinical-note' },
  '28616-1': { display: 'Physician transfer note', category: 'clinical-note' },
  '18776-5': { display: 'Plan of care note', category: 'clinical-note' },
  '57133-1': { display: 'Referral note', category: 'clinical-note' },
  '34895-3': { display: 'Education note', category: 'clinical-note' },
  '34109-9': { display: 'Note', category: 'clinical-note' },
  // Summaries.
  '18842-5': { display: 'Discharge summary', category: 'summary' },
  '59258-4': { display: 'Emergency department discharge summary', category: 'summary' },
  '18761-7': { display: 'Transfer summary note', category: 'summary' },
  '34133-9': { display: 'Summary of episode note', category: 'summary' },
  '60591-5': { display: 'Patient summary document', category: 'summary' },
  '8653-8': { display: 'Hospital discharge instructions', category: 'summary' },
  '56445-0': { display: 'Medication summary document', category: 'summary' },
  // Reports.
  '11502-2': { display: 'Laboratory report', category: 'report' },
  '11526-1': { display: 'Pathology study', category: 'report' },
  '18748-4': { display: 'Diagnostic imaging study', category: 'report' },
  '11524-6': { display: 'EKG study', category: 'report' },
  '18745-0': { display: 'Cardiac catheterization study', category: 'report' },
  '18743-5': { display: 'Autopsy report', category: 'report' },
  '47420-5': { display: 'Functional status assessment note', category: 'report' },
  // Consents, directives and legal papers.
  '59284-0': { display: 'Consent document', category: 'consent-and-legal' },
  '42348-3': { display: 'Advance directives', category: 'consent-and-legal' },
  '64298-3': { display: 'Power of attorney', category: 'consent-and-legal' },
  '57016-8': { display: 'Privacy policy acknowledgment document', category: 'consent-and-legal' },
  // The rest of the paper a records department keeps.
  '64290-0': { display: 'Health insurance card', category: 'administrative' },
  '51851-4': { display: 'Administrative note', category: 'administrative' },
  '51855-5': { display: 'Patient note', category: 'administrative' },
  '11503-0': { display: 'Medical records', category: 'administrative' },
} as const satisfies Record<string, Omit<DocumentType, 'code'>>;

export type DocumentTypeCode = keyof typeof types;

export const DOCUMENT_TYPES: readonly DocumentType[] = Object.entries(types).map(([code, t]) => ({ code, ...t }));

const byCode = new Map(DOCUMENT_TYPES.map((t) => [t.code, t]));

export const isDocumentTypeCode = (code: string): code is DocumentTypeCode => byCode.has(code);

/** The type with this LOINC code, or undefined when the list does not hold it. */
export const findDocumentType = (code: string): DocumentType | undefined => byCode.get(code);
