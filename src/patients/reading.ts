import type { AppContext } from '../context.js';
import { recordAuditEvent } from '../audit/trail.js';
import { actorOf, type Principal } from '../access/principal.js';
import { aliasMrnsOf, getPatientRow, toPatientView, type PatientView } from './patient-record.js';
import { assertPatientReadable } from './confidentiality.js';

/** Opens a patient's record: checks confidentiality, and audits the read (flagged when under emergency access). */
export async function readPatient(ctx: AppContext, principal: Principal, id: string): Promise<PatientView> {
  const row = await getPatientRow(ctx.db, id);
  const emergency = await assertPatientReadable(ctx, principal, row);
  return ctx.db.transaction().execute(async (trx) => {
    const aliases = await aliasMrnsOf(trx, id);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: id, recordType: 'patient', recordId: id, emergency }, ctx.clock);
    return toPatientView(row, aliases);
  });
}
