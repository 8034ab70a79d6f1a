import type { AppContext } from '../../context.js';
import { findPatientsByCriteria, type BirthDateTest, type PatientCriterion, type PatientRow } from '../../patients/index.js';
import { DomainError } from '../../platform/errors.js';
import { fhirError } from './operation-outcome.js';
import { GENDERS } from './patient-shape.js';
import { SYSTEM } from './terminology.js';

/**
 * Patient search (https://hl7.org/fhir/R4/search.html) over the MPI's indexed keys: names by their
 * normalised key (a prefix range, never LIKE '%x%'), phones by digits, identifiers by value, e-mail
 * and postal code by their normalised columns. Each parameter is one condition; repeating a
 * parameter ANDs, commas inside one value OR.
 */

type Documented = { name: string; type: 'token' | 'string' | 'date'; definition: string; documentation: string };
const SP = 'http://hl7.org/fhir/SearchParameter/';

/** The parameters Chartroom's Patient search understands; the CapabilityStatement lists the same. */
export const PATIENT_SEARCH_PARAMETERS: readonly Documented[] = [
  { name: '_id', definition: SP + 'Resource-id', type: 'token', documentation: 'The logical id.' },
  { name: 'identifier', definition: SP + 'Patient-identifier', type: 'token', documentation: 'system|value or value: our MRN (also one retired by a merge), another facility\'s or payer\'s identifier, or http://hl7.org/fhir/sid/us-ssn|<SSN> (matched by keyed hash).' },
  { name: 'name', definition: SP + 'Patient-name', type: 'string', documentation: 'The start of any family name (current, previous), or a given name exactly or as a nickname form; case and accents ignored.' },
  { name: 'family', definition: SP + 'individual-family', type: 'string', documentation: 'The start of a family name, current or previous; case and accents ignored.' },
  { name: 'given', definition: SP + 'individual-given', type: 'string', documentation: 'With family or name: the start of the given name. Alone: the given name exactly or as a nickname form (Bill finds William).' },
  { name: 'birthdate', definition: SP + 'individual-birthdate', type: 'date', documentation: 'YYYY, YYYY-MM or YYYY-MM-DD, with the prefixes eq (default), ge, le, gt, lt.' },
  { name: 'gender', definition: SP + 'individual-gender', type: 'token', documentation: 'male | female | other | unknown.' },
  { name: 'phone', definition: SP + 'individual-phone', type: 'token', documentation: 'Any phone number of the patient, compared by its digits.' },
  { name: 'email', definition: SP + 'individual-email', type: 'token', documentation: 'The e-mail address, ignoring case.' },
  { name: 'address-postalcode', definition: SP + 'individual-address-postalcode', type: 'string', documentation: 'The start of the postal code of the current address.' },
  { name: 'active', definition: SP + 'Patient-active', type: 'token', documentation: 'true: records in use; false: records merged into another.' },
];
const CONTROL = ['_count', '_offset', '_format', '_pretty'] as const;
export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;

export interface PatientSearch {
  /** Parameter name -> each occurrence's raw value (commas still inside). */
  params: Map<string, string[]>;
  count: number;
  offset: number;
  /** Unknown parameters left out under Prefer: handling=lenient. */
  ignored: string[];
}

/** Reads a query string into a search, refusing (strict, the default) or noting (lenient) what it does not know. */
export function parsePatientSearch(query: Record<string, string | string[] | undefined>, handling: 'strict' | 'lenient' = 'strict'): PatientSearch {
  const known = new Set(PATIENT_SEARCH_PARAMETERS.map((p) => p.name));
  const params = new Map<string, string[]>();
  const ignored: string[] = [];
  let count = DEFAULT_COUNT;
  let offset = 0;
  for (const [key, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw ?? '']).map((v) => v.trim());
    if ((CONTROL as readonly string[]).includes(key)) {
      const value = values.at(-1) ?? '';
      if (key === '_count') count = Math.min(parseWhole(value, '_count', 1), MAX_COUNT);
      if (key === '_offset') offset = parseWhole(value, '_offset', 0);
      continue;
    }
    if (!known.has(key)) {
      const [base, modifier] = key.split(':');
      const why = known.has(base) && modifier !== undefined
        ? `The modifier :${modifier} of the search parameter ${base} is not supported.`
        : `The search parameter ${key} is not supported. Chartroom's Patient search knows: ${[...known].join(', ')}.`;
      if (handling === 'lenient') {
        ignored.push(key);
        continue;
      }
      throw fhirError.notSupported(why);
    }
    if (values.some((v) => v === '')) throw new DomainError('invalid', 'request.invalid', `The search parameter ${key} needs a value.`);
    params.set(key, values);
  }
  return { params, count, offset, ignored };
}

function parseWhole(value: string, name: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new DomainError('invalid', 'request.invalid', `${name} must be a whole number of at least ${min}.`);
  return Number(value);
}

/** A value's comma-separated alternatives (a backslash escapes a comma). */
const alternatives = (value: string) => value.split(/(?<!\\),/).map((v) => v.replace(/\\,/g, ',').trim()).filter(Boolean);

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The first and last day a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD) covers. */
function dayRange(date: string): [string, string] | undefined {
  const m = /^(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/.exec(date);
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (d) return FULL_DATE.test(date) ? [date, date] : undefined;
  if (mo) return [`${y}-${mo}-01`, `${y}-${mo}-${String(lastDayOf(Number(y), Number(mo))).padStart(2, '0')}`];
  return [`${y}-01-01`, `${y}-12-31`];
}

function birthDateTest(value: string): BirthDateTest {
  const m = /^(eq|ge|le|gt|lt)?(.*)$/.exec(value)!;
  const range = dayRange(m[2]);
  if (!range) throw new DomainError('invalid', 'request.invalid', 'birthdate takes YYYY, YYYY-MM or YYYY-MM-DD, with an optional prefix eq, ge, le, gt or lt.');
  const [first, last] = range;
  switch (m[1] ?? 'eq') {
    case 'ge': return { onOrAfter: first };
    case 'gt': return { after: last };
    case 'le': return { onOrBefore: last };
    case 'lt': return { before: first };
    default: return { from: first, to: last };
  }
}

/** A token `system|value` or `value`: an SSN (matched by keyed hash) or an identifier. */
function identifierCriterion(values: string[]): PatientCriterion[] {
  const split = values.map((v) => {
    const bar = v.indexOf('|');
    return bar >= 0 ? { system: v.slice(0, bar), value: v.slice(bar + 1) } : { system: '', value: v };
  });
  const ssns = split.filter((t) => t.system === SYSTEM.ssn).map((t) => t.value);
  const others = split.filter((t) => t.system !== SYSTEM.ssn).map((t) => ({ system: t.system || undefined, value: t.value || undefined }));
  // Alternatives of one parameter OR together; an SSN and an identifier in one value list are still alternatives.
  if (ssns.length && others.length) return [{ anyOf: [{ ssns }, { identifiers: others }] }];
  return [ssns.length ? { ssns } : { identifiers: others }];
}

/** One criterion per parameter occurrence: its comma alternatives ORed. */
function criteriaOf(search: PatientSearch): PatientCriterion[] {
  const criteria: PatientCriterion[] = [];
  const hasNameIndex = search.params.has('family') || search.params.has('name');
  const each = (name: string, make: (values: string[]) => PatientCriterion) => {
    for (const value of search.params.get(name) ?? []) criteria.push(make(alternatives(value)));
  };
  each('_id', (ids) => ({ ids }));
  for (const value of search.params.get('identifier') ?? []) criteria.push(...identifierCriterion(alternatives(value)));
  each('family', (familyStarts) => ({ familyStarts }));
  each('name', (nameMatches) => ({ nameMatches }));
  each('given', (given) => (hasNameIndex ? { givenStarts: given } : { givenIs: given }));
  each('birthdate', (values) => ({ birthDate: values.map(birthDateTest) }));
  each('gender', (sexes) => {
    if (sexes.some((v) => !(GENDERS as readonly string[]).includes(v))) throw new DomainError('invalid', 'request.invalid', 'gender takes male, female, other or unknown.');
    return { sexes };
  });
  each('phone', (phones) => ({ phones }));
  each('email', (emails) => ({ emails }));
  each('address-postalcode', (postalCodeStarts) => ({ postalCodeStarts }));
  each('active', (values) => {
    if (values.some((v) => v !== 'true' && v !== 'false')) throw new DomainError('invalid', 'request.invalid', 'active takes true or false.');
    if (new Set(values).size > 1) return { anyOf: [{ active: true }, { active: false }] };
    return { active: values[0] === 'true' };
  });
  return criteria;
}

/** The page of patient rows a search finds, in a stable order (family, given, birth date, id), and how many there are in all. */
export function findPatientRows(ctx: AppContext, search: PatientSearch): Promise<{ rows: PatientRow[]; total: number }> {
  return findPatientsByCriteria(ctx, criteriaOf(search), { count: search.count, offset: search.offset });
}

/** The query string of a search page, for the Bundle's self, next and previous links. */
export function searchQueryString(search: PatientSearch, offset: number): string {
  const qs = new URLSearchParams();
  for (const [name, values] of search.params) for (const v of values) qs.append(name, v);
  qs.set('_count', String(search.count));
  qs.set('_offset', String(offset));
  return qs.toString();
}
