import { randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import { recordAuditEvent } from '../audit/trail.js';
import { sha256Hex } from '../platform/crypto.js';
import { newId } from '../platform/ids.js';
import { DomainError, invalid } from '../platform/errors.js';
import { actorFor, advanceStage, describeSession, type CurrentSession, type SessionInfo } from './sessions.js';
import { getUser } from './users.js';

/** TOTP (RFC 6238) second factor with one-time recovery codes. ONC 170.315(d)(13). */
const PERIOD = 30;
const ISSUER = 'Chartroom';
const RECOVERY_CODE_COUNT = 10;

const totpFor = (username: string, secretBase32: string) =>
  new TOTP({ issuer: ISSUER, label: username, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secretBase32) });

export interface MfaEnrolment {
  secret: string;
  otpauthUri: string;
  qrDataUrl: string;
}

function assertStage(current: CurrentSession, allowed: string[]) {
  if (!allowed.includes(current.row.stage)) {
    throw new DomainError('forbidden', 'auth.stage', 'This step of signing in is not the current one.');
  }
}

/** Starts (or restarts) enrolment: a new secret, shown once as a QR code and as text. */
export async function startMfaEnrolment(ctx: AppContext, current: CurrentSession): Promise<MfaEnrolment> {
  assertStage(current, ['mfa_enrolment', 'active']);
  const secret = new Secret({ size: 20 }).base32;
  await ctx.db.updateTable('users').set({ mfaPendingSecret: ctx.keyring.seal(secret) }).where('id', '=', current.user.id).execute();
  const otpauthUri = totpFor(current.user.username, secret).toString();
  return { secret, otpauthUri, qrDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 4, width: 240 }) };
}

/** A TOTP code's time step, if it is valid now (one step of clock drift allowed either way). */
function matchingStep(ctx: AppContext, username: string, secret: string, code: string): number | null {
  const timestamp = ctx.clock.now().getTime();
  const delta = totpFor(username, secret).validate({ token: code, timestamp, window: 1 });
  return delta === null ? null : Math.floor(timestamp / 1000 / PERIOD) + delta;
}

/** Confirms enrolment with a first code; answers the recovery codes, shown this once only. */
export async function confirmMfaEnrolment(ctx: AppContext, current: CurrentSession, code: string): Promise<{ recoveryCodes: string[]; session: SessionInfo }> {
  assertStage(current, ['mfa_enrolment', 'active']);
  const user = await getUser(ctx.db, current.user.id);
  if (!user.mfaPendingSecret) throw invalid('auth.stage', 'Start MFA set-up first.');
  const secret = ctx.keyring.openText(user.mfaPendingSecret);
  const step = matchingStep(ctx, user.username, secret, code.trim());
  if (step === null) {
    await auditMfaFailure(ctx, current, 'enrolment-code');
    throw invalid('auth.mfa-invalid', 'That code is not correct. Check the time on your phone and try the newest code.', [{ field: 'code', message: 'Not correct.' }]);
  }
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now().toISOString();
    await trx
      .updateTable('users')
      .set({ mfaSecret: user.mfaPendingSecret, mfaPendingSecret: null, mfaEnrolledAt: now, mfaLastStep: step, updatedAt: now })
      .where('id', '=', user.id)
      .execute();
    const recoveryCodes = await replaceRecoveryCodes(trx, user.id);
    const updated = await getUser(trx, user.id);
    const stage = await advanceStage(trx, current.row.id, updated, true);
    await recordAuditEvent(trx, { actor: actorFor(current), action: 'mfa-enrol', recordType: 'user', recordId: user.id }, ctx.clock);
    return { recoveryCodes, session: describeSession(ctx, { ...current.row, stage }, updated) };
  });
}

/**
 * The second step of signing in: a current TOTP code (never one already used: replays are refused)
 * or an unused recovery code.
 */
export async function verifyMfa(ctx: AppContext, current: CurrentSession, code: string): Promise<SessionInfo> {
  assertStage(current, ['mfa']);
  const user = await getUser(ctx.db, current.user.id);
  if (!user.mfaSecret) throw invalid('auth.stage', 'MFA is not set up for this account.');
  const entered = code.trim();
  return ctx.db.transaction().execute(async (trx) => {
    let method: 'totp' | 'recovery-code' | null = null;
    if (/^\d{6}$/.test(entered)) {
      const step = matchingStep(ctx, user.username, ctx.keyring.openText(user.mfaSecret!), entered);
      if (step !== null) {
        // The step moves forward only; a conditional update refuses a replay even between concurrent requests.
        const accepted = await trx
          .updateTable('users')
          .set({ mfaLastStep: step })
          .where('id', '=', user.id)
          .where((eb) => eb.or([eb('mfaLastStep', 'is', null), eb('mfaLastStep', '<', step)]))
          .executeTakeFirst();
        if (Number(accepted.numUpdatedRows) === 1) method = 'totp';
      }
    } else {
      const hash = sha256Hex(normalizeRecoveryCode(entered));
      const used = await trx
        .updateTable('recoveryCodes')
        .set({ usedAt: ctx.clock.now().toISOString() })
        .where('userId', '=', user.id)
        .where('codeHash', '=', hash)
        .where('usedAt', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) === 1) method = 'recovery-code';
    }
    if (!method) return null;
    const stage = await advanceStage(trx, current.row.id, user, true);
    await recordAuditEvent(trx, { actor: actorFor(current), action: 'mfa-verify', recordType: 'session', details: { method } }, ctx.clock);
    return describeSession(ctx, { ...current.row, stage }, user);
  }).then(async (session) => {
    if (session) return session;
    await auditMfaFailure(ctx, current, 'wrong-or-reused-code');
    throw invalid('auth.mfa-invalid', 'That code is not correct or was already used.', [{ field: 'code', message: 'Not correct.' }]);
  });
}

/** Issues a fresh set of recovery codes, voiding the old ones. */
export async function regenerateRecoveryCodes(ctx: AppContext, current: CurrentSession): Promise<string[]> {
  assertStage(current, ['active']);
  if (!current.user.mfaEnrolledAt) throw invalid('auth.stage', 'Set up MFA first.');
  return ctx.db.transaction().execute(async (trx) => {
    const codes = await replaceRecoveryCodes(trx, current.user.id);
    await recordAuditEvent(trx, { actor: actorFor(current), action: 'mfa-enrol', recordType: 'user', recordId: current.user.id, details: { recoveryCodesRegenerated: true } }, ctx.clock);
    return codes;
  });
}

async function replaceRecoveryCodes(trx: Transaction<DB>, userId: string): Promise<string[]> {
  await trx.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await trx
    .insertInto('recoveryCodes')
    .values(codes.map((c) => ({ id: newId(), userId, codeHash: sha256Hex(normalizeRecoveryCode(c)), usedAt: null })))
    .execute();
  return codes;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
const normalizeRecoveryCode = (c: string) => c.toLowerCase().replace(/[^a-z0-9]/g, '');

async function auditMfaFailure(ctx: AppContext, current: CurrentSession, reason: string) {
  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, { actor: actorFor(current), action: 'mfa-failed', outcome: 'failure', recordType: 'session', details: { reason } }, ctx.clock),
  );
}
