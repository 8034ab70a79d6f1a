import type { AppContext } from '../context.js';
import { recordAuditEvent } from '../audit/trail.js';
import { forbidden } from '../platform/errors.js';
import { actorOf, hasPermission, type Principal } from './principal.js';
import type { Permission } from './roles.js';

export interface DeniedAccess {
  recordType?: string;
  recordId?: string;
  patientId?: string;
}

/**
 * Throws 403 when the principal's role lacks the permission, after writing the denial to the audit
 * trail in its own transaction (the work itself never started, so nothing else is written).
 */
export async function assertPermission(ctx: AppContext, principal: Principal, permission: Permission, what: DeniedAccess = {}): Promise<void> {
  if (hasPermission(principal, permission)) return;
  await recordDenial(ctx, principal, permission, what);
  throw forbidden();
}

export async function recordDenial(ctx: AppContext, principal: Principal, permission: string, what: DeniedAccess = {}): Promise<void> {
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(
      trx,
      {
        actor: actorOf(principal),
        action: 'permission-denied',
        outcome: 'failure',
        recordType: what.recordType ?? null,
        recordId: what.recordId ?? null,
        patientId: what.patientId ?? null,
        details: { permission },
      },
      ctx.clock,
    ),
  );
}
