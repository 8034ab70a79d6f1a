import { DOCUMENT_CATEGORIES, type DocumentCategory, type DocumentFilters, type DocumentStatus } from '../../documents/index.js';
import { fhirError } from './operation-outcome.js';
import { DOCUMENT_SYSTEM } from './document-mapping.js';

/** The search parameters DocumentReference answers (CapabilityStatement lists the same). */
export const DOCUMENT_SEARCH_PARAMETERS = [
  { name: 'patient', type: 'reference', definition: 'http://hl7.org/fhir/SearchParameter/clinical-patient', documentation: 'Required (or subject): documents are searched one patient at a time.' },
  { name: 'subject', type: 'reference', definition: 'http://hl7.org/fhir/SearchParameter/DocumentReference-subject', documentation: 'Patient/<id>.' },
  { name: 'type', type: 'token', definition: 'http://hl7.org/fhir/SearchParameter/clinical-type', documentation: 'LOINC document codes (code or http://loinc.org|code), comma for any of them.' },
  { name: 'category', type: 'token', definition: 'http://hl7.org/fhir/SearchParameter/DocumentReference-category', documentation: `clinical-note (US Core) or one of ours: ${DOCUMENT_CATEGORIES.join(', ')}.` },
  { name: 'date', type: 'date', definition: 'http://hl7.org/fhir/SearchParameter/DocumentReference-date', documentation: 'When the document was filed; eq, ge, gt, le, lt; repeat for a range.' },
  { name: 'period', type: 'date', definition: 'http://hl7.org/fhir/SearchParameter/DocumentReference-period', documentation: 'The date of service; eq, ge, gt, le, lt; repeat for a range.' },
  { name: 'status', type: 'token', definition: 'http://hl7.org/fhir/SearchParameter/DocumentReference-status', documentation: 'current or entered-in-error (superseded versions are kept as versions, not references).' },
] as const;

const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** FHIR date comparisons on whole days -> an inclusive [from, to] range of YYYY-MM-DD. */
function dayRange(values: string[], name: string): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  for (const value of values) {
    const m = /^(eq|ge|gt|le|lt)?(\d{4}-\d{2}-\d{2})$/.exec(value);
    if (!m) throw fhirError.notSupported(`${name} takes a day (YYYY-MM-DD) with an optional eq, ge, gt, le or lt prefix.`, name);
    const [, prefix = 'eq', day] = m;
    const previous = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    if (prefix === 'eq' || prefix === 'ge') range.from = day;
    if (prefix === 'gt') range.from = nextDay(day);
    if (prefix === 'eq' || prefix === 'le') range.to = day;
    if (prefix === 'lt') range.to = previous;
  }
  return range;
}

/** A DocumentReference search -> the patient and the filters of documentsOf; parameters it does not know are named back. */
export function parseDocumentSearch(query: Record<string, string | string[] | undefined>): { patientId: string; filters: DocumentFilters; ignored: string[] } {
  const patient = [...single(query.patient), ...single(query.subject)].map((p) => p.replace(/^Patient\//, ''));
  if (patient.length !== 1 || !/^[A-Za-z0-9-]{1,64}$/.test(patient[0])) {
    throw fhirError.notSupported('Search documents one patient at a time: give patient (or subject) once.', 'patient');
  }
  const codes = (name: string) => single(query[name]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const typeCodes = codes('type').map((t) => t.replace(/^http:\/\/loinc\.org\|/, ''));
  const categories = codes('category').map((c) => c.replace(/^[^|]*\|/, ''));
  if (categories.length > 1) throw fhirError.notSupported('One category at a time.', 'category');
  const category = categories[0];
  if (category && !(DOCUMENT_CATEGORIES as readonly string[]).includes(category)) {
    throw fhirError.notSupported(`Unknown category; use one of ${DOCUMENT_CATEGORIES.join(', ')} (${DOCUMENT_SYSTEM.category}).`, 'category');
  }
  const statuses = codes('status');
  const status: DocumentStatus[] = [];
  for (const s of statuses) {
    if (s === 'current') status.push('preliminary', 'final', 'amended');
    else if (s === 'entered-in-error') status.push('entered-in-error');
    else if (s !== 'superseded') throw fhirError.notSupported('status is current, superseded or entered-in-error.', 'status');
  }
  const filed = dayRange(single(query.date), 'date');
  const served = dayRange(single(query.period), 'period');
  const known = new Set(['patient', 'subject', 'type', 'category', 'status', 'date', 'period', '_format']);
  return {
    patientId: patient[0],
    filters: {
      typeCodes: typeCodes.length ? typeCodes : undefined, category: category as DocumentCategory | undefined,
      // Only superseded asked: no reference is superseded (versions are kept inside the document).
      status: statuses.length ? (status.length ? status : ['superseded' as DocumentStatus]) : undefined,
      from: served.from, to: served.to,
      filedFrom: filed.from ? `${filed.from}T00:00:00.000Z` : undefined, filedBefore: filed.to ? `${nextDay(filed.to)}T00:00:00.000Z` : undefined,
    },
    ignored: Object.keys(query).filter((k) => !known.has(k)),
  };
}
