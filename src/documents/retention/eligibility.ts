import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvents } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { getPatientRow, patientIdsUnderLegalHold } from '../../patients/index.js';
import { findDocumentType, type DocumentType } from '../document-types.js';
import { coveredByHold } from './legal-holds.js';
import { patientLabels } from './patient-labels.js';
import { loadRetentionRules } from './rule-store.js';
import { eligibleFrom, ruleFor, type RetentionRule } from './retention-rules.js';

type Executor = AppContext['db'] | Transaction<DB>;

const today = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

/** The first day a document may be destroyed, computed now from the rules and the patient's birth date. */
export async function computeEligibleFrom(db: Executor, rules: readonly RetentionRule[], doc: { typeCode: string; serviceDate: string; patientId: string }) {
  const patient = await getPatientRow(db, doc.patientId);
  const rule = ruleFor(rules, doc.typeCode);
  return { eligibleFrom: eligibleFrom(rule, doc.serviceDate, patient.birthDate || null), rule, patient };
}

const REFRESH_BATCH = 500;

/**
 * Fills in the retention date of every document that has none yet (filed since the last refresh, or
 * every document after a rule changed). The dates are kept in an indexed table, so the eligible list
 * is one indexed range query however many documents there are; a date is only a cache: destruction
 * computes it again inside its transaction before anything is destroyed.
 */
export async function refreshRetentionDates(ctx: AppContext): Promise<number> {
  const rules = await loadRetentionRules(ctx.db);
  let filled = 0;
  for (;;) {
    const pending = await ctx.db.selectFrom('documents as d')
      .leftJoin('documentRetention as r', 'r.documentId', 'd.id')
      .select(['d.id', 'd.typeCode', 'd.serviceDate', 'd.patientId'])
      .where('r.documentId', 'is', null).where('d.status', '!=', 'destroyed')
      .limit(REFRESH_BATCH).execute();
    if (!pending.length) return filled;
    const births = new Map<string, string | null>();
    for (const id of new Set(pending.map((p) => p.patientId))) births.set(id, (await getPatientRow(ctx.db, id)).birthDate || null);
    const now = ctx.clock.now().toISOString();
    const rows = pending.map((d) => {
      const rule = ruleFor(rules, d.typeCode);
      return { documentId: d.id, eligibleFrom: eligibleFrom(rule, d.serviceDate, births.get(d.patientId) ?? null), ruleId: rule.id, computedAt: now };
    });
    await ctx.db.insertInto('documentRetention').values(rows).onConflict((oc) => oc.column('documentId').doNothing()).execute();
    filled += rows.length;
    if (pending.length < REFRESH_BATCH) return filled;
  }
}


export interface EligibleDocument {
  id: string;
  patientId: string;
  patient: { mrn: string; name: string };
  type: DocumentType;
  title: string | null;
  serviceDate: string;
  eligibleFrom: string;
  status: string;
  /** The open destruction proposal that already names it, if any. */
  proposedIn: string | null;
}

export interface EligibleQuery {
  typeCode?: string;
  page?: number;
  pageSize?: number;
}

/**
 * Documents past retention, not destroyed, and under no legal hold (the patient's record or the
 * document), oldest eligibility first, a page at a time; audited as a read of each patient shown.
 */
export async function eligibleDocuments(ctx: AppContext, principal: Principal, query: EligibleQuery = {}): Promise<{ documents: EligibleDocument[]; total: number; page: number; pageSize: number }> {
  await refreshRetentionDates(ctx);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  return ctx.db.transaction().execute(async (trx) => {
    const heldPatients = await patientIdsUnderLegalHold(trx);
    let q = trx.selectFrom('documentRetention as r').innerJoin('documents as d', 'd.id', 'r.documentId')
      .where('r.eligibleFrom', '<=', today(ctx)).where('d.status', '!=', 'destroyed')
      .where((eb) => eb.not(coveredByHold(eb)));
    if (heldPatients.length) q = q.where('d.patientId', 'not in', heldPatients);
    if (query.typeCode) q = q.where('d.typeCode', '=', query.typeCode);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q.select(['d.id', 'd.patientId', 'd.typeCode', 'd.title', 'd.serviceDate', 'd.status', 'r.eligibleFrom'])
      .select((eb) => eb.selectFrom('destructionBatchDocuments as bd').innerJoin('destructionBatches as b', 'b.id', 'bd.batchId')
        .select('b.id').whereRef('bd.documentId', '=', 'd.id').where('b.status', '=', 'proposed').limit(1).as('proposedIn'))
      .orderBy('r.eligibleFrom').orderBy('d.id').limit(pageSize).offset((page - 1) * pageSize).execute();
    const patients = await patientLabels(trx, rows.map((r) => r.patientId));
    if (rows.length) {
      await recordAuditEvents(trx, [...patients.keys()].map((patientId) => ({
        actor: actorOf(principal), action: 'read' as const, patientId, recordType: 'document_list', details: { purpose: 'retention', count: rows.filter((r) => r.patientId === patientId).length },
      })), ctx.clock);
    }
    return {
      documents: rows.map((r) => ({
        id: r.id, patientId: r.patientId, patient: patients.get(r.patientId)!, title: r.title, serviceDate: r.serviceDate, eligibleFrom: r.eligibleFrom, status: r.status,
        type: findDocumentType(r.typeCode) ?? { code: r.typeCode, display: r.typeCode, category: 'administrative' }, proposedIn: r.proposedIn ?? null,
      })),
      total: Number(n), page, pageSize,
    };
  });
}
