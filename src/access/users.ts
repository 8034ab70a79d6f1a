import type { Selectable, Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor } from '../audit/actions.js';
import { recordAuditEvent } from '../audit/trail.js';
import { newId } from '../platform/ids.js';
import { conflict, invalid, notFound } from '../platform/errors.js';
import type { UsersTable } from './schema.js';
import { isRole, ROLES } from './roles.js';
import { checkPasswordPolicy, generateTemporaryPassword, hashPassword } from './passwords.js';

export type UserRow = Selectable<UsersTable>;

/** A user as administrators and the user see them: never the hash or the MFA secret. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  active: boolean;
  locked: boolean;
  mfaEnrolled: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export function toUserView(u: UserRow, now: Date): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    active: u.active === 1,
    locked: isLocked(u, now),
    mfaEnrolled: u.mfaEnrolledAt != null,
    mustChangePassword: u.mustChangePassword === 1,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

export const isLocked = (u: Pick<UserRow, 'lockedUntil'>, now: Date): boolean =>
  u.lockedUntil != null && u.lockedUntil > now.toISOString();

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  /** Omit to issue a temporary password that must be changed at first log-in. */
  password?: string;
}

export async function findUserByUsername(ctx: AppContext, username: string): Promise<UserRow | undefined> {
  return ctx.db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
}

export async function getUser(executor: AppContext['db'] | Transaction<DB>, id: string): Promise<UserRow> {
  const user = await executor.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!user) throw notFound('The user');
  return user;
}

/** Creates an account. A chosen password must meet the policy and is kept; otherwise a temporary one is returned. */
export async function createUser(ctx: AppContext, actor: AuditActor, input: NewUser): Promise<{ user: UserView; temporaryPassword?: string }> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw invalid('request.invalid', 'The username is not valid.', [
      { field: 'username', message: 'Use 2-64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.' },
    ]);
  }
  if (!isRole(input.role)) {
    throw invalid('request.invalid', 'The role is not valid.', [{ field: 'role', message: `Choose one of: ${ROLES.join(', ')}.` }]);
  }
  if (input.password !== undefined) {
    const problems = checkPasswordPolicy(input.password, username);
    if (problems.length) throw invalid('auth.password-policy', problems.join(' '), [{ field: 'password', message: problems.join(' ') }]);
  }
  const temporaryPassword = input.password === undefined ? generateTemporaryPassword() : undefined;
  const passwordHash = await hashPassword(input.password ?? temporaryPassword!);
  const now = ctx.clock.now().toISOString();
  const row: UserRow = {
    id: newId(),
    username,
    displayName: input.displayName.trim(),
    role: input.role,
    passwordHash,
    mustChangePassword: input.password === undefined ? 1 : 0,
    active: 1,
    failedAttempts: 0,
    lockedUntil: null,
    mfaSecret: null,
    mfaPendingSecret: null,
    mfaEnrolledAt: null,
    mfaLastStep: null,
    lastLoginAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    // The unique index decides, not a prior look-up: two simultaneous creations of one username
    // would both find it free, and the loser's insert would fail as an internal error.
    const inserted = await trx.insertInto('users').values(row).onConflict((oc) => oc.column('username').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw conflict('user.username-taken', 'That username is already in use.', [{ field: 'username', message: 'Already in use.' }]);
    await recordAuditEvent(trx, { actor, action: 'create', recordType: 'user', recordId: row.id, details: { role: row.role } }, ctx.clock);
  });
  return { user: toUserView(row, ctx.clock.now()), temporaryPassword };
}

/** One user's account, as an administrator sees it; the read is audited. */
export async function readUser(ctx: AppContext, actor: AuditActor, id: string): Promise<UserView> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await getUser(trx, id);
    await recordAuditEvent(trx, { actor, action: 'read', recordType: 'user', recordId: id }, ctx.clock);
    return toUserView(row, ctx.clock.now());
  });
}

export async function listUsers(ctx: AppContext, actor: AuditActor): Promise<UserView[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('users').selectAll().orderBy('username').execute();
    await recordAuditEvent(trx, { actor, action: 'read', recordType: 'user', details: { count: rows.length } }, ctx.clock);
    const now = ctx.clock.now();
    return rows.map((r) => toUserView(r, now));
  });
}

export interface UserChanges {
  displayName?: string;
  role?: string;
  active?: boolean;
}

/** Changes a user's name, role or status; disabling a user also ends their sessions. */
export async function updateUser(ctx: AppContext, actor: AuditActor, id: string, changes: UserChanges): Promise<UserView> {
  if (changes.role !== undefined && !isRole(changes.role)) {
    throw invalid('request.invalid', 'The role is not valid.', [{ field: 'role', message: `Choose one of: ${ROLES.join(', ')}.` }]);
  }
  return ctx.db.transaction().execute(async (trx) => {
    const before = await getUser(trx, id);
    const now = ctx.clock.now().toISOString();
    await trx
      .updateTable('users')
      .set({
        ...(changes.displayName !== undefined ? { displayName: changes.displayName.trim() } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.active !== undefined ? { active: changes.active ? 1 : 0 } : {}),
        updatedAt: now,
      })
      .where('id', '=', id)
      .execute();
    if (changes.active === false || (changes.role !== undefined && changes.role !== before.role)) {
      await endSessionsOf(trx, id, now);
    }
    const details: Record<string, string | boolean> = {};
    if (changes.role !== undefined && changes.role !== before.role) details.role = `${before.role} -> ${changes.role}`;
    if (changes.active !== undefined) details.active = changes.active;
    if (changes.displayName !== undefined) details.displayNameChanged = true;
    await recordAuditEvent(trx, { actor, action: 'update', recordType: 'user', recordId: id, details }, ctx.clock);
    return toUserView(await getUser(trx, id), ctx.clock.now());
  });
}

export async function unlockUser(ctx: AppContext, actor: AuditActor, id: string): Promise<UserView> {
  return ctx.db.transaction().execute(async (trx) => {
    await getUser(trx, id);
    await trx.updateTable('users').set({ lockedUntil: null, failedAttempts: 0, updatedAt: ctx.clock.now().toISOString() }).where('id', '=', id).execute();
    await recordAuditEvent(trx, { actor, action: 'update', recordType: 'user', recordId: id, details: { unlocked: true } }, ctx.clock);
    return toUserView(await getUser(trx, id), ctx.clock.now());
  });
}

/** Issues a new temporary password (to be changed at next log-in), unlocks, and ends the user's sessions. */
export async function resetPassword(ctx: AppContext, actor: AuditActor, id: string, chosen?: string): Promise<{ temporaryPassword?: string }> {
  const user = await getUser(ctx.db, id);
  if (chosen !== undefined) {
    const problems = checkPasswordPolicy(chosen, user.username);
    if (problems.length) throw invalid('auth.password-policy', problems.join(' '), [{ field: 'password', message: problems.join(' ') }]);
  }
  const temporaryPassword = chosen === undefined ? generateTemporaryPassword() : undefined;
  const passwordHash = await hashPassword(chosen ?? temporaryPassword!);
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now().toISOString();
    await trx
      .updateTable('users')
      .set({ passwordHash, mustChangePassword: 1, lockedUntil: null, failedAttempts: 0, updatedAt: now })
      .where('id', '=', id)
      .execute();
    await endSessionsOf(trx, id, now);
    await recordAuditEvent(trx, { actor, action: 'update', recordType: 'user', recordId: id, details: { passwordReset: true } }, ctx.clock);
  });
  return { temporaryPassword };
}

/** Removes a user's MFA (a lost phone); their role may make them enrol again at next log-in. */
export async function resetMfa(ctx: AppContext, actor: AuditActor, id: string): Promise<UserView> {
  return ctx.db.transaction().execute(async (trx) => {
    await getUser(trx, id);
    const now = ctx.clock.now().toISOString();
    await trx
      .updateTable('users')
      .set({ mfaSecret: null, mfaPendingSecret: null, mfaEnrolledAt: null, mfaLastStep: null, updatedAt: now })
      .where('id', '=', id)
      .execute();
    await trx.deleteFrom('recoveryCodes').where('userId', '=', id).execute();
    await endSessionsOf(trx, id, now);
    await recordAuditEvent(trx, { actor, action: 'update', recordType: 'user', recordId: id, details: { mfaReset: true } }, ctx.clock);
    return toUserView(await getUser(trx, id), ctx.clock.now());
  });
}

export async function endSessionsOf(trx: Transaction<DB>, userId: string, now: string): Promise<void> {
  await trx.updateTable('sessions').set({ endedAt: now }).where('userId', '=', userId).where('endedAt', 'is', null).execute();
}

export async function countUsers(ctx: AppContext): Promise<number> {
  const { n } = await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}
