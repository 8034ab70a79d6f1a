import type { AppContext } from '../../context.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { conflict } from '../../platform/errors.js';
import { assertMailConfigured, sendMail } from '../../correspondence/index.js';
import { changeRequest, releaseRequestWithPacket, type LegalBasis } from '../requests/index.js';
import { recordDisclosures, type DisclosureKind } from '../disclosures/index.js';
import { createDownloadLink, linkMail, passcodeMail, type PasscodeChannel } from '../delivery/index.js';
import { currentPacketRow, toPacketView, type PacketRow, type PacketView } from './packet-record.js';
import { makeElectronicCopy, PACKET_FILE_TYPES, type ElectronicCopy, type PacketFileFormat } from './electronic-copy.js';

export type PacketDelivery =
  | { method: 'secure-link'; recipientEmail: string; passcodeBy: PasscodeChannel; expiresInDays?: number; maxDownloads?: number; file?: PacketFileFormat }
  | { method: 'mail'; address: string; trackingNumber?: string | null }
  | { method: 'pick-up' };

const LINK_DOWNLOADS = 3;
const FILE_WORDS: Record<Exclude<PacketFileFormat, 'pdf'>, string> = { zip: 'electronic copy, ZIP', 'fhir-bundle': 'electronic copy, FHIR R4 Bundle' };

/** What kind of disclosure a release under this basis is, for the disclosure log and the accounting. */
export const DISCLOSURE_KIND_OF: Record<LegalBasis['kind'], DisclosureKind> = {
  'right-of-access': 'to_patient', 'patient-directed': 'to_patient', authorization: 'authorization', 'part2-consent': 'authorization',
  'court-order': 'judicial', subpoena: 'judicial', 'law-enforcement': 'law_enforcement', treatment: 'treatment', payment: 'payment', operations: 'operations',
};

export interface ReleasedPacket {
  packet: PacketView;
  disclosureIds: string[];
  link?: { id: string; expiresAt: string; fileName: string; emailsSent: number; passcode?: string };
}

/** A packet goes once, and only after the second person's check (when the check is on). */
function assertReleasable(ctx: AppContext, row: PacketRow): void {
  if (row.status === 'released') throw conflict('release.transition', 'This packet has been released already.');
  if (ctx.config.releaseQualityCheck && row.status !== 'confirmed') {
    throw conflict('release.quality-check', 'A second person must check every page of the packet before it is released.');
  }
}

/**
 * Releases a request's checked packet, in one transaction: the request becomes released, one
 * disclosure entry per released document is written (date, recipient and address, what, purpose, the
 * kind from the legal basis), the delivery is recorded on the packet and, for a secure link, the link
 * is made on the packet's file (the PDF, or the ZIP or FHIR Bundle made from it) and both e-mails
 * sent. If sending fails, the release is refused and nothing changes.
 */
export async function releasePacket(ctx: AppContext, principal: Principal, requestId: string, delivery: PacketDelivery): Promise<ReleasedPacket> {
  if (delivery.method === 'secure-link') assertMailConfigured(ctx);
  const file = delivery.method === 'secure-link' ? delivery.file ?? 'pdf' : undefined;
  // A ZIP or a Bundle is made from the packet before the transaction (a packet that may not go yet
  // is refused first), stored, and tied to the packet version it came from; if the release then
  // fails, the stored file is left to the orphan sweep.
  let copy: ElectronicCopy | undefined;
  if (file && file !== 'pdf') {
    assertReleasable(ctx, await currentPacketRow(ctx.db, requestId));
    copy = await makeElectronicCopy(ctx, principal, requestId, file);
  }
  const stored = copy ? await ctx.blobs.put(Buffer.from(copy.bytes)) : undefined;
  return changeRequest(ctx, principal, requestId, `release:${delivery.method}`, async (c) => {
    const row = await currentPacketRow(c.trx, requestId);
    assertReleasable(ctx, row);
    if (copy && copy.packetId !== row.id) throw conflict('release.packet-changed', 'The packet changed while its file was being made. Release again.');
    await releaseRequestWithPacket(c, ctx, principal, `Packet version ${row.version} released (${delivery.method})`);
    const now = ctx.clock.now().toISOString();
    const pages = toPacketView(row).pages.filter((p) => p.kind === 'document' && p.sourcePage === 1);
    const documentIds = JSON.parse(row.documentIds) as string[];
    const requester = c.details.requester;
    const recipient = delivery.method === 'secure-link'
      ? { name: requester.name, address: requester.address ?? delivery.recipientEmail }
      : { name: requester.name, address: delivery.method === 'mail' ? delivery.address : requester.address ?? null };
    const disclosureIds = await recordDisclosures(c.trx, ctx, actorOf(principal), documentIds.map((documentId, i) => ({
      patientId: c.row.patientId, disclosedAt: now, recipient,
      description: `${pages[i]?.title ?? 'Document'}, release request ${requestId}${file && file !== 'pdf' ? ` (${FILE_WORDS[file]})` : ''}`,
      purpose: c.details.purpose ?? 'At the request of the individual',
      kind: DISCLOSURE_KIND_OF[c.details.basis.kind], releaseRequestId: requestId, documentIds: [documentId],
    })));
    let link: ReleasedPacket['link'];
    if (delivery.method === 'secure-link') {
      const maxDownloads = delivery.maxDownloads ?? LINK_DOWNLOADS;
      const created = await createDownloadLink(c.trx, ctx, principal, {
        patientId: c.row.patientId, requestId, sha256: stored?.sha256 ?? row.blobSha256, contentType: PACKET_FILE_TYPES[file ?? 'pdf'].contentType, recipientEmail: delivery.recipientEmail,
        expiresInDays: delivery.expiresInDays, maxDownloads,
      });
      await sendMail(ctx, linkMail(ctx.config.facilityName, delivery.recipientEmail, created.url, created.expiresAt, maxDownloads, delivery.passcodeBy));
      if (delivery.passcodeBy === 'email') await sendMail(ctx, passcodeMail(ctx.config.facilityName, delivery.recipientEmail, created.passcode));
      link = {
        id: created.id, expiresAt: created.expiresAt, fileName: created.fileName, emailsSent: delivery.passcodeBy === 'email' ? 2 : 1,
        ...(delivery.passcodeBy === 'phone' ? { passcode: created.passcode } : {}),
      };
    }
    const recorded = delivery.method === 'secure-link'
      ? { method: delivery.method, recipientEmail: delivery.recipientEmail, passcodeBy: delivery.passcodeBy, file, linkId: link!.id }
      : delivery;
    await c.trx.updateTable('releasePackets').set({ status: 'released', delivery: JSON.stringify(recorded), releasedAt: now }).where('id', '=', row.id).execute();
    await recordAuditEvent(c.trx, {
      actor: actorOf(principal), action: 'disclose', patientId: c.row.patientId, recordType: 'release_packet', recordId: row.id,
      details: { method: delivery.method, documents: documentIds.length, ...(file ? { file } : {}) },
    }, ctx.clock);
    return { packet: toPacketView({ ...row, status: 'released', delivery: JSON.stringify(recorded), releasedAt: now }), disclosureIds, link };
  });
}
