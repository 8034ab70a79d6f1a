import type { AppContext } from '../../context.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { invalid } from '../../platform/errors.js';
import { readReleaseRequest } from '../requests/index.js';
import { requirePacketRow, toPacketView, type PacketRow, type PacketView } from './packet-record.js';
import { pageImageOf, withPdfDocument } from './page-image.js';

/** The request's latest packet (reading the request checks the patient is open to the caller, audited). */
export async function readPacket(ctx: AppContext, principal: Principal, requestId: string): Promise<PacketView> {
  await readReleaseRequest(ctx, principal, requestId);
  return toPacketView(await requirePacketRow(ctx.db, requestId));
}

async function auditedBytes(ctx: AppContext, principal: Principal, requestId: string, details: Record<string, string | number>): Promise<{ row: PacketRow; bytes: Uint8Array }> {
  await readReleaseRequest(ctx, principal, requestId);
  const row = await requirePacketRow(ctx.db, requestId);
  const bytes = await ctx.blobs.get(row.blobSha256);
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, {
    actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'release_packet', recordId: row.id, details,
  }, ctx.clock));
  return { row, bytes };
}

/** The packet's PDF: an audited read. */
export async function readPacketPdf(ctx: AppContext, principal: Principal, requestId: string): Promise<Uint8Array> {
  return (await auditedBytes(ctx, principal, requestId, { part: 'pdf' })).bytes;
}

/** One page of the packet as a PNG, for the preview and the quality check: an audited read. */
export async function packetPageImage(ctx: AppContext, principal: Principal, requestId: string, page: number): Promise<Uint8Array> {
  const pageCount = (await requirePacketRow(ctx.db, requestId)).pageCount;
  if (page < 1 || page > pageCount) throw invalid('release.packet-page', `The packet has ${pageCount} pages.`, [{ field: 'n', message: `1 to ${pageCount}.` }]);
  const { bytes } = await auditedBytes(ctx, principal, requestId, { part: 'page-image', page });
  return withPdfDocument(bytes, (doc) => pageImageOf(doc, page));
}
