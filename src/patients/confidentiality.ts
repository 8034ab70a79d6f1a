import type { AppContext } from '../context.js';
import { decidePatientAccess } from '../access/emergency-access.js';
import { hasPermission, type Principal } from '../access/principal.js';
import type { PatientRow } from './patient-record.js';

/**
 * Who may open a patient's record. Anyone whose role reads patients may open an ordinary record; a
 * record flagged restricted (a VIP, an employee, a confidential case) opens directly only for the
 * HIM supervisor and the privacy officer, and for anyone else only under an emergency-access grant
 * with a stated reason. Answers true when the access is an emergency one (the audit event says so).
 */
export async function assertPatientReadable(ctx: AppContext, principal: Principal, row: Pick<PatientRow, 'id' | 'flagRestricted'>): Promise<boolean> {
  if (row.flagRestricted !== 1) return (await decidePatientAccess(ctx, principal, 'patients.read', row.id)) === 'emergency';
  const trusted = hasPermission(principal, 'patients.merge') || hasPermission(principal, 'emergency_access.review');
  if (trusted) return false;
  // The restricted record needs a grant even from roles that read patients: ask with a permission they lack.
  return (await decidePatientAccess(ctx, principal, 'emergency_access.review', row.id)) === 'emergency';
}
