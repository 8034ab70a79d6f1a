import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import type { Principal } from '../../access/principal.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow } from '../../patients/index.js';
import { newId } from '../../platform/ids.js';
import { notFound } from '../../platform/errors.js';
import { renderSheet, type Sheet } from '../../platform/pdf/sheet.js';
import { DENIAL_GROUNDS, type Denial } from './denials.js';
import type { RequestDetails, RequestPatient } from './request-record.js';
import { recordRequestEvent } from './request-record.js';
import { getRequestRow } from './request-record.js';

export const LETTER_KINDS = ['extension-notice', 'denial', 'denial-review'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export const LETTER_TITLES: Record<LetterKind, string> = {
  'extension-notice': 'Notice of extension of time',
  denial: 'Denial of your request for records',
  'denial-review': 'Review of the denial of your request',
};

interface LetterFacts {
  details: RequestDetails;
  patient: RequestPatient;
  receivedOn: string;
  today: string;
}

/** The complaint routes every denial letter gives (45 CFR 164.524(d)(2)(iii)). */
const COMPLAINT_RIGHTS =
  'You may file a complaint with us by writing to our Privacy Officer at the address above, and with the Secretary of the ' +
  'U.S. Department of Health and Human Services, Office for Civil Rights, 200 Independence Avenue SW, Washington, D.C. 20201, ' +
  'or at www.hhs.gov/ocr/complaints. We will not retaliate against you for filing a complaint.';

function addressee(sheet: Sheet, f: LetterFacts): void {
  const r = f.details.requester;
  sheet.fields([['Date', f.today], ['To', [r.name, r.organization].filter(Boolean).join(', ')]]);
  if (r.address) sheet.line(r.address);
  sheet.section('Regarding');
  sheet.fields([['Patient', f.patient.name], ['MRN', f.patient.mrn], ['Request received', f.receivedOn]]);
  sheet.gap(6);
}

/** 45 CFR 164.524(b)(2)(ii): the written notice of one extension, giving the reason and the date. */
export function extensionNotice(ctx: AppContext, f: LetterFacts, ext: { reason: string; newDueDate: string }): Promise<Uint8Array> {
  return renderSheet({ title: LETTER_TITLES['extension-notice'], organisation: ctx.config.facilityName, now: ctx.clock.now() }, (sheet) => {
    addressee(sheet, f);
    sheet.paragraph(`We received your request for records on ${f.receivedOn}. We are not able to act on it within 30 days, for this reason: ${ext.reason}`);
    sheet.paragraph(`We will act on your request no later than ${ext.newDueDate}. This is the one extension of time the law allows (45 CFR 164.524(b)(2)(ii)).`);
  });
}

/** 45 CFR 164.524(d)(2): a denial in plain language: its basis, the right to review if any, and how to complain. */
export function denialLetter(ctx: AppContext, f: LetterFacts, denial: Denial): Promise<Uint8Array> {
  const ground = DENIAL_GROUNDS[denial.ground];
  return renderSheet({ title: LETTER_TITLES.denial, organisation: ctx.config.facilityName, now: ctx.clock.now() }, (sheet) => {
    addressee(sheet, f);
    sheet.paragraph('We have denied your request for records, in whole or in part.');
    sheet.section('Why');
    sheet.paragraph(`${ground.label} (${ground.cite}).`);
    if (denial.explanation) sheet.paragraph(denial.explanation);
    sheet.section('Your rights');
    if (ground.reviewable) {
      sheet.paragraph('You may ask that this denial be reviewed by a licensed health care professional chosen by us who did not take part in it ' +
        '(45 CFR 164.524(a)(4)). Write to our Health Information Management department at the address above. We will carry out the ' +
        "reviewer's decision and tell you of it in writing.");
    } else {
      sheet.paragraph('This ground of denial is not subject to review (45 CFR 164.524(a)(2)).');
    }
    sheet.paragraph('Where only part of the record is denied, you may still have the rest.');
    sheet.paragraph(COMPLAINT_RIGHTS);
  });
}

/** The reviewer's decision, in writing (45 CFR 164.524(d)(4)). */
export function denialReviewLetter(ctx: AppContext, f: LetterFacts, denial: Denial): Promise<Uint8Array> {
  const upheld = denial.review?.decision === 'upheld';
  return renderSheet({ title: LETTER_TITLES['denial-review'], organisation: ctx.config.facilityName, now: ctx.clock.now() }, (sheet) => {
    addressee(sheet, f);
    sheet.paragraph(upheld
      ? 'A licensed health care professional who took no part in the denial has reviewed it and upheld it.'
      : 'A licensed health care professional who took no part in the denial has reviewed it and overturned it. We will now act on your request.');
    if (upheld) sheet.paragraph(COMPLAINT_RIGHTS);
  });
}

/** Stores a letter's PDF in the blob store and lists it on the request, inside the caller's transaction. */
export async function storeLetter(trx: Transaction<DB>, ctx: AppContext, principal: Principal, requestId: string, kind: LetterKind, pdf: Uint8Array): Promise<string> {
  const stored = await ctx.blobs.put(Buffer.from(pdf));
  const id = newId();
  await trx.insertInto('releaseRequestLetters').values({
    id, requestId, kind, blobSha256: stored.sha256, size: stored.size, createdAt: ctx.clock.now().toISOString(), createdBy: principal.name,
  }).execute();
  await recordRequestEvent(trx, ctx, principal, requestId, { kind: 'letter', note: LETTER_TITLES[kind] });
  return id;
}

/** A letter's PDF: an audited print of the patient's information. */
export async function readLetter(ctx: AppContext, principal: Principal, requestId: string, letterId: string): Promise<Uint8Array> {
  const row = await getRequestRow(ctx.db, requestId);
  const emergency = await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, row.patientId));
  const letter = await ctx.db.selectFrom('releaseRequestLetters').selectAll().where('id', '=', letterId).where('requestId', '=', requestId).executeTakeFirst();
  if (!letter) throw notFound('The letter');
  const bytes = await ctx.blobs.get(letter.blobSha256);
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, {
    actor: actorOf(principal), action: 'print', patientId: row.patientId, recordType: 'release_request_letter', recordId: letterId, emergency, details: { kind: letter.kind },
  }, ctx.clock));
  return bytes;
}

/**
 * The blob addresses letters name. Letters share the blob store with documents, so the orphan sweep
 * (src/documents/orphan-sweep.ts) must count these as referenced too.
 */
export async function letterBlobAddresses(ctx: Pick<AppContext, 'db'>): Promise<string[]> {
  return (await ctx.db.selectFrom('releaseRequestLetters').select('blobSha256').distinct().execute()).map((r) => r.blobSha256);
}
