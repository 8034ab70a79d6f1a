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
  return gradeCandidates(record, rows, options);
}

/** Compares the record with each row and keeps those graded at least `minGrade`, best first. */
function gradeCandidates(record: MatchRecord, rows: PatientRow[], options: { limit?: number; minGrade?: MatchGrade }): MatchCandidate[] {
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

/**
 * The likely matches of many records at once (the registrations of a batch), by the same blocking
 * keys as findMatchCandidates but one query per kind of key for the whole batch, each key capped at
 * the same limit. Answers each record's graded candidates, best first, in the records' order.
 */
export async function findMatchCandidatesOfMany(db: Executor, records: MatchRecord[], options: { limit?: number } = {}): Promise<MatchCandidate[][]> {
  const keysOf = records.map(blockingKeysOf);
  const byKind = new Map<BlockingKind, BlockingKey[]>();
  for (const key of keysOf.flat()) byKind.set(key.kind, [...(byKind.get(key.kind) ?? []), key]);
  const found = new Map<string, string[]>();
  for (const [kind, keys] of byKind) {
    for (const { key, patientId } of await lookUpBlockingKeys(db, kind, keys)) {
      const ids = found.get(key) ?? [];
      if (ids.length < BLOCK_LIMIT && !ids.includes(patientId)) ids.push(patientId);
      found.set(key, ids);
    }
  }
  const idsOf = keysOf.map((keys) => new Set(keys.flatMap((k) => found.get(blockingKeyText(k)) ?? [])));
  const allIds = [...new Set(idsOf.flatMap((ids) => [...ids]))];
  const rows = new Map<string, PatientRow>();
  for (let i = 0; i < allIds.length; i += 1_000) {
    const chunk = await db.selectFrom('patients').selectAll().where('id', 'in', allIds.slice(i, i + 1_000)).where('status', '=', 'active').execute();
    for (const row of chunk) rows.set(row.id, row);
  }
  return records.map((record, i) => gradeCandidates(record, [...idsOf[i]].flatMap((id) => rows.get(id) ?? []), options));
}

/** Kinds of blocking key, each served by one index. */
export type BlockingKind = 'familyPhoneticBirth' | 'givenCanonBirth' | 'familyGiven' | 'previousFamilyBirth' | 'ssn' | 'phone' | 'email';
export interface BlockingKey {
  kind: BlockingKind;
  values: [string] | [string, string];
}
export const blockingKeyText = (k: BlockingKey) => `${k.kind}:${k.values.join('|')}`;

/**
 * The keys under which the MPI looks for the same person: the phonetic family name or a given-name
 * form with the birth date (or its day and month swapped), the full name, a previous family name
 * with the birth date, the SSN, a phone number, the e-mail. An empty key (a name with no letters a
 * key is made from) would match every such name, so it is left out.
 */
export function blockingKeysOf(r: MatchRecord): BlockingKey[] {
  const keys: BlockingKey[] = [];
  const births = [r.birthDate, swappedDayMonth(r.birthDate)].filter((b): b is string => b !== null);
  const familyPhonetic = phoneticKey(r.family);
  const familyKey = normalizeName(r.family);
  for (const birth of births) {
    if (familyPhonetic) keys.push({ kind: 'familyPhoneticBirth', values: [familyPhonetic, birth] });
    for (const canon of givenNameSearchKeys(r.given)) keys.push({ kind: 'givenCanonBirth', values: [canon, birth] });
  }
  if (familyKey) keys.push({ kind: 'familyGiven', values: [familyKey, normalizeName(r.given)] });
  for (const previous of (r.previousFamilies ?? []).map(normalizeName).filter(Boolean)) keys.push({ kind: 'previousFamilyBirth', values: [previous, r.birthDate] });
  if (r.ssnHash) keys.push({ kind: 'ssn', values: [r.ssnHash] });
  for (const phone of r.phones ?? []) keys.push({ kind: 'phone', values: [phone] });
  if (r.email) keys.push({ kind: 'email', values: [r.email] });
  return keys;
}

type KeyRow = { patientId: string; a: string | null; b?: string | null };
type Pair = [string, string];

/** One query per kind of key, on the index that serves it: pairs as row values, `(a, b) IN ((..), (..))`. */
const LOOK_UPS: Record<BlockingKind, (db: Executor, values: BlockingKey['values'][]) => Promise<KeyRow[]>> = {
  familyPhoneticBirth: (db, v) => db.selectFrom('patientNames').select(['patientId', 'familyPhonetic as a', 'birthDate as b'])
    .where((eb) => eb(eb.refTuple('familyPhonetic', 'birthDate'), 'in', (v as Pair[]).map(([a, b]) => eb.tuple(a, b)))).execute(),
  givenCanonBirth: (db, v) => db.selectFrom('patientNames').select(['patientId', 'givenCanon as a', 'birthDate as b'])
    .where((eb) => eb(eb.refTuple('givenCanon', 'birthDate'), 'in', (v as Pair[]).map(([a, b]) => eb.tuple(a, b)))).execute(),
  familyGiven: (db, v) => db.selectFrom('patientNames').select(['patientId', 'familyKey as a', 'givenKey as b'])
    .where((eb) => eb(eb.refTuple('familyKey', 'givenKey'), 'in', (v as Pair[]).map(([a, b]) => eb.tuple(a, b)))).execute(),
  previousFamilyBirth: (db, v) => db.selectFrom('patientNames').select(['patientId', 'familyKey as a', 'birthDate as b'])
    .where((eb) => eb(eb.refTuple('familyKey', 'birthDate'), 'in', (v as Pair[]).map(([a, b]) => eb.tuple(a, b)))).execute(),
  ssn: (db, v) => db.selectFrom('patients').select(['id as patientId', 'ssnHash as a']).where('ssnHash', 'in', v.map((x) => x[0])).execute(),
  phone: (db, v) => db.selectFrom('patientPhones').select(['patientId', 'digits as a']).where('digits', 'in', v.map((x) => x[0])).execute(),
  email: (db, v) => db.selectFrom('patients').select(['id as patientId', 'email as a']).where('email', 'in', v.map((x) => x[0])).execute(),
};

/** The patients under each of these keys of one kind, 500 keys a query. */
async function lookUpBlockingKeys(db: Executor, kind: BlockingKind, keys: BlockingKey[]): Promise<{ key: string; patientId: string }[]> {
  const out: { key: string; patientId: string }[] = [];
  const unique = [...new Map(keys.map((k) => [blockingKeyText(k), k])).values()];
  for (let i = 0; i < unique.length; i += 500) {
    for (const row of await LOOK_UPS[kind](db, unique.slice(i, i + 500).map((k) => k.values))) {
      const values = (row.b === undefined ? [row.a] : [row.a, row.b]) as BlockingKey['values'];
      out.push({ key: blockingKeyText({ kind, values }), patientId: row.patientId });
    }
  }
  return out;
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
