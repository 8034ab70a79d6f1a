import type { ExpressionBuilder, Expression, Kysely, SqlBool } from 'kysely';
import type { DB } from '../schema.js';
import type { EncounterClass, EncounterStatus } from './events.js';
import type { EncounterRow } from './visit-record.js';

/** A place a patient stayed: a unit, or a room of it, or a bed of that room. */
export interface StayPlace {
  unit: string;
  room?: string;
  bed?: string;
}

/**
 * How a visit's period relates to an interval [from, to): `overlaps` it, `endsOnOrAfter` an instant,
 * `startsBefore` an instant. A visit still open lasts until the end of time; a planned visit starts at
 * its planned time.
 */
export type PeriodTest = { overlaps: [string, string] } | { endsOnOrAfter: string } | { startsBefore: string };

/** One criterion of a visit search; a search holds all of its criteria, a criterion any of its values. */
export type VisitCriterion =
  | { ids: string[] }
  | { patientIds: string[] }
  | { statuses: EncounterStatus[] }
  | { classes: EncounterClass[] }
  | { visitNumbers: string[] }
  | { stayedIn: StayPlace[] }
  | { period: PeriodTest[] };

type EB = ExpressionBuilder<DB, 'encounters'>;
const OPEN_END = '9999-12-31T23:59:59.999Z';

function condition(eb: EB, c: VisitCriterion): Expression<SqlBool> {
  if ('ids' in c) return eb('encounters.id', 'in', c.ids);
  if ('patientIds' in c) return eb('encounters.patientId', 'in', c.patientIds);
  if ('statuses' in c) return eb('encounters.status', 'in', c.statuses);
  if ('classes' in c) return eb('encounters.class', 'in', c.classes);
  if ('visitNumbers' in c) return eb('encounters.visitNumber', 'in', c.visitNumbers);
  if ('stayedIn' in c) {
    return eb.or(c.stayedIn.map((place) => {
      let stays = eb.selectFrom('encounterLocations as l').select('l.id')
        .whereRef('l.encounterId', '=', 'encounters.id').where('l.cancelled', '=', 0).where('l.unit', '=', place.unit);
      if (place.room) stays = stays.where('l.room', '=', place.room);
      if (place.bed) stays = stays.where('l.bed', '=', place.bed);
      return eb.exists(stays);
    }));
  }
  const start = eb.fn.coalesce('encounters.admittedAt', 'encounters.plannedAt');
  const end = eb.fn.coalesce('encounters.dischargedAt', eb.val(OPEN_END));
  return eb.or(c.period.map((test) => {
    if ('overlaps' in test) return eb.and([eb(start, '<', test.overlaps[1]), eb(end, '>=', test.overlaps[0])]);
    if ('endsOnOrAfter' in test) return eb(end, '>=', test.endsOnOrAfter);
    return eb(start, '<', test.startsBefore);
  }));
}

/** The visits that meet every criterion, newest first, one page of them, with how many there are in all. */
export async function searchVisits(
  db: Kysely<DB>,
  criteria: VisitCriterion[],
  page: { count: number; offset: number },
): Promise<{ rows: EncounterRow[]; total: number }> {
  const where = (eb: EB) => eb.and(criteria.map((c) => condition(eb, c)));
  const { n } = await db.selectFrom('encounters').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow();
  const rows = await db.selectFrom('encounters').selectAll().where(where)
    .orderBy((eb) => eb.fn.coalesce('admittedAt', 'plannedAt'), 'desc').orderBy('id', 'desc')
    .limit(page.count).offset(page.offset).execute();
  return { rows, total: Number(n) };
}
