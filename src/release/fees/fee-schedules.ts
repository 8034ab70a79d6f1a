import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { newId } from '../../platform/ids.js';
import { DEFAULT_FEE_SCHEDULE, FeeSchedule } from './fee-schedule.js';

type Executor = AppContext['db'] | Transaction<DB>;

export interface SavedFeeSchedule {
  schedule: FeeSchedule;
  /** 0: nobody has saved one, so the default applies. */
  version: number;
  savedAt: string | null;
  savedBy: string | null;
}

/** The schedule in force: the last one saved, or the default. */
export async function currentFeeSchedule(db: Executor): Promise<SavedFeeSchedule> {
  const row = await db.selectFrom('feeSchedules').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  if (!row) return { schedule: DEFAULT_FEE_SCHEDULE, version: 0, savedAt: null, savedBy: null };
  return { schedule: FeeSchedule.parse(JSON.parse(row.schedule)), version: Number(row.version), savedAt: row.savedAt, savedBy: row.savedBy };
}

/** Every saved version, newest first (who and when; the schedules themselves are kept too). */
export async function feeScheduleHistory(db: Executor): Promise<{ version: number; savedAt: string; savedBy: string }[]> {
  const rows = await db.selectFrom('feeSchedules').select(['version', 'savedAt', 'savedBy']).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}

/** Saves a new version of the schedule (the old ones stay), audited in the same transaction. */
export async function saveFeeSchedule(ctx: AppContext, principal: Principal, schedule: FeeSchedule): Promise<SavedFeeSchedule> {
  return ctx.db.transaction().execute(async (trx) => {
    const { version } = await currentFeeSchedule(trx);
    const id = newId();
    const savedAt = ctx.clock.now().toISOString();
    await trx.insertInto('feeSchedules').values({ id, version: version + 1, schedule: JSON.stringify(schedule), savedAt, savedBy: principal.name }).execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'update', recordType: 'fee_schedule', recordId: id, details: { version: version + 1 } }, ctx.clock);
    return { schedule, version: version + 1, savedAt, savedBy: principal.name };
  });
}
