import type { Selectable } from 'kysely';
import type { AppContext } from '../context.js';
import type { EmergencyAccessGrantsTable } from './schema.js';
import { recordAuditEvent } from '../audit/trail.js';
import { addSeconds } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { conflict, DomainError, invalid, notFound } from '../platform/errors.js';
import { actorOf, hasPermission, type Principal } from './principal.js';
import { recordDenial } from './guard.js';
import type { Permission } from './roles.js';

/**
 * Emergency access ("break the glass"), HIPAA 164.312(a)(2)(ii) and ONC 170.315(d)(6): a user may open
 * one patient's record beyond their role for a limited time by stating why. Every such grant waits
 * for a privacy officer's review, and every access under it is flagged in the audit trail.
 */
export const MIN_REASON_LENGTH = 10;

export type EmergencyAccessGrant = Selectable<EmergencyAccessGrantsTable> & { username: string };

export async function breakTheGlass(ctx: AppContext, principal: Principal, patientId: string, reason: string): Promise<EmergencyAccessGrant> {
  if (principal.kind !== 'user') throw new DomainError('forbidden', 'access.forbidden', 'Only a person may use emergency access.');
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw invalid('request.invalid', 'State why you need emergency access.', [{ field: 'reason', message: `Give a reason of at least ${MIN_REASON_LENGTH} characters.` }]);
  }
  const now = ctx.clock.now();
  const grant = {
    id: newId(),
    userId: principal.id,
    patientId,
    reason: reason.trim(),
    grantedAt: now.toISOString(),
    expiresAt: addSeconds(now, ctx.config.emergencyAccessSeconds).toISOString(),
    reviewedAt: null,
    reviewedBy: null,
    reviewNote: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('emergencyAccessGrants').values(grant).execute();
    await recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'emergency-access', patientId, recordType: 'emergency_access_grant', recordId: grant.id,
      reason: grant.reason, emergency: true,
    }, ctx.clock);
  });
  return { ...grant, username: principal.name };
}

export type PatientAccessDecision = 'permitted' | 'emergency';

/**
 * Decides whether a principal may act on one patient's record: by role, or under an unexpired
 * emergency grant (the caller then flags its audit event as emergency). Otherwise the denial is
 * audited and a 403 thrown whose code tells the web app that breaking the glass is possible.
 */
export async function decidePatientAccess(ctx: AppContext, principal: Principal, permission: Permission, patientId: string): Promise<PatientAccessDecision> {
  if (hasPermission(principal, permission)) return 'permitted';
  if (principal.kind === 'user' && (await hasEmergencyGrant(ctx, principal.id, patientId))) return 'emergency';
  await recordDenial(ctx, principal, permission, { patientId });
  throw new DomainError('forbidden', 'access.emergency-available', 'Your role does not permit this. In an emergency you may request emergency access, which is reviewed.');
}

export async function hasEmergencyGrant(ctx: AppContext, userId: string, patientId: string): Promise<boolean> {
  const grant = await ctx.db
    .selectFrom('emergencyAccessGrants')
    .select('id')
    .where('userId', '=', userId)
    .where('patientId', '=', patientId)
    .where('expiresAt', '>', ctx.clock.now().toISOString())
    .executeTakeFirst();
  return grant !== undefined;
}

export async function listEmergencyGrants(ctx: AppContext, principal: Principal, status: 'pending' | 'reviewed'): Promise<EmergencyAccessGrant[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('emergencyAccessGrants')
      .innerJoin('users', 'users.id', 'emergencyAccessGrants.userId')
      .selectAll('emergencyAccessGrants')
      .select('users.username')
      .where('emergencyAccessGrants.reviewedAt', status === 'pending' ? 'is' : 'is not', null)
      .orderBy('emergencyAccessGrants.grantedAt', 'desc')
      .limit(500)
      .execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', recordType: 'emergency_access_grant', details: { status, count: rows.length } }, ctx.clock);
    return rows;
  });
}

export async function reviewEmergencyGrant(ctx: AppContext, principal: Principal, id: string, note: string): Promise<EmergencyAccessGrant> {
  if (!note.trim()) throw invalid('request.invalid', 'Write a review note.', [{ field: 'note', message: 'Required.' }]);
  return ctx.db.transaction().execute(async (trx) => {
    const grant = await trx.selectFrom('emergencyAccessGrants').selectAll().where('id', '=', id).executeTakeFirst();
    if (!grant) throw notFound('The emergency access grant');
    if (grant.userId === principal.id) throw new DomainError('forbidden', 'access.self-review', 'You cannot review your own emergency access.');
    const reviewedAt = ctx.clock.now().toISOString();
    // Only a pending grant takes a review: the first reviewer's name and note are kept, even when two
    // officers submit at once (the row lock makes the second update find it already reviewed).
    const updated = await trx
      .updateTable('emergencyAccessGrants')
      .set({ reviewedAt, reviewedBy: principal.name, reviewNote: note.trim() })
      .where('id', '=', id)
      .where('reviewedAt', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('access.already-reviewed', 'This emergency access has already been reviewed.');
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'update', patientId: grant.patientId, recordType: 'emergency_access_grant', recordId: id }, ctx.clock);
    const user = await trx.selectFrom('users').select('username').where('id', '=', grant.userId).executeTakeFirstOrThrow();
    return { ...grant, reviewedAt, reviewedBy: principal.name, reviewNote: note.trim(), username: user.username };
  });
}
