import type { AppContext } from '../../context.js';
import type { Principal } from '../../access/principal.js';
import { conflict, forbidden, invalid } from '../../platform/errors.js';
import { requestPatientOf, recordRequestEvent, todayOf, type RequestDetails } from './request-record.js';
import { assertStaffMember, changeRequest, moveStatus } from './request-access.js';
import { asConflict } from './request-actions.js';
import { checkReviewer, isReviewable, type DenialGround, type ReviewDecision } from './denials.js';
import { denialLetter, denialReviewLetter, storeLetter } from './letters.js';

/** Denies the request on a regulatory ground and makes the denial letter stating the patient's rights. */
export async function denyRequest(ctx: AppContext, principal: Principal, id: string, input: { ground: DenialGround; explanation: string }): Promise<string> {
  return changeRequest(ctx, principal, id, 'deny', async (c) => {
    const now = ctx.clock.now().toISOString();
    const details: RequestDetails = {
      ...c.details,
      denial: { ground: input.ground, explanation: input.explanation, deniedAt: now, deniedBy: { id: principal.id, name: principal.name }, review: null },
    };
    await moveStatus(c, ctx, principal, 'denied', input.explanation, details).catch(asConflict);
    const pdf = await denialLetter(ctx, { details, patient: requestPatientOf(c.patient), receivedOn: c.row.receivedOn, today: todayOf(ctx) }, details.denial!);
    return storeLetter(c.trx, ctx, principal, id, 'denial', pdf);
  });
}

/** Sends a reviewable denial to a licensed professional who took no part in it (45 CFR 164.524(a)(4)). */
export async function sendDenialForReview(ctx: AppContext, principal: Principal, id: string, reviewerId: string): Promise<void> {
  await changeRequest(ctx, principal, id, 'denial-review-requested', async (c) => {
    const denial = c.details.denial;
    if (c.row.status !== 'denied' || !denial) throw conflict('release.transition', 'Only a denied request can be reviewed.');
    if (denial.review) throw conflict('release.review', 'The denial was already sent for review.');
    const problems = checkReviewer(denial, reviewerId);
    if (problems.length) throw conflict('release.review', problems.join(' '), [{ field: 'reviewerId', message: problems.join(' ') }]);
    const reviewer = await assertStaffMember(c.trx, reviewerId, 'release.review', 'reviewerId');
    const details = { ...c.details, denial: { ...denial, review: { requestedAt: ctx.clock.now().toISOString(), reviewer, decision: null, decidedAt: null, note: null } } };
    await c.trx.updateTable('releaseRequests').set({ details: JSON.stringify(details), version: c.row.version + 1, updatedAt: ctx.clock.now().toISOString() }).where('id', '=', id).execute();
    await recordRequestEvent(c.trx, ctx, principal, id, { kind: 'review', note: `Denial sent for review by ${reviewer.name}` });
  });
}

/**
 * The reviewer's decision: upheld (the denial stands) or overturned (the request goes back to
 * validated). Only the named reviewer decides, never the person who denied; a letter tells the requester.
 */
export async function reviewDenial(ctx: AppContext, principal: Principal, id: string, input: { decision: ReviewDecision; licence: string; note?: string | null }): Promise<string> {
  return changeRequest(ctx, principal, id, `denial-review:${input.decision}`, async (c) => {
    const denial = c.details.denial;
    if (c.row.status !== 'denied' || !denial?.review || denial.review.decision) throw conflict('release.review', 'No review of a denial is waiting on this request.');
    if (!isReviewable(denial.ground)) throw conflict('release.review', 'This ground of denial is not reviewable.');
    if (principal.id === denial.deniedBy.id) throw forbidden('The person who denied the request cannot review the denial.');
    if (principal.id !== denial.review.reviewer.id) throw forbidden('Only the reviewer the denial was sent to may decide.');
    if (!input.licence.trim()) throw invalid('request.invalid', 'The reviewer is a licensed health care professional.', [{ field: 'licence', message: 'Give your licence.' }]);
    const now = ctx.clock.now().toISOString();
    const review = { ...denial.review, decision: input.decision, decidedAt: now, note: [input.note, `Licence: ${input.licence}`].filter(Boolean).join(' - ') };
    const details: RequestDetails = { ...c.details, denial: { ...denial, review } };
    if (input.decision === 'overturned') {
      await moveStatus(c, ctx, principal, 'validated', 'Denial overturned on review', details).catch(asConflict);
    } else {
      await c.trx.updateTable('releaseRequests').set({ details: JSON.stringify(details), version: c.row.version + 1, updatedAt: now }).where('id', '=', id).execute();
      await recordRequestEvent(c.trx, ctx, principal, id, { kind: 'review', note: 'Denial upheld on review' });
    }
    const pdf = await denialReviewLetter(ctx, { details, patient: requestPatientOf(c.patient), receivedOn: c.row.receivedOn, today: todayOf(ctx) }, details.denial!);
    return storeLetter(c.trx, ctx, principal, id, 'denial-review', pdf);
  });
}
