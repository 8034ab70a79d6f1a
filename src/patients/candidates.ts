import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import { compareRecords, type FieldComparison, type MatchGrade, type MatchRecord } from './matching.js';
import { givenNameSearchKeys, normalizeName, phoneticKey } from './name-keys.js';
import { toMatchRecord } from './keys.js';
import type { PatientRow, StoredDemographics } from './patient-record.js';

/** A record the MPI thinks may be the same person, with why. */
export interface MatchCandidate {
  patientId: string;
  mrn: string;
  given: string;
  middle: string | null;
  family: string;
  birthDate: string;
  sex: string;
  score: number;
  /** The comparison's total log2 weight: the order of candidates (scores saturate at 1). */
  weight: number;
  grade: MatchGrade;
  fields: FieldComparison[];
}

type Executor = AppContext['db'] | Transaction<DB>;

/** Day and month swapped (03-07 for 07-03): a classic registration error. */
export function swappedDayMonth(birthDate: string): string | null {
  const [y, m, d] = birthDate.split('-');
  if (m === d || Number(d) > 12) return null;
  return `${y}-${d}-${m}`;
}

const BLOCK_LIMIT = 50;

/**
 * Finds likely matches for a record: a handful of indexed look-ups (blocking) gather candidates, and
 * the Fellegi–Sunter comparison scores each. Answers graded candidates, best first.
 */
export async function findMatchCandidates(
  db: Executor,
  record: MatchRecord,
  options: { excludeIds?: string[]; limit?: number; minGrade?: MatchGrade } = {},
): Promise<MatchCandidate[]> {
  const ids = await gatherCandidateIds(db, record);
  for (const id of options.excludeIds ?? []) ids.delete(id);
  if (ids.size === 0) return [];
  const rows = await db.selectFrom('patients').selectAll().where('id', 'in', [...ids]).where('status', '=', 'active').execute();
  const order: MatchGrade[] = ['certain', 'probable', 'possible'];
  const floor = order.indexOf(options.minGrade ?? 'possible');
  const candidates: MatchCandidate[] = [];
  for (const row of rows) {
    const result = compareRecords(record, matchRecordOfRow(row));
    if (!result.grade || order.indexOf(result.grade) > floor) continue;
    candidates.push({
      patientId: row.id, mrn: row.mrn, given: row.given, middle: row.middle, family: row.family, birthDate: row.birthDate, sex: row.sex,
      score: result.score, weight: result.weight, grade: result.grade, fields: result.fields,
    });
  }
  candidates.sort((a, b) => b.weight - a.weight);
  return candidates.slice(0, options.limit ?? 10);
}

export function matchRecordOfRow(row: PatientRow): MatchRecord {
  return toMatchRecord(JSON.parse(row.details) as StoredDemographics, { hash: row.ssnHash, last4: row.ssnLast4 });
}

async function gatherCandidateIds(db: Executor, r: MatchRecord): Promise<Set<string>> {
  const familyKey = normalizeName(r.family);
  const givenKey = normalizeName(r.given);
  const familyPhonetic = phoneticKey(r.family);
  const givenCanons = givenNameSearchKeys(r.given);
  const births = [r.birthDate, swappedDayMonth(r.birthDate)].filter((b): b is string => b !== null);
  const names = db.selectFrom('patientNames').select('patientId').limit(BLOCK_LIMIT);
  // An empty key (a name with no letters a key is made from) would match every such name: skip it.
  const lookups: (() => Promise<{ patientId: string }[]>)[] = [];
  if (familyPhonetic) lookups.push(() => names.where('familyPhonetic', '=', familyPhonetic).where('birthDate', 'in', births).execute());
  if (givenCanons.length) lookups.push(() => names.where('givenCanon', 'in', givenCanons).where('birthDate', 'in', births).execute());
  if (familyKey) lookups.push(() => names.where('familyKey', '=', familyKey).where('givenKey', '=', givenKey).execute());
  for (const previous of (r.previousFamilies ?? []).filter((p) => normalizeName(p))) {
    lookups.push(() => names.where('familyKey', '=', normalizeName(previous)).where('birthDate', '=', r.birthDate).execute());
  }
  const { ssnHash, phones, email } = r;
  if (ssnHash) {
    lookups.push(() => db.selectFrom('patients').select('id as patientId').where('ssnHash', '=', ssnHash).limit(BLOCK_LIMIT).execute());
  }
  if (phones?.length) {
    lookups.push(() => db.selectFrom('patientPhones').select('patientId').where('digits', 'in', phones).limit(BLOCK_LIMIT).execute());
  }
  if (email) {
    lookups.push(() => db.selectFrom('patients').select('id as patientId').where('email', '=', email).limit(BLOCK_LIMIT).execute());
  }
  const found = new Set<string>();
  // One after another: on SQLite they share one connection anyway, and on PostgreSQL inside a transaction they must.
  for (const lookup of lookups) for (const row of await lookup()) found.add(row.patientId);
  return found;
}
