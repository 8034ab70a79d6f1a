import type { AppContext } from '../../context.js';
import { searchVisits, type EncounterRow, type PeriodTest, type VisitCriterion } from '../../encounters/index.js';
import { DomainError } from '../../platform/errors.js';
import { fhirError } from './operation-outcome.js';
import { classOfCode, LOCATION_SYSTEM, statusOfCode, VISIT_NUMBER_SYSTEM } from './encounter-mapping.js';
import { DEFAULT_COUNT, MAX_COUNT } from './patient-search.js';

const SP = 'http://hl7.org/fhir/SearchParameter/';
type Documented = { name: string; type: 'token' | 'reference' | 'date'; definition: string; documentation: string };

/** The parameters Chartroom's Encounter search understands; the CapabilityStatement lists the same. */
export const ENCOUNTER_SEARCH_PARAMETERS: readonly Documented[] = [
  { name: '_id', definition: SP + 'Resource-id', type: 'token', documentation: 'The logical id.' },
  { name: 'patient', definition: SP + 'clinical-patient', type: 'reference', documentation: 'Patient/<id> or <id>.' },
  { name: 'subject', definition: SP + 'Encounter-subject', type: 'reference', documentation: 'Patient/<id> or <id>.' },
  { name: 'status', definition: SP + 'Encounter-status', type: 'token', documentation: 'planned | in-progress | onleave | finished | cancelled.' },
  { name: 'class', definition: SP + 'Encounter-class', type: 'token', documentation: 'IMP, AMB, EMER, OBSENC or SS (v3 ActCode), with or without the system.' },
  { name: 'date', definition: SP + 'clinical-date', type: 'date', documentation: 'A date or instant within the visit\'s period, with eq (default), ge, gt, le, lt. An open visit lasts until now.' },
  { name: 'location', definition: SP + 'Encounter-location', type: 'reference', documentation: `A place the patient stayed: unit, unit/room or unit/room/bed (optionally ${LOCATION_SYSTEM}|...).` },
  { name: 'identifier', definition: SP + 'clinical-identifier', type: 'token', documentation: `The visit number: ${VISIT_NUMBER_SYSTEM}|<number> or <number>.` },
];
const CONTROL = new Set(['_count', '_offset', '_format', '_pretty']);

export interface EncounterSearch {
  params: [string, string][];
  count: number;
  offset: number;
  ignored: string[];
}

export function parseEncounterSearch(query: Record<string, string | string[] | undefined>, handling: 'strict' | 'lenient'): EncounterSearch {
  const known = new Set(ENCOUNTER_SEARCH_PARAMETERS.map((p) => p.name));
  const params: [string, string][] = [];
  const ignored: string[] = [];
  let count = DEFAULT_COUNT;
  let offset = 0;
  for (const [key, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw ?? '']).map((v) => v.trim());
    if (CONTROL.has(key)) {
      const n = Number(values.at(-1));
      if (!Number.isInteger(n) || n < 0) throw fhirError.notSupported(`${key} takes a whole number.`, key);
      if (key === '_count') count = Math.min(Math.max(n, 1), MAX_COUNT);
      if (key === '_offset') offset = n;
      continue;
    }
    if (!known.has(key)) {
      if (handling === 'lenient') ignored.push(key);
      else throw fhirError.notSupported(`The search parameter ${key} is not supported for Encounter.`, key);
      continue;
    }
    for (const v of values) {
      if (!v) throw fhirError.notSupported(`The search parameter ${key} needs a value.`, key);
      params.push([key, v]);
    }
  }
  return { params, count, offset, ignored };
}

export function encounterSearchQueryString(s: EncounterSearch, offset: number): string {
  const q = new URLSearchParams(s.params);
  q.set('_count', String(s.count));
  if (offset) q.set('_offset', String(offset));
  return q.toString();
}

const bad = (name: string, message: string) => new DomainError('invalid', 'fhir.search-invalid', message, [{ field: name, message }]);

/** The instants a date value covers: [from, to) at the value's precision. */
function dateRange(value: string): [string, string] {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T.+)?)?)?$/.exec(value);
  if (!m) throw bad('date', 'Use YYYY, YYYY-MM, YYYY-MM-DD or an instant with its time zone.');
  if (m[4]) {
    const t = Date.parse(value);
    if (Number.isNaN(t)) throw bad('date', 'Not an instant.');
    return [new Date(t).toISOString(), new Date(t + 1).toISOString()];
  }
  const [y, mo, d] = [Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1];
  const from = new Date(Date.UTC(y, mo, d));
  const to = m[3] ? new Date(Date.UTC(y, mo, d + 1)) : m[2] ? new Date(Date.UTC(y, mo + 1, 1)) : new Date(Date.UTC(y + 1, 0, 1));
  return [from.toISOString(), to.toISOString()];
}

const rejectUnknown = (name: string, v: string): never => { throw bad(name, `Unknown ${name} ${v}.`); };

/** One FHIR search parameter (with its comma-separated values) as a criterion of the encounters capability's search. */
function criterion(name: string, raw: string): VisitCriterion {
  const values = raw.split(',').map((v) => v.trim()).filter(Boolean);
  switch (name) {
    case '_id':
      return { ids: values };
    case 'patient':
    case 'subject':
      return { patientIds: values.map((v) => v.replace(/^Patient\//, '')) };
    case 'status':
      return { statuses: values.map((v) => statusOfCode(v) ?? rejectUnknown(name, v)) };
    case 'class':
      return { classes: values.map((v) => classOfCode(v.replace(/^.*\|/, '')) ?? rejectUnknown(name, v)) };
    case 'identifier':
      return {
        visitNumbers: values.map((v) => {
          const [system, value] = v.includes('|') ? v.split('|', 2) : [null, v];
          if (system && system !== VISIT_NUMBER_SYSTEM) throw bad(name, `Visit numbers are of system ${VISIT_NUMBER_SYSTEM}.`);
          return value;
        }),
      };
    case 'location':
      return {
        stayedIn: values.map((v) => {
          const [unit, room, bed] = v.replace(/^.*\|/, '').replace(/^Location\//, '').split('/');
          return { unit, room, bed };
        }),
      };
    case 'date':
      return {
        period: values.map((v): PeriodTest => {
          const m = /^(eq|ge|gt|le|lt)?(.+)$/.exec(v)!;
          const [from, to] = dateRange(m[2]);
          switch (m[1] ?? 'eq') {
            case 'ge': return { endsOnOrAfter: from };
            case 'gt': return { endsOnOrAfter: to };
            case 'le': return { startsBefore: to };
            case 'lt': return { startsBefore: from };
            default: return { overlaps: [from, to] };
          }
        }),
      };
    default:
      throw bad(name, `Unsupported parameter ${name}.`);
  }
}

/** The visits a search selects, newest first, one page of them, with the total. */
export function findEncounterRows(ctx: AppContext, s: EncounterSearch): Promise<{ rows: EncounterRow[]; total: number }> {
  return searchVisits(ctx.db, s.params.map(([name, value]) => criterion(name, value)), { count: s.count, offset: s.offset });
}
