import type { AppContext } from '../context.js';
import { recordAuditEvents } from '../audit/trail.js';
import { actorOf, type Principal } from '../access/principal.js';
import type { PatientRow } from './patient-record.js';
import { ageOn } from './demographics.js';
import { givenNameSearchKeys, normalizeName, normalizePhone, phoneticKey } from './name-keys.js';
import { parseSearchText, type PatientQuery } from './search-query.js';
import { swappedDayMonth } from './candidates.js';

/** One line of the search results: enough to tell patients apart, not the whole record. */
export interface PatientSearchResult {
  id: string;
  mrn: string;
  given: string;
  middle: string | null;
  family: string;
  suffix: string | null;
  birthDate: string;
  age: number;
  sex: string;
  postalCode: string | null;
  deceased: boolean;
  restricted: boolean;
  vip: boolean;
  /** How well it fits what was typed (higher first) and which parts agreed. */
  rank: number;
  matchedOn: string[];
}

const PER_LOOKUP = 100;

/** Upper bound of a prefix range on normalised keys (letters of any script), so a prefix search uses the index. */
const prefixEnd = (prefix: string) => prefix + '\uffff';

/**
 * Finds patients by MRN (also a retired one), identifier, phone, SSN last four with birth date,
 * postal code, or name: prefix, sounds-like and nickname, each through an index. Results are ranked:
 * exact name over prefix over sounds-like, and a matching birth date lifts a result. Each patient
 * listed is an audited read.
 */
export async function searchPatients(ctx: AppContext, principal: Principal, input: PatientQuery & { text?: string; limit?: number }): Promise<PatientSearchResult[]> {
  const q: PatientQuery = { ...(input.text ? parseSearchText(input.text, ctx.config.mrnPrefix) : {}), ...withoutEmpty(input) };
  const limit = Math.min(input.limit ?? 25, 100);
  const hits = new Map<string, { rank: number; matchedOn: Set<string> }>();
  const hit = (patientId: string, rank: number, on: string) => {
    const h = hits.get(patientId) ?? { rank: 0, matchedOn: new Set<string>() };
    h.rank = Math.max(h.rank, rank);
    h.matchedOn.add(on);
    hits.set(patientId, h);
  };
  const db = ctx.db;

  if (q.mrn || q.identifier) {
    const value = (q.mrn ?? q.identifier)!.trim();
    const rows = await db.selectFrom('patientIdentifiers').select(['patientId', 'type', 'retired']).where('value', 'in', [value, value.toUpperCase()]).limit(PER_LOOKUP).execute();
    for (const r of rows) hit(r.patientId, 1000, r.type === 'MRN' ? (r.retired ? 'previous MRN' : 'MRN') : 'identifier');
  }
  if (q.phone) {
    const digits = normalizePhone(q.phone);
    if (digits) for (const r of await db.selectFrom('patientPhones').select('patientId').where('digits', '=', digits).limit(PER_LOOKUP).execute()) hit(r.patientId, 500, 'phone');
  }
  if (q.ssnLast4 && q.birthDate) {
    const rows = await db.selectFrom('patients').select('id').where('ssnLast4', '=', q.ssnLast4).where('birthDate', '=', q.birthDate).limit(PER_LOOKUP).execute();
    for (const r of rows) hit(r.id, 600, 'SSN last four and birth date');
  }
  if (q.family) {
    const familyKey = normalizeName(q.family);
    const givenKey = q.given ? normalizeName(q.given) : '';
    const births = q.birthDate ? [q.birthDate, swappedDayMonth(q.birthDate)].filter((b): b is string => !!b) : null;
    if (familyKey) {
      // Exact family name, with the given name as a prefix.
      let exact = db.selectFrom('patientNames').select(['patientId', 'givenKey', 'birthDate', 'kind']).where('familyKey', '=', familyKey).limit(PER_LOOKUP);
      if (givenKey) exact = exact.where('givenKey', '>=', givenKey).where('givenKey', '<', prefixEnd(givenKey));
      if (births) exact = exact.where('birthDate', 'in', births);
      for (const r of await exact.execute()) hit(r.patientId, r.givenKey === givenKey ? 300 : 250, r.kind === 'legal' ? 'name' : `${r.kind} name`);
      // Family name as a prefix, read in index order: the first page is enough.
      let prefix = db
        .selectFrom('patientNames')
        .select(['patientId', 'kind'])
        .where('familyKey', '>', familyKey)
        .where('familyKey', '<', prefixEnd(familyKey))
        .orderBy('familyKey')
        .orderBy('givenKey')
        .limit(limit + 1);
      if (givenKey) prefix = prefix.where('givenKey', '>=', givenKey).where('givenKey', '<', prefixEnd(givenKey));
      if (births) prefix = prefix.where('birthDate', 'in', births);
      for (const r of await prefix.execute()) hit(r.patientId, 200, 'name begins with');
      // Sounds like (typos, spelling variants), and nicknames of the given name: the given name is
      // part of the look-up, so a common surname's thousands of rows cannot crowd the patient out.
      const familyPhonetic = phoneticKey(q.family);
      const givenCanons = q.given ? givenNameSearchKeys(q.given) : [];
      const givenPhonetic = q.given ? phoneticKey(q.given) : '';
      if (familyPhonetic && (q.given || births || familyKey.length > 4)) {
        let phonetic = db.selectFrom('patientNames').select(['patientId', 'givenCanon', 'givenPhonetic']).where('familyPhonetic', '=', familyPhonetic).limit(PER_LOOKUP);
        if (births) phonetic = phonetic.where('birthDate', 'in', births);
        if (q.given) {
          phonetic = phonetic.where((eb) =>
            eb.or([
              ...(givenCanons.length ? [eb('givenCanon', 'in', givenCanons)] : []),
              ...(givenPhonetic ? [eb('givenPhonetic', '=', givenPhonetic)] : []),
              eb('givenKey', '=', givenKey || '-'),
            ]),
          );
        }
        for (const r of await phonetic.execute()) {
          if (!q.given) hit(r.patientId, 120, 'name sounds like');
          else if (givenCanons.includes(r.givenCanon)) hit(r.patientId, 180, 'nickname or sounds like');
          else hit(r.patientId, 150, 'name sounds like');
        }
      }
    }
  } else if (q.birthDate) {
    let byBirth = db.selectFrom('patients').select('id').where('birthDate', '=', q.birthDate).limit(PER_LOOKUP);
    if (q.postalCode) byBirth = byBirth.where('postalCode', '=', q.postalCode);
    for (const r of await byBirth.execute()) hit(r.id, 100, 'birth date');
  } else if (q.postalCode) {
    for (const r of await db.selectFrom('patients').select('id').where('postalCode', '=', q.postalCode).limit(PER_LOOKUP).execute()) hit(r.id, 50, 'postal code');
  }

  if (hits.size === 0) return [];
  const rows = await db.selectFrom('patients').selectAll().where('id', 'in', [...hits.keys()]).execute();
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const results = rows
    .map((row) => toResult(row, hits.get(row.id)!, q, today))
    .sort((a, b) => b.rank - a.rank || a.family.localeCompare(b.family) || a.given.localeCompare(b.given))
    .slice(0, limit);
  if (results.length) {
    await ctx.db.transaction().execute((trx) =>
      recordAuditEvents(trx, results.map((r) => ({ actor: actorOf(principal), action: 'read' as const, patientId: r.id, recordType: 'patient_search_result', recordId: r.id })), ctx.clock),
    );
  }
  return results;
}

function toResult(row: PatientRow, h: { rank: number; matchedOn: Set<string> }, q: PatientQuery, today: string): PatientSearchResult {
  let rank = h.rank;
  const matchedOn = [...h.matchedOn];
  if (q.birthDate && row.birthDate === q.birthDate) {
    rank += 50;
    matchedOn.push('birth date');
  }
  if (q.postalCode && row.postalCode === q.postalCode) rank += 20;
  if (row.status !== 'active') rank -= 400;
  return {
    id: row.id, mrn: row.mrn, given: row.given, middle: row.middle, family: row.family, suffix: row.suffix,
    birthDate: row.birthDate, age: ageOn(row.birthDate, row.deathDate ?? today), sex: row.sex, postalCode: row.postalCode,
    deceased: row.deathDate != null, restricted: row.flagRestricted === 1, vip: row.flagVip === 1, rank, matchedOn: [...new Set(matchedOn)],
  };
}

function withoutEmpty(q: PatientQuery): PatientQuery {
  const out: PatientQuery = {};
  for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && v.trim() && k !== 'text') (out as Record<string, string>)[k] = v.trim();
  return out;
}
