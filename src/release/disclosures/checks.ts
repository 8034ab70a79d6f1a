import type { AppContext } from '../../context.js';
import type { Principal } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow, type PatientRow } from '../../patients/index.js';
import { findDocumentRow } from '../../documents/index.js';
import { DomainError, invalid, isDomainError, type FieldError } from '../../platform/errors.js';
import { todayOf, type IsoDate } from './deadlines.js';

/** The patient a release record names, readable by the caller; an unknown id is refused naming the field. */
export async function openPatientFor(ctx: AppContext, principal: Principal, patientId: string, field = 'patientId'): Promise<{ patient: PatientRow; emergency: boolean }> {
  let patient: PatientRow;
  try {
    patient = await getPatientRow(ctx.db, patientId);
  } catch (err) {
    if (isDomainError(err) && err.kind === 'not-found') {
      throw new DomainError('not-found', 'patient.not-found', 'No patient has this id.', [{ field, message: 'No patient has this id.' }]);
    }
    throw err;
  }
  if (patient.status !== 'active') {
    throw new DomainError('conflict', 'patient.merged', 'This record was merged into another; use the surviving record.', [{ field, message: 'Merged into another record.' }]);
  }
  const emergency = await assertPatientReadable(ctx, principal, patient);
  return { patient, emergency };
}

/** A date that must not lie in the future (a receipt, a disclosure). */
export function checkNotFuture(value: string, field: string, now: Date): FieldError[] {
  return value.slice(0, 10) > todayOf(now) || (value.length > 10 && new Date(value).getTime() > now.getTime())
    ? [{ field, message: 'This date is in the future.' }]
    : [];
}

/** Each id must name one of the patient's documents. */
export async function checkDocumentsOfPatient(ctx: AppContext, patientId: string, documentIds: readonly string[], field = 'documentIds'): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  for (const [i, id] of documentIds.entries()) {
    const row = await findDocumentRow(ctx.db, id);
    if (!row || row.patientId !== patientId) problems.push({ field: `${field}.${i}`, message: "Not one of this patient's documents." });
  }
  return problems;
}

export function assertNoProblems(code: string, problems: FieldError[]): void {
  if (problems.length) throw invalid(code, problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}

export const isIsoDate = (value: string): value is IsoDate => /^\d{4}-\d{2}-\d{2}$/.test(value);
