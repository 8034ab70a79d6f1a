import type { Selectable, Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import { recordAuditEvent } from '../audit/trail.js';
import { addSeconds } from '../platform/clock.js';
import { randomToken, sha256Hex } from '../platform/crypto.js';
import { DomainError, invalid, unauthenticated } from '../platform/errors.js';
import type { SessionsTable } from './schema.js';
import { anonymousActor, makePrincipal, type Principal, type RequestOrigin } from './principal.js';
import { decoyPasswordHash, checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';
import { getUser, isLocked, type UserRow } from './users.js';
import { nextStage, type SessionStage } from './stages.js';
import { permissionsOf } from './roles.js';

export type SessionRow = Selectable<SessionsTable>;

/** What the web app learns about its session. */
export interface SessionInfo {
  user: { id: string; username: string; displayName: string; role: string; mfaEnrolled: boolean };
  stage: SessionStage;
  csrfToken: string;
  idleTimeoutSeconds: number;
  /** When the session ends unless the user does something (ISO-8601 UTC). */
  idleExpiresAt: string;
  permissions: string[];
}

export interface SignedIn {
  token: string;
  session: SessionInfo;
}

/** A resolved session: the row, its user, and the principal acting through it. */
export interface CurrentSession {
  row: SessionRow;
  user: UserRow;
  principal: Principal;
}

export function describeSession(ctx: AppContext, row: Pick<SessionRow, 'stage' | 'csrfToken' | 'lastSeenAt' | 'expiresAt'>, user: UserRow): SessionInfo {
  return {
    user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, mfaEnrolled: user.mfaEnrolledAt != null },
    stage: row.stage as SessionStage,
    csrfToken: row.csrfToken,
    idleTimeoutSeconds: ctx.config.idleTimeoutSeconds,
    idleExpiresAt: minIso(addSeconds(new Date(row.lastSeenAt), ctx.config.idleTimeoutSeconds).toISOString(), row.expiresAt),
    permissions: row.stage === 'active' ? permissionsOf(user.role) : [],
  };
}

const minIso = (a: string, b: string) => (a < b ? a : b);

const invalidCredentials = () =>
  unauthenticated('auth.invalid-credentials', 'The username or password is not correct.');

/**
 * Checks a username and password and opens a session at its first stage. Five failures in a row
 * (configurable) lock the account for a while; every attempt is audited. HIPAA 164.312(d).
 */
export async function logIn(ctx: AppContext, username: string, password: string, origin: RequestOrigin): Promise<SignedIn> {
  const now = ctx.clock.now();
  const user = await ctx.db.selectFrom('users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);

  if (!user || user.active !== 1) {
    await auditFailedLogIn(ctx, origin, username, user?.id ?? null, user ? 'disabled' : 'unknown-user');
    throw invalidCredentials();
  }
  if (isLocked(user, now)) {
    await auditFailedLogIn(ctx, origin, user.username, user.id, 'locked');
    throw new DomainError('locked', 'auth.locked', 'This account is locked after too many failed attempts. Try again later or ask an administrator to unlock it.');
  }
  if (!passwordOk) {
    const attempts = user.failedAttempts + 1;
    const locks = attempts >= ctx.config.lockoutThreshold;
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ failedAttempts: locks ? 0 : attempts, lockedUntil: locks ? addSeconds(now, ctx.config.lockoutSeconds).toISOString() : user.lockedUntil })
        .where('id', '=', user.id)
        .execute();
      await recordAuditEvent(trx, {
        actor: { ...anonymousActor(origin, user.username), id: user.id, role: user.role },
        action: 'login-failed', outcome: 'failure', recordType: 'user', recordId: user.id,
        details: { reason: 'wrong-password', attempts, locked: locks },
      }, ctx.clock);
    });
    if (locks) {
      throw new DomainError('locked', 'auth.locked', 'This account is now locked after too many failed attempts. Try again later or ask an administrator to unlock it.');
    }
    throw invalidCredentials();
  }

  const token = randomToken();
  const stage = nextStage({ mustChangePassword: user.mustChangePassword === 1, mfaEnrolled: user.mfaEnrolledAt != null, role: user.role, mfaVerified: false });
  const row: SessionRow = {
    id: sha256Hex(token),
    userId: user.id,
    stage,
    csrfToken: randomToken(24),
    ip: origin.ip ?? null,
    userAgent: origin.userAgent?.slice(0, 300) ?? null,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    expiresAt: addSeconds(now, ctx.config.sessionMaxSeconds).toISOString(),
    endedAt: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('sessions').values(row).execute();
    await trx.updateTable('users').set({ failedAttempts: 0, lockedUntil: null, lastLoginAt: now.toISOString() }).where('id', '=', user.id).execute();
    await recordAuditEvent(trx, {
      actor: { type: 'user', id: user.id, name: user.username, role: user.role, ip: origin.ip, userAgent: origin.userAgent },
      action: 'login', recordType: 'session', details: { stage },
    }, ctx.clock);
  });
  return { token, session: describeSession(ctx, row, user) };
}

async function auditFailedLogIn(ctx: AppContext, origin: RequestOrigin, username: string, userId: string | null, reason: string) {
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, {
      actor: { ...anonymousActor(origin, username.slice(0, 64)), id: userId },
      action: 'login-failed', outcome: 'failure', recordType: 'user', recordId: userId, details: { reason },
    }, ctx.clock),
  );
}

/**
 * Finds the session a cookie token names. An ended, expired or idle session is refused; an idle one
 * is ended and audited (automatic log-off, ONC 170.315(d)(5)). `touch` extends the idle timer.
 */
export async function resolveSession(ctx: AppContext, token: string, origin: RequestOrigin, touch: boolean): Promise<CurrentSession> {
  const now = ctx.clock.now();
  const row = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', sha256Hex(token)).executeTakeFirst();
  if (!row || row.endedAt != null) {
    // A forged, tampered or replayed (signed-out) session cookie: refused, and audited.
    await ctx.db.transaction().execute((trx) =>
      recordAuditEvent(trx, {
        actor: { ...anonymousActor(origin), id: row?.userId ?? null },
        action: 'session-refused', outcome: 'failure', recordType: 'session', details: { reason: row ? 'ended' : 'unknown' },
      }, ctx.clock),
    );
    throw unauthenticated('auth.required', 'Please sign in.');
  }
  const user = await getUser(ctx.db, row.userId);
  const idleSince = Date.parse(row.lastSeenAt);
  const idleExpired = now.getTime() - idleSince >= ctx.config.idleTimeoutSeconds * 1000;
  if (idleExpired || row.expiresAt <= now.toISOString() || user.active !== 1) {
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('sessions').set({ endedAt: now.toISOString() }).where('id', '=', row.id).execute();
      await recordAuditEvent(trx, {
        actor: { type: 'user', id: user.id, name: user.username, role: user.role, ip: origin.ip, userAgent: origin.userAgent },
        action: 'session-expired', recordType: 'session', details: { cause: idleExpired ? 'idle' : user.active !== 1 ? 'disabled' : 'max-age' },
      }, ctx.clock);
    });
    throw unauthenticated('auth.session-expired', 'Your session ended after a period of inactivity. Please sign in again.');
  }
  // Refresh the idle timer at most every tenth of the timeout, not on every request.
  const throttleMs = Math.min(30_000, (ctx.config.idleTimeoutSeconds * 1000) / 10);
  if (touch && now.getTime() - idleSince >= throttleMs) {
    await ctx.db.updateTable('sessions').set({ lastSeenAt: now.toISOString() }).where('id', '=', row.id).execute();
    row.lastSeenAt = now.toISOString();
  }
  return { row, user, principal: makePrincipal('user', user.id, user.username, user.role, origin, row.id) };
}

export async function logOut(ctx: AppContext, current: CurrentSession): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ endedAt: ctx.clock.now().toISOString() }).where('id', '=', current.row.id).execute();
    await recordAuditEvent(trx, { actor: actorFor(current), action: 'logout', recordType: 'session' }, ctx.clock);
  });
}

export const actorFor = (current: CurrentSession) => ({
  type: 'user' as const, id: current.user.id, name: current.user.username, role: current.user.role,
  ip: current.principal.ip, userAgent: current.principal.userAgent,
});

/** Moves a session to its next stage after a step of signing in succeeded. */
export async function advanceStage(trx: Transaction<DB>, sessionId: string, user: UserRow, mfaVerified: boolean): Promise<SessionStage> {
  const stage = nextStage({ mustChangePassword: user.mustChangePassword === 1, mfaEnrolled: user.mfaEnrolledAt != null, role: user.role, mfaVerified });
  await trx.updateTable('sessions').set({ stage }).where('id', '=', sessionId).execute();
  return stage;
}

/** Changes the user's own password; the current one must be given, the new one must meet the policy. */
export async function changePassword(ctx: AppContext, current: CurrentSession, currentPassword: string, newPassword: string): Promise<SessionInfo> {
  const { user } = current;
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    await ctx.db.transaction().execute((trx) =>
      recordAuditEvent(trx, { actor: actorFor(current), action: 'password-change', outcome: 'failure', recordType: 'user', recordId: user.id, details: { reason: 'wrong-current-password' } }, ctx.clock),
    );
    throw invalid('auth.invalid-credentials', 'The current password is not correct.', [{ field: 'currentPassword', message: 'Not correct.' }]);
  }
  const problems = checkPasswordPolicy(newPassword, user.username);
  if (newPassword === currentPassword) problems.push('Choose a password different from the current one.');
  if (problems.length) throw invalid('auth.password-policy', problems.join(' '), [{ field: 'newPassword', message: problems.join(' ') }]);
  const passwordHash = await hashPassword(newPassword);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('users').set({ passwordHash, mustChangePassword: 0, updatedAt: now }).where('id', '=', user.id).execute();
    // Other sessions of this user end: a changed password closes every other door.
    await trx.updateTable('sessions').set({ endedAt: now }).where('userId', '=', user.id).where('id', '!=', current.row.id).where('endedAt', 'is', null).execute();
    const updated = await getUser(trx, user.id);
    const stage = await advanceStage(trx, current.row.id, updated, current.row.stage === 'active');
    await recordAuditEvent(trx, { actor: actorFor(current), action: 'password-change', recordType: 'user', recordId: user.id }, ctx.clock);
    return describeSession(ctx, { ...current.row, stage }, updated);
  });
}
