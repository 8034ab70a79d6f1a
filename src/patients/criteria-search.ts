import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import { givenNameSearchKeys, normalizeEmail, normalizeName, normalizePhone, normalizePostalCode } from './name-keys.js';
import type { PatientRow } from './patient-record.js';

/** How a birth date compares with a day (YYYY-MM-DD). */
export type BirthDateTest = { from: string; to: string } | { after: string } | { onOrAfter: string } | { before: string } | { onOrBefore: string };

/**
 * One criterion of a search of the index by structured fields (the FHIR facade's Patient search);
 * a search holds all of its criteria, and a criterion any of its values. Names, phones, e-mail and
 * postal codes are keyed here as they were when stored, so the search runs on indexed keys: a name is
 * a prefix range on its key, never LIKE '%x%'.
 */
export type PatientCriterion =
  | { ids: string[] }
  | { identifiers: { system?: string; value?: string }[] }
  | { ssns: string[] }
  | { familyStarts: string[] }
  /** Any family name starting with, or a given name (or its nickname form) equal to, the value. */
  | { nameMatches: string[] }
  | { givenIs: string[] }
  /** The start of a given name: only with a family or name criterion, which narrows on an index first. */
  | { givenStarts: string[] }
  | { birthDate: BirthDateTest[] }
  | { sexes: string[] }
  | { phones: string[] }
  | { emails: string[] }
  | { postalCodeStarts: string[] }
  | { active: boolean }
  /** Any of these criteria. */
  | { anyOf: PatientCriterion[] };

type EB = ExpressionBuilder<DB, 'patients'>;
const NOTHING = sql<SqlBool>`1 = 0`;
const prefixEnd = (prefix: string) => prefix + '\u007f';

function familyStarts(eb: EB, value: string): Expression<SqlBool> {
  const key = normalizeName(value);
  if (!key) return NOTHING; // No Latin letters to key on: non-Latin names have empty keys.
  return eb('patients.id', 'in', eb.selectFrom('patientNames').select('patientNames.patientId').where('patientNames.familyKey', '>=', key).where('patientNames.familyKey', '<', prefixEnd(key)));
}

function givenIs(eb: EB, value: string): Expression<SqlBool> {
  const keys = givenNameSearchKeys(value);
  if (!keys.length) return NOTHING;
  return eb('patients.id', 'in', eb.selectFrom('patientNames').select('patientNames.patientId').where('patientNames.givenCanon', 'in', keys));
}

function givenStarts(eb: EB, value: string): Expression<SqlBool> {
  const key = normalizeName(value);
  if (!key) return NOTHING;
  return eb.exists(eb.selectFrom('patientNames as g').select('g.id').whereRef('g.patientId', '=', 'patients.id').where('g.givenKey', '>=', key).where('g.givenKey', '<', prefixEnd(key)));
}

function birthDate(eb: EB, test: BirthDateTest): Expression<SqlBool> {
  if ('from' in test) return eb.and([eb('patients.birthDate', '>=', test.from), eb('patients.birthDate', '<=', test.to)]);
  if ('after' in test) return eb('patients.birthDate', '>', test.after);
  if ('onOrAfter' in test) return eb('patients.birthDate', '>=', test.onOrAfter);
  if ('before' in test) return eb('patients.birthDate', '<', test.before);
  return eb('patients.birthDate', '<=', test.onOrBefore);
}

function identifier(eb: EB, id: { system?: string; value?: string }): Expression<SqlBool> {
  let ids = eb.selectFrom('patientIdentifiers').select('patientIdentifiers.patientId');
  if (id.system) ids = ids.where('patientIdentifiers.system', '=', id.system);
  if (id.value) ids = ids.where('patientIdentifiers.value', 'in', [...new Set([id.value, id.value.toUpperCase()])]);
  return eb('patients.id', 'in', ids);
}

function condition(ctx: AppContext, eb: EB, c: PatientCriterion): Expression<SqlBool> {
  const any = <T>(values: T[], one: (v: T) => Expression<SqlBool>) => eb.or(values.map(one));
  if ('ids' in c) return eb('patients.id', 'in', c.ids);
  if ('identifiers' in c) return any(c.identifiers, (id) => identifier(eb, id));
  if ('ssns' in c) {
    return any(c.ssns, (ssn) => {
      const digits = ssn.replace(/\D/g, '');
      return digits.length === 9 ? eb('patients.ssnHash', '=', ctx.keyring.lookupHash(`ssn:${digits}`)) : NOTHING;
    });
  }
  if ('familyStarts' in c) return any(c.familyStarts, (v) => familyStarts(eb, v));
  if ('nameMatches' in c) return any(c.nameMatches, (v) => eb.or([familyStarts(eb, v), givenIs(eb, v)]));
  if ('givenIs' in c) return any(c.givenIs, (v) => givenIs(eb, v));
  if ('givenStarts' in c) return any(c.givenStarts, (v) => givenStarts(eb, v));
  if ('birthDate' in c) return any(c.birthDate, (t) => birthDate(eb, t));
  if ('sexes' in c) return eb('patients.sex', 'in', c.sexes);
  if ('phones' in c) {
    return any(c.phones, (v) => {
      const digits = normalizePhone(v);
      return digits ? eb('patients.id', 'in', eb.selectFrom('patientPhones').select('patientPhones.patientId').where('patientPhones.digits', '=', digits)) : NOTHING;
    });
  }
  if ('emails' in c) return eb('patients.email', 'in', c.emails.map(normalizeEmail));
  if ('postalCodeStarts' in c) {
    return any(c.postalCodeStarts, (v) => {
      const code = normalizePostalCode(v);
      return eb.and([eb('patients.postalCode', '>=', code), eb('patients.postalCode', '<', prefixEnd(code))]);
    });
  }
  if ('anyOf' in c) return any(c.anyOf, (one) => condition(ctx, eb, one));
  return eb('patients.status', c.active ? '=' : '!=', 'active');
}

/** The page of patient rows meeting every criterion, in a stable order (family, given, birth date, id), and how many there are in all. */
export async function findPatientsByCriteria(
  ctx: AppContext,
  criteria: PatientCriterion[],
  page: { count: number; offset: number },
): Promise<{ rows: PatientRow[]; total: number }> {
  const base = () => criteria.reduce((q, c) => q.where((eb) => condition(ctx, eb, c)), ctx.db.selectFrom('patients'));
  const { n } = await base().select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  const total = Number(n);
  if (total === 0 || page.offset >= total) return { rows: [], total };
  const rows = await base()
    .selectAll('patients')
    .orderBy('patients.family')
    .orderBy('patients.given')
    .orderBy('patients.birthDate')
    .orderBy('patients.id')
    .limit(page.count)
    .offset(page.offset)
    .execute();
  return { rows, total };
}

/** Patient rows by id, in no particular order (ids not found are left out). */
export async function patientRowsByIds(ctx: AppContext, ids: string[]): Promise<PatientRow[]> {
  return ids.length ? ctx.db.selectFrom('patients').selectAll().where('id', 'in', ids).execute() : [];
}
