import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/actions.js';
import { recordAuditEvent, recordAuditEvents } from '../audit/trail.js';
import { DomainError, notFound } from '../platform/errors.js';
import { findMatchCandidates, matchRecordOfRow } from './candidates.js';
import { queueSuspectedDuplicates } from './registration.js';
import type { FieldComparison } from './matching.js';

export const DUPLICATE_STATUSES = ['open', 'not_duplicate', 'merged'] as const;
export type DuplicateStatus = (typeof DUPLICATE_STATUSES)[number];

export interface DuplicatePairView {
  id: string;
  score: number;
  grade: string;
  status: DuplicateStatus;
  foundBy: string;
  createdAt: string;
  fields: FieldComparison[];
  a: PairSide;
  b: PairSide;
  resolvedAt: string | null;
  resolvedBy: string | null;
  note: string | null;
}

interface PairSide {
  id: string;
  mrn: string;
  given: string;
  family: string;
  birthDate: string;
  sex: string;
  status: string;
}

/** The duplicates work queue: open pairs, best first. Listing it is an audited read of each patient shown. */
export async function listDuplicatePairs(ctx: AppContext, actor: AuditActor, status: DuplicateStatus = 'open', limit = 50): Promise<DuplicatePairView[]> {
  const rows = await ctx.db
    .selectFrom('duplicateCandidates as d')
    .innerJoin('patients as a', 'a.id', 'd.patientA')
    .innerJoin('patients as b', 'b.id', 'd.patientB')
    .select([
      'd.id', 'd.score', 'd.grade', 'd.status', 'd.foundBy', 'd.createdAt', 'd.fields', 'd.resolvedAt', 'd.resolvedBy', 'd.note',
      'a.id as aId', 'a.mrn as aMrn', 'a.given as aGiven', 'a.family as aFamily', 'a.birthDate as aBirthDate', 'a.sex as aSex', 'a.status as aStatus',
      'b.id as bId', 'b.mrn as bMrn', 'b.given as bGiven', 'b.family as bFamily', 'b.birthDate as bBirthDate', 'b.sex as bSex', 'b.status as bStatus',
    ])
    .where('d.status', '=', status)
    .$if(status === 'open', (q) => q.where('a.status', '=', 'active').where('b.status', '=', 'active'))
    // Certain before probable before possible; within a grade, the higher score first.
    .orderBy(sql`case d.grade when 'certain' then 0 when 'probable' then 1 else 2 end`)
    .orderBy('d.score', 'desc')
    .limit(Math.min(limit, 200))
    .execute();
  const pairs = rows.map((r): DuplicatePairView => ({
    id: r.id, score: r.score, grade: r.grade, status: r.status as DuplicateStatus, foundBy: r.foundBy, createdAt: r.createdAt,
    fields: JSON.parse(r.fields), resolvedAt: r.resolvedAt, resolvedBy: r.resolvedBy, note: r.note,
    a: { id: r.aId, mrn: r.aMrn, given: r.aGiven, family: r.aFamily, birthDate: r.aBirthDate, sex: r.aSex, status: r.aStatus },
    b: { id: r.bId, mrn: r.bMrn, given: r.bGiven, family: r.bFamily, birthDate: r.bBirthDate, sex: r.bSex, status: r.bStatus },
  }));
  if (pairs.length) {
    await ctx.db.transaction().execute((trx) =>
      recordAuditEvents(trx, pairs.flatMap((p) => [p.a.id, p.b.id]).map((patientId) => ({ actor, action: 'read' as const, patientId, recordType: 'duplicate_pair' })), ctx.clock),
    );
  }
  return pairs;
}

/** Records that a pair is two different people; the pair is not offered again. */
export async function markNotDuplicate(ctx: AppContext, actor: AuditActor, pairId: string, note: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const pair = await trx.selectFrom('duplicateCandidates').selectAll().where('id', '=', pairId).executeTakeFirst();
    if (!pair) throw notFound('The suspected duplicate pair');
    if (pair.status !== 'open') throw new DomainError('conflict', 'duplicate.resolved', 'This pair was already resolved.');
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('duplicateCandidates').set({ status: 'not_duplicate', resolvedAt: now, resolvedBy: actor.name ?? actor.type, note: note.trim() || null }).where('id', '=', pairId).execute();
    await recordAuditEvent(trx, { actor, action: 'update', patientId: pair.patientA, recordType: 'duplicate_pair', recordId: pairId, details: { decision: 'not-duplicate', other: pair.patientB } }, ctx.clock);
  });
}

export interface ScanProgress {
  scanned: number;
  queued: number;
  /** Where the next batch starts; null when the whole index was scanned. */
  nextAfterId: string | null;
}

/**
 * One batch of the duplicate scan over the whole index: each active patient is compared with its
 * likely matches, and new suspected pairs join the work queue (pairs already decided stay decided).
 * Resumable: pass the answer's nextAfterId to scan the next batch; any instance may run the next.
 */
export async function scanForDuplicates(ctx: AppContext, actor: AuditActor, options: { afterId?: string | null; batchSize?: number } = {}): Promise<ScanProgress> {
  const batchSize = Math.min(options.batchSize ?? 500, 5000);
  let q = ctx.db.selectFrom('patients').selectAll().where('status', '=', 'active').orderBy('id').limit(batchSize);
  if (options.afterId) q = q.where('id', '>', options.afterId);
  const rows = await q.execute();
  let queued = 0;
  for (const row of rows) {
    const candidates = (await findMatchCandidates(ctx.db, matchRecordOfRow(row), { excludeIds: [row.id], limit: 20 })).filter((c) => c.patientId > row.id);
    if (candidates.length === 0) continue;
    queued += await ctx.db.transaction().execute(async (trx) => {
      const n = await queueSuspectedDuplicates(trx, ctx, row.id, candidates, 'scan');
      if (n) await recordAuditEvent(trx, { actor, action: 'read', patientId: row.id, recordType: 'duplicate_scan', details: { queued: n } }, ctx.clock);
      return n;
    });
  }
  return { scanned: rows.length, queued, nextAfterId: rows.length === batchSize ? rows[rows.length - 1].id : null };
}
