import type { AppContext } from '../../context.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { conflict, invalid, isDomainError, DomainError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { renderSheet } from '../../platform/pdf/sheet.js';
import { readDocumentPdf } from '../../documents/conversion/index.js';
import { changeRequest, documentsForRequest, moveStatus, readReleaseRequest, PART2_NOTICE } from '../requests/index.js';
import { amendmentStatementsFor, type AmendmentStatementsForDisclosure } from '../amendments/index.js';
import { assemblePacket, type PacketPart } from './assembly.js';
import type { RedactionBox } from './redaction.js';
import { CONFIDENTIALITY_FOOTER, coverLetter } from './cover-letter.js';
import { latestPacketRow, toPacketView, type PacketView } from './packet-record.js';

export interface PacketRedaction extends RedactionBox {
  documentId: string;
}

/** The amendment and statements that go with a disclosure of the documents (45 CFR 164.526(c)(3), (d)(4)). */
function amendmentNotice(ctx: AppContext, a: AmendmentStatementsForDisclosure): Promise<Uint8Array> {
  return renderSheet({ title: a.status === 'accepted' ? 'Amendment to the record' : 'Statement of disagreement', organisation: ctx.config.facilityName, now: ctx.clock.now() }, (sheet) => {
    sheet.fields([['Requested change', a.requestedChange], ['Outcome', a.status === 'accepted' ? 'Accepted' : 'Denied']]);
    if (a.amendmentText) sheet.paragraph(a.amendmentText);
    for (const s of a.statements) {
      sheet.section(`${s.kind === 'disagreement' ? 'Statement of disagreement' : 'Rebuttal'} (received ${s.receivedOn})`);
      sheet.paragraph(s.text);
    }
  });
}

function noticeSheet(ctx: AppContext, title: string, text: string): Promise<Uint8Array> {
  return renderSheet({ title, organisation: ctx.config.facilityName, now: ctx.clock.now() }, (sheet) => sheet.paragraph(text));
}

/**
 * Builds the release packet of a request in process: cover letter, the Part 2 notice when required,
 * amendment statements of the included documents, then each included document with its redactions
 * burned in; every page stamped. Stored encrypted as a new packet version, and the request moves to
 * quality check, in one transaction. A bad redaction is refused naming `redactions[i]`, and nothing
 * changes (a blob stored before a failed commit is left to the orphan sweep).
 */
export async function buildPacket(ctx: AppContext, principal: Principal, requestId: string, redactions: PacketRedaction[]): Promise<PacketView> {
  const { request } = await readReleaseRequest(ctx, principal, requestId);
  if (request.status !== 'in_process') throw conflict('release.transition', 'A packet is built for a request in process.');
  const selection = await documentsForRequest(ctx, principal, requestId);
  const included = selection.documents.filter((d) => d.included);
  if (!included.length) throw conflict('release.packet-empty', 'No document of the patient falls within this request.');
  const includedIds = new Set(included.map((d) => d.documentId));
  redactions.forEach((r, i) => {
    if (!includedIds.has(r.documentId)) {
      throw invalid('release.redaction-document', 'A redaction names a document that is not in the packet.', [{ field: `redactions[${i}].documentId`, message: 'Not a document this request releases.' }]);
    }
  });

  const titleOf = (d: (typeof included)[number]) => `${d.title ?? d.type} (${d.serviceDate})`;
  const statements = await amendmentStatementsFor(ctx.db, request.patient.id, [...includedIds]);
  const enclosed = [
    ...(selection.part2NoticeRequired ? ['Notice prohibiting redisclosure (42 CFR 2.32)'] : []),
    ...statements.map((a) => (a.status === 'accepted' ? 'Amendment to the record' : 'Statement of disagreement')),
    ...included.map(titleOf),
  ];
  const parts: PacketPart[] = [{ kind: 'cover-letter', title: 'Cover letter', pdf: await coverLetter(ctx, request, enclosed) }];
  if (selection.part2NoticeRequired) parts.push({ kind: 'notice', title: 'Notice prohibiting redisclosure (42 CFR 2.32)', pdf: await noticeSheet(ctx, 'Notice prohibiting redisclosure', PART2_NOTICE) });
  for (const a of statements) parts.push({ kind: 'notice', title: a.status === 'accepted' ? 'Amendment to the record' : 'Statement of disagreement', pdf: await amendmentNotice(ctx, a) });
  // Which of the request's redactions each part carries, to name a refused box by its place in the request.
  const origin = new Map<number, number[]>();
  for (const d of included) {
    const mine = redactions.map((r, i) => ({ r, i })).filter(({ r }) => r.documentId === d.documentId);
    origin.set(parts.length, mine.map(({ i }) => i));
    const { bytes } = await readDocumentPdf(ctx, principal, d.documentId, { purpose: 'print' });
    parts.push({ kind: 'document', title: titleOf(d), pdf: bytes, redactions: mine.map(({ r }) => ({ page: r.page, x: r.x, y: r.y, width: r.width, height: r.height })) });
  }

  let packet;
  try {
    packet = await assemblePacket({ requestNumber: request.id, footer: CONFIDENTIALITY_FOOTER, parts });
  } catch (err) {
    const field = isDomainError(err) ? err.fieldErrors[0]?.field : undefined;
    const m = field ? /^parts\[(\d+)\]\.redactions\[(\d+)\]$/.exec(field) : null;
    if (m && isDomainError(err)) {
      const index = origin.get(Number(m[1]))?.[Number(m[2])];
      throw new DomainError('invalid', err.code, err.message, [{ field: `redactions[${index}]`, message: err.fieldErrors[0].message }]);
    }
    throw err;
  }
  const stored = await ctx.blobs.put(Buffer.from(packet.pdf));

  return changeRequest(ctx, principal, requestId, 'packet:build', async (c) => {
    if (c.row.status !== 'in_process') throw conflict('release.transition', 'A packet is built for a request in process.');
    const previous = await latestPacketRow(c.trx, requestId);
    if (previous && previous.status !== 'rejected') {
      await c.trx.updateTable('releasePackets').set({ status: 'superseded' }).where('id', '=', previous.id).execute();
    }
    const id = newId();
    const now = ctx.clock.now().toISOString();
    const row = {
      id, requestId, patientId: c.row.patientId, version: (previous?.version ?? 0) + 1, blobSha256: stored.sha256, size: stored.size,
      pageCount: packet.pageCount, pages: JSON.stringify(packet.pages), documentIds: JSON.stringify([...includedIds]), status: 'built',
      builtBy: principal.id, builtByName: principal.name, builtAt: now, checkedBy: null, checkedByName: null, checkedAt: null, checkNote: null,
      delivery: null, releasedAt: null,
    };
    await c.trx.insertInto('releasePackets').values(row).execute();
    await moveStatus(c, ctx, principal, 'quality_check', `Packet version ${row.version} built (${packet.pageCount} pages)`);
    await recordAuditEvent(c.trx, {
      actor: actorOf(principal), action: 'create', patientId: c.row.patientId, recordType: 'release_packet', recordId: id,
      details: { pages: packet.pageCount, documents: includedIds.size, redactions: redactions.length },
    }, ctx.clock);
    return toPacketView(row);
  });
}
