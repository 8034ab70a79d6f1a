import type { AppContext } from '../../context.js';
import { hasPermission, type Principal } from '../../access/principal.js';
import { conflict, DomainError, forbidden, invalid } from '../../platform/errors.js';
import { checklistOf } from './request-reading.js';
import { requestPatientOf, recordRequestEvent, todayOf, type RequestDetails } from './request-record.js';
import type { LegalCase } from './request-input.js';
import { assertStaffMember, changeRequest, moveStatus, saveRequest, type ChangeContext } from './request-access.js';
import { InvalidStateTransition, type PlainMove, type RequestStatus } from './workflow.js';
import { addDays, checkExtension } from './deadlines.js';
import { extensionNotice, storeLetter } from './letters.js';
import { assertFeesPaid } from '../fees/hold.js';

/** A refused move answers 409 with the reason. */
export function asConflict(err: unknown): never {
  if (err instanceof InvalidStateTransition) throw conflict('release.transition', err.message);
  throw err;
}

/**
 * The request meets its legal basis and no hold stands, as of today; otherwise the release stops,
 * naming each unmet item's field (holds first: they stop everything). At the release itself, an
 * unpaid invoice holds it too where the fee schedule says so (release.unpaid).
 */
export async function assertReleasable(c: ChangeContext, ctx: AppContext, step: { releasing?: boolean } = {}): Promise<void> {
  const checklist = checklistOf(c.row, requestPatientOf(c.patient), todayOf(ctx));
  const holds = checklist.holds.filter((h) => !h.met);
  if (holds.length) {
    throw new DomainError('locked', 'release.hold', holds.map((h) => h.reason).join(' '), holds.map((h) => ({ field: h.field, message: h.reason! })));
  }
  const failed = checklist.legal.items.filter((i) => !i.met);
  if (failed.length) {
    throw invalid('release.not-valid', `The request does not meet its legal basis: ${failed.length} ${failed.length === 1 ? 'check is' : 'checks are'} not met.`,
      failed.map((i) => ({ field: i.field, message: i.reason! })));
  }
  if (step.releasing) await assertFeesPaid(c.trx, c.row);
}

/**
 * Moves a request along its workflow: validate (the legal checklist and the holds must pass),
 * start work, send to quality check, return from quality check (reviewers), pend for information,
 * re-log when it arrives, or cancel. Release and denial have their own steps.
 */
export async function moveRequest(ctx: AppContext, principal: Principal, id: string, to: PlainMove, note: string | null): Promise<void> {
  await changeRequest(ctx, principal, id, `status:${to}`, async (c) => {
    const from = c.row.status as RequestStatus;
    if (from === 'quality_check' && to === 'in_process' && !hasPermission(principal, 'release.review')) {
      throw forbidden('Returning a request from quality check is for a reviewer (release.review).');
    }
    if ((to === 'validated' && from === 'logged') || to === 'in_process' || to === 'quality_check') {
      if (from !== 'quality_check') await assertReleasable(c, ctx);
    }
    await moveStatus(c, ctx, principal, to, note).catch(asConflict);
  });
}

/** Assigns the request to a clerk (or nobody). */
export async function assignRequest(ctx: AppContext, principal: Principal, id: string, userId: string | null): Promise<void> {
  await changeRequest(ctx, principal, id, 'assign', async (c) => {
    const assignee = userId ? await assertStaffMember(c.trx, userId, 'release.write', 'userId') : null;
    await saveRequest(c, ctx, { assignedTo: assignee?.id ?? null });
    await recordRequestEvent(c.trx, ctx, principal, id, { kind: 'assignment', note: assignee ? `Assigned to ${assignee.name}` : 'Unassigned' });
  });
}

/** A note on the request's history. */
export async function addRequestNote(ctx: AppContext, principal: Principal, id: string, text: string): Promise<void> {
  await changeRequest(ctx, principal, id, 'note', async (c) => {
    await saveRequest(c, ctx, {});
    await recordRequestEvent(c.trx, ctx, principal, id, { kind: 'note', note: text });
  });
}

/**
 * 45 CFR 164.524(b)(2)(ii): one extension of at most 30 days, by a written notice sent within the
 * first 30 days that gives the reason and the new date. The notice is made and kept with the request.
 */
export async function extendRequest(ctx: AppContext, principal: Principal, id: string, ask: { reason: string; newDueDate?: string | null }): Promise<string> {
  return changeRequest(ctx, principal, id, 'extend', async (c) => {
    const status = c.row.status as RequestStatus;
    if (['released', 'denied', 'cancelled'].includes(status)) throw conflict('release.transition', 'A closed request cannot be extended.');
    const today = todayOf(ctx);
    const newDueDate = ask.newDueDate ?? addDays(c.row.dueDate, 30);
    const problems = checkExtension({ basis: c.details.basis.kind, receivedOn: c.row.receivedOn, dueDate: c.row.dueDate, extended: c.details.extension != null }, { newDueDate, reason: ask.reason }, today);
    if (problems.length) throw invalid('release.extension', problems.map((p) => p.message).join(' '), problems);
    const pdf = await extensionNotice(ctx, { details: c.details, patient: requestPatientOf(c.patient), receivedOn: c.row.receivedOn, today }, { reason: ask.reason, newDueDate });
    const letterId = await storeLetter(c.trx, ctx, principal, id, 'extension-notice', pdf);
    const details = { ...c.details, extension: { reason: ask.reason, previousDueDate: c.row.dueDate, newDueDate, noticeLetterId: letterId, at: ctx.clock.now().toISOString(), by: principal.name } };
    await saveRequest(c, ctx, { details, dueDate: newDueDate, originalDueDate: c.row.dueDate });
    await recordRequestEvent(c.trx, ctx, principal, id, { kind: 'extension', note: `Due date moved from ${c.row.dueDate} to ${newDueDate}` });
    return letterId;
  });
}

/**
 * For the release packet step only: moves a request that passed quality check to `released`, after
 * checking once more that its legal basis holds and no hold stands. The packet builder and the
 * disclosure log call this inside their transaction; no route reaches it yet.
 */
export async function releaseRequestWithPacket(c: ChangeContext, ctx: AppContext, principal: Principal, note: string | null): Promise<void> {
  await assertReleasable(c, ctx, { releasing: true });
  await moveStatus(c, ctx, principal, 'released', note).catch(asConflict);
}

/**
 * Replaces the request's legal side (requester, purpose, basis and its papers, identity, authority,
 * scope) while it is logged or pending information: the corrected authorization has arrived.
 */
export async function amendLegalCase(ctx: AppContext, principal: Principal, id: string, legal: LegalCase): Promise<void> {
  await changeRequest(ctx, principal, id, 'amend', async (c) => {
    if (c.row.status !== 'logged' && c.row.status !== 'pending_information') {
      throw conflict('release.transition', 'Only a logged request or one pending information can be amended.');
    }
    const now = ctx.clock.now().toISOString();
    const details: RequestDetails = {
      ...c.details, requester: legal.requester, purpose: legal.purpose ?? null, basis: legal.basis, part2Consent: legal.part2Consent ?? null,
      identityVerification: legal.identityVerification ? { ...legal.identityVerification, verifiedBy: principal.name, verifiedAt: now } : null,
      representativeAuthority: legal.representativeAuthority ?? null, scope: legal.scope,
    };
    await saveRequest(c, ctx, { details });
    await c.trx.updateTable('releaseRequests').set({ requesterKind: legal.requester.kind, basisKind: legal.basis.kind }).where('id', '=', id).execute();
    await recordRequestEvent(c.trx, ctx, principal, id, { kind: 'amendment', note: 'Legal basis and papers amended' });
  });
}
