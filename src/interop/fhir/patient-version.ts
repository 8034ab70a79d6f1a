import type { AppContext } from '../../context.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { notFound } from '../../platform/errors.js';
import { assertPatientReadable, getPatientRow, toPatientView, type PatientRow, type PatientView } from '../../patients/index.js';

/**
 * One earlier version of a patient's record (FHIR vread), rebuilt from the snapshot kept with it.
 * The confidentiality rule of the record as it is now applies, and the read is audited.
 */
export async function readPatientVersion(ctx: AppContext, principal: Principal, id: string, version: number): Promise<PatientView> {
  const current = await getPatientRow(ctx.db, id);
  const emergency = await assertPatientReadable(ctx, principal, current);
  return ctx.db.transaction().execute(async (trx) => {
    const kept = await trx
      .selectFrom('patientVersions')
      .select('snapshot')
      .where('patientId', '=', id)
      .where('version', '=', version)
      .orderBy('changedAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!kept) throw notFound(`Version ${version} of the patient`);
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: id, recordType: 'patient_version', recordId: id, emergency, details: { version } }, ctx.clock);
    return toPatientView(JSON.parse(kept.snapshot) as PatientRow);
  });
}
