import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvent } from '../../audit/trail.js';
import type { AuditActor } from '../../audit/actions.js';
import { actorOf, type Principal, type RequestOrigin } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow } from '../../patients/index.js';
import { isSha256Hex } from '../../platform/blobs/index.js';
import { isPostgres } from '../../platform/db/connection.js';
import { DomainError, invalid, notFound } from '../../platform/errors.js';
import { randomToken } from '../../platform/crypto.js';
import { newId } from '../../platform/ids.js';
import {
  DEFAULT_EXPIRY_DAYS, DEFAULT_MAX_DOWNLOADS, MAX_EXPIRY_DAYS, MAX_FAILED_ATTEMPTS, linkStatus, type LinkStatus,
} from './link-status.js';
import type { ReleaseDownloadLinksTable } from './schema.js';

/** What the clerk gives to make a link. */
export interface NewDownloadLink {
  patientId: string;
  requestId?: string | null;
  /** The blob store address of the file to serve (a release packet already stored). */
  sha256: string;
  contentType: string;
  recipientEmail?: string | null;
  expiresInDays?: number;
  maxDownloads?: number;
}

/** A link just made: the only moment the URL and the passcode exist in the clear. */
export interface CreatedDownloadLink {
  id: string;
  url: string;
  passcode: string;
  expiresAt: string;
  fileName: string;
}

/** A link as the records staff see it (no token, no passcode). */
export interface DownloadLinkView {
  id: string;
  requestId: string | null;
  patientId: string;
  fileName: string;
  contentType: string;
  recipientEmail: string | null;
  status: LinkStatus;
  expiresAt: string;
  maxDownloads: number;
  downloads: number;
  failedAttempts: number;
  lockedAt: string | null;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

/** What anyone holding the link may learn before the passcode: nothing about the patient. */
export interface PublicLinkView {
  status: LinkStatus;
  expiresAt: string;
  fileName: string;
}

/** The file, handed over to the recipient. */
export interface DeliveredFile {
  bytes: Buffer;
  fileName: string;
  contentType: string;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf', 'application/zip': 'zip', 'application/fhir+json': 'json', 'image/tiff': 'tif', 'image/jpeg': 'jpg', 'image/png': 'png',
};
/** The content types a link may serve. */
export const LINK_CONTENT_TYPES = Object.keys(EXTENSIONS) as [string, ...string[]];

const RECORD_TYPE = 'release_download_link';
const tokenHashOf = (ctx: AppContext, token: string) => ctx.keyring.lookupHash(`download-link:${token}`);
// The link id is in the hash, so two links with the same passcode store different hashes.
const passcodeHashOf = (ctx: AppContext, linkId: string, passcode: string) => ctx.keyring.lookupHash(`download-passcode:${linkId}:${passcode}`);
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The address people outside open: CHARTROOM_PUBLIC_URL, else this server's own. */
export function publicBaseUrl(ctx: AppContext): string {
  const { publicUrl, host, port } = ctx.config;
  return publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function toView(row: ReleaseDownloadLinksTable, now: Date): DownloadLinkView {
  const { tokenHash: _t, passcodeHash: _p, blobSha256: _b, ...rest } = row;
  return { ...rest, status: linkStatus(row, now) };
}

/**
 * Whether this person may deliver the patient's records, checked before the transaction opens
 * (the check may record a denial). Answers whether it is emergency access.
 */
export async function assertMayDeliver(ctx: AppContext, principal: Principal, patientId: string): Promise<boolean> {
  return assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, patientId));
}

/**
 * Makes a secure download link for a stored file: a 32-byte random token in the URL and an 8-digit
 * passcode sent separately, both kept only as keyed hashes. Audited in the caller's transaction; the
 * caller checked `assertMayDeliver` first.
 */
export async function createDownloadLink(trx: Transaction<DB>, ctx: AppContext, principal: Principal, input: NewDownloadLink, emergency = false): Promise<CreatedDownloadLink> {
  const expiresInDays = input.expiresInDays ?? DEFAULT_EXPIRY_DAYS;
  const maxDownloads = input.maxDownloads ?? DEFAULT_MAX_DOWNLOADS;
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > MAX_EXPIRY_DAYS) {
    throw invalid('release.link-expiry', `A link lasts 1 to ${MAX_EXPIRY_DAYS} days.`, [{ field: 'expiresInDays', message: `1 to ${MAX_EXPIRY_DAYS}.` }]);
  }
  if (!Number.isInteger(maxDownloads) || maxDownloads < 1 || maxDownloads > 10) {
    throw invalid('release.link-downloads', 'A link allows 1 to 10 downloads.', [{ field: 'maxDownloads', message: '1 to 10.' }]);
  }
  const extension = EXTENSIONS[input.contentType];
  if (!extension) throw invalid('release.link-content-type', 'A link serves a PDF, ZIP, FHIR Bundle (JSON), TIFF, JPEG or PNG file.', [{ field: 'contentType', message: 'Not a type a link serves.' }]);
  if (!isSha256Hex(input.sha256) || !(await ctx.blobs.exists(input.sha256))) {
    throw invalid('release.link-file', 'The file to send is not stored. Assemble or upload it first.', [{ field: 'sha256', message: 'No stored file has this address.' }]);
  }
  const patient = await getPatientRow(trx, input.patientId);
  if (patient.status !== 'active') throw new DomainError('conflict', 'patient.merged', 'This record was merged into another; send from the surviving record.');

  const id = newId();
  const token = randomToken(32);
  const passcode = String(randomInt(0, 100_000_000)).padStart(8, '0');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + expiresInDays * 86_400_000).toISOString();
  const fileName = `records-${id.slice(-8)}.${extension}`;
  await trx.insertInto('releaseDownloadLinks').values({
    id, requestId: input.requestId ?? null, patientId: patient.id, blobSha256: input.sha256, fileName, contentType: input.contentType,
    tokenHash: tokenHashOf(ctx, token), passcodeHash: passcodeHashOf(ctx, id, passcode), recipientEmail: input.recipientEmail ?? null,
    expiresAt, maxDownloads, downloads: 0, failedAttempts: 0, lockedAt: null, revokedAt: null,
    createdBy: principal.name, createdAt: now.toISOString(),
  }).execute();
  await recordAuditEvent(trx, {
    actor: actorOf(principal), action: 'create', patientId: patient.id, recordType: RECORD_TYPE, recordId: id, emergency,
    details: { requestId: input.requestId ?? null, expiresInDays, maxDownloads },
  }, ctx.clock);
  return { id, url: `${publicBaseUrl(ctx)}/download/${token}`, passcode, expiresAt, fileName };
}

/** A patient's download links, newest first, with their status now. The look is audited. */
export async function downloadLinksOf(ctx: AppContext, principal: Principal, patientId: string): Promise<DownloadLinkView[]> {
  const emergency = await assertMayDeliver(ctx, principal, patientId);
  return ctx.db.transaction().execute(async (trx) => {
    const patient = await getPatientRow(trx, patientId);
    const rows = await trx.selectFrom('releaseDownloadLinks').selectAll().where('patientId', '=', patient.id).orderBy('createdAt', 'desc').orderBy('id', 'desc').execute();
    await recordAuditEvent(trx, { actor: actorOf(principal), action: 'read', patientId: patient.id, recordType: 'release_download_link_list', emergency, details: { count: rows.length } }, ctx.clock);
    const now = ctx.clock.now();
    return rows.map((row) => toView(row, now));
  });
}

async function lockLink(trx: Transaction<DB>, where: { id: string } | { tokenHash: string }) {
  let q = trx.selectFrom('releaseDownloadLinks').selectAll();
  q = 'id' in where ? q.where('id', '=', where.id) : q.where('tokenHash', '=', where.tokenHash);
  // Two downloads at once must not both take the last one: PostgreSQL locks the row; SQLite has one writer.
  if (isPostgres(trx)) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Revokes a link at once: it serves nothing from now on. Revoking twice is harmless. */
export async function revokeDownloadLink(ctx: AppContext, principal: Principal, linkId: string): Promise<DownloadLinkView> {
  const found = await ctx.db.selectFrom('releaseDownloadLinks').select('patientId').where('id', '=', linkId).executeTakeFirst();
  if (!found) throw notFound('This download link');
  const emergency = await assertMayDeliver(ctx, principal, found.patientId);
  return ctx.db.transaction().execute(async (trx) => {
    const link = await lockLink(trx, { id: linkId });
    if (!link) throw notFound('This download link');
    const now = ctx.clock.now();
    if (!link.revokedAt) {
      link.revokedAt = now.toISOString();
      await trx.updateTable('releaseDownloadLinks').set({ revokedAt: link.revokedAt }).where('id', '=', link.id).execute();
      await recordAuditEvent(trx, { actor: actorOf(principal), action: 'update', patientId: link.patientId, recordType: RECORD_TYPE, recordId: link.id, emergency, details: { change: 'revoked' } }, ctx.clock);
    }
    return toView(link, now);
  });
}

const GONE: Record<Exclude<LinkStatus, 'active'>, { code: string; detail: string }> = {
  expired: { code: 'release.link-expired', detail: 'This download link has expired. Ask the records department to send a new one.' },
  'used-up': { code: 'release.link-used-up', detail: 'This download link has been used as many times as it allows. Ask the records department to send a new one.' },
  locked: { code: 'release.link-locked', detail: 'This download link is locked after too many wrong passcodes. Ask the records department to send a new one.' },
  revoked: { code: 'release.link-revoked', detail: 'This download link was withdrawn. Ask the records department if you still need the records.' },
};
const linkGone = (status: Exclude<LinkStatus, 'active'>) => new DomainError('gone', GONE[status].code, GONE[status].detail, [], { linkStatus: status });
const unknownLink = () => notFound('This download link');

/** What the link's page shows before the passcode: status, expiry, the generic file name. */
export async function describeDownloadLink(ctx: AppContext, token: string): Promise<PublicLinkView> {
  const row = await ctx.db.selectFrom('releaseDownloadLinks').select(['revokedAt', 'lockedAt', 'downloads', 'maxDownloads', 'expiresAt', 'fileName'])
    .where('tokenHash', '=', tokenHashOf(ctx, token)).executeTakeFirst();
  if (!row) throw unknownLink();
  return { status: linkStatus(row, ctx.clock.now()), expiresAt: row.expiresAt, fileName: row.fileName };
}

/**
 * Hands the file to whoever holds the link and its passcode, counting the download and auditing the
 * disclosure in one transaction. A wrong passcode is counted (and audited) in a transaction of its
 * own that commits before the refusal; the fifth locks the link.
 */
export async function downloadWithPasscode(ctx: AppContext, token: string, passcode: string, origin: RequestOrigin): Promise<DeliveredFile> {
  const tokenHash = tokenHashOf(ctx, token);
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const link = await lockLink(trx, { tokenHash });
    if (!link) throw unknownLink();
    const status = linkStatus(link, ctx.clock.now());
    if (status !== 'active') throw linkGone(status);
    const actor: AuditActor = { type: 'recipient', id: link.id, ip: origin.ip, userAgent: origin.userAgent };
    const audit = { actor, action: 'disclose' as const, patientId: link.patientId, recordType: RECORD_TYPE, recordId: link.id };

    if (!sameHash(passcodeHashOf(ctx, link.id, passcode), link.passcodeHash)) {
      const failedAttempts = link.failedAttempts + 1;
      const locked = failedAttempts >= MAX_FAILED_ATTEMPTS;
      await trx.updateTable('releaseDownloadLinks')
        .set({ failedAttempts, ...(locked ? { lockedAt: ctx.clock.now().toISOString() } : {}) }).where('id', '=', link.id).execute();
      await recordAuditEvent(trx, { ...audit, outcome: 'failure', details: { reason: 'wrong-passcode', failedAttempts, locked } }, ctx.clock);
      return { kind: 'wrong-passcode' as const, attemptsLeft: MAX_FAILED_ATTEMPTS - failedAttempts };
    }
    // Read (and check) the content before counting, so a failed read changes nothing.
    const bytes = await ctx.blobs.get(link.blobSha256);
    const downloads = link.downloads + 1;
    await trx.updateTable('releaseDownloadLinks').set({ downloads }).where('id', '=', link.id).execute();
    await recordAuditEvent(trx, { ...audit, details: { requestId: link.requestId, download: downloads, of: link.maxDownloads, bytes: bytes.length } }, ctx.clock);
    return { kind: 'delivered' as const, file: { bytes, fileName: link.fileName, contentType: link.contentType } };
  });
  if (outcome.kind === 'delivered') return outcome.file;
  if (outcome.attemptsLeft <= 0) throw linkGone('locked');
  const attempts = outcome.attemptsLeft === 1 ? '1 attempt' : `${outcome.attemptsLeft} attempts`;
  throw new DomainError('invalid', 'release.passcode-wrong', `That passcode is not right. ${attempts} left before the link locks.`,
    [{ field: 'passcode', message: 'Not the right passcode.' }], { attemptsLeft: outcome.attemptsLeft });
}
