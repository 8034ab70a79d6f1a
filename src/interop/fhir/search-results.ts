import type { AppContext } from '../../context.js';
import type { Principal } from '../../access/principal.js';
import { actorOf } from '../../access/principal.js';
import { recordAuditEvents } from '../../audit/trail.js';
import { DomainError } from '../../platform/errors.js';
import { aliasMrnsOfMany, assertPatientReadable, toPatientView, type PatientRow, type PatientView } from '../../patients/index.js';

/**
 * Opens the records a search or a match found, as a clerk's search list does: a restricted record is
 * withheld unless the caller may open it (its denial is audited by the confidentiality rule), and
 * every record handed out is an audited read, in one batch.
 */
export async function openFoundPatients(
  ctx: AppContext,
  principal: Principal,
  rows: PatientRow[],
  recordType: 'patient_search_result' | 'patient_match_result',
): Promise<{ views: PatientView[]; withheld: number }> {
  const readable: { row: PatientRow; emergency: boolean }[] = [];
  let withheld = 0;
  for (const row of rows) {
    if (row.flagRestricted !== 1) {
      readable.push({ row, emergency: false });
      continue;
    }
    try {
      readable.push({ row, emergency: await assertPatientReadable(ctx, principal, row) });
    } catch (err) {
      if (!(err instanceof DomainError && err.kind === 'forbidden')) throw err;
      withheld++;
    }
  }
  if (!readable.length) return { views: [], withheld };
  const aliases = await aliasMrnsOfMany(ctx.db, readable.map((r) => r.row.id));
  const views = readable.map(({ row }) => toPatientView(row, aliases.get(row.id)));
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvents(trx, readable.map(({ row, emergency }) => ({ actor: actorOf(principal), action: 'read' as const, patientId: row.id, recordType, recordId: row.id, emergency })), ctx.clock),
  );
  return { views, withheld };
}
