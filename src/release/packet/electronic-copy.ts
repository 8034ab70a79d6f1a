import { createHash } from 'node:crypto';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import type { AppContext } from '../../context.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { documentsOf } from '../../documents/index.js';
import { getPatientRow, toPatientView } from '../../patients/index.js';
import { releaseBundle, type ReleasedPart } from '../../interop/fhir/release-bundle.js';
import { FHIR_BASE_PATH } from '../../interop/fhir/base-path.js';
import { publicBaseUrl } from '../delivery/index.js';
import { PART2_NOTICE, readReleaseRequest } from '../requests/index.js';
import type { PacketPage } from './assembly.js';
import { REDISCLOSURE_STATEMENT } from './cover-letter.js';
import { currentPacketRow, toPacketView } from './packet-record.js';

/** How the checked packet goes out electronically: as one PDF, a ZIP of one PDF per part, or a FHIR R4 Bundle. */
export const PACKET_FILE_FORMATS = ['pdf', 'zip', 'fhir-bundle'] as const;
export type PacketFileFormat = (typeof PACKET_FILE_FORMATS)[number];

export const PACKET_FILE_TYPES: Record<PacketFileFormat, { contentType: string; extension: string }> = {
  pdf: { contentType: 'application/pdf', extension: 'pdf' },
  zip: { contentType: 'application/zip', extension: 'zip' },
  'fhir-bundle': { contentType: 'application/fhir+json', extension: 'json' },
};

/** A part of the packet as a PDF of its own: its pages exactly as checked (stamps and redactions kept). */
export interface PacketFilePart {
  kind: PacketPage['kind'];
  title: string;
  /** The pages of the packet it holds, first and last. */
  firstPage: number;
  lastPage: number;
  pdf: Uint8Array;
}

/** The packet split back into its parts, each part's pages copied from the packet itself. */
export async function splitPacket(pdf: Uint8Array, pages: PacketPage[]): Promise<PacketFilePart[]> {
  const packet = await PDFDocument.load(pdf, { updateMetadata: false });
  const byPart = new Map<number, PacketPage[]>();
  for (const p of pages) byPart.set(p.part, [...(byPart.get(p.part) ?? []), p]);
  const parts: PacketFilePart[] = [];
  for (const [, own] of [...byPart].sort(([a], [b]) => a - b)) {
    const out = await PDFDocument.create({ updateMetadata: false });
    out.setTitle(own[0].title);
    out.setProducer('Chartroom');
    for (const page of await out.copyPages(packet, own.map((p) => p.page - 1))) out.addPage(page);
    parts.push({ kind: own[0].kind, title: own[0].title, firstPage: own[0].page, lastPage: own[own.length - 1].page, pdf: await out.save({ objectsPerTick: Infinity }) });
  }
  return parts;
}

const slug = (text: string) => text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'part';

/** "01-cover-letter.pdf", "03-discharge-summary-2025-06-01.pdf": in packet order, each name once. */
export function partFileNames(parts: Pick<PacketFilePart, 'title'>[]): string[] {
  const width = Math.max(2, String(parts.length).length);
  return parts.map((p, i) => `${String(i + 1).padStart(width, '0')}-${slug(p.title)}.pdf`);
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The ZIP's table of contents: what each file is, its pages in the packet and its SHA-256, then the notices. */
function contentsText(facility: string, requestId: string, now: Date, parts: PacketFilePart[], names: string[], part2: boolean): string {
  return [
    `Records released by ${facility}`,
    `Release request ${requestId}, prepared ${now.toISOString().slice(0, 10)}`,
    '',
    'Files (in the order of the release packet; each page is stamped with the request number and its page in the packet):',
    ...parts.map((p, i) => `  ${names[i]}  ${p.title}; packet pages ${p.firstPage}-${p.lastPage}; SHA-256 ${sha256Of(p.pdf)}`),
    '',
    REDISCLOSURE_STATEMENT,
    ...(part2 ? ['', PART2_NOTICE] : []),
    '',
  ].join('\r\n');
}

export interface ElectronicCopy {
  /** The packet version it was made from: a release checks it is still the current one. */
  packetId: string;
  bytes: Uint8Array;
  contentType: string;
  extension: string;
  files: number;
}

/**
 * The request's current packet in the format asked for: the PDF itself; a ZIP holding one PDF per part
 * (cover letter, notices, each released document) and a contents list with each file's SHA-256; or a
 * FHIR R4 collection Bundle of the patient's identity and one DocumentReference per part with its PDF
 * inline. Every format carries exactly the pages of the checked packet. Reading the packet is audited.
 */
export async function makeElectronicCopy(ctx: AppContext, principal: Principal, requestId: string, format: PacketFileFormat): Promise<ElectronicCopy> {
  const { request } = await readReleaseRequest(ctx, principal, requestId);
  const row = await currentPacketRow(ctx.db, requestId);
  const packetPdf = await ctx.blobs.get(row.blobSha256);
  const type = PACKET_FILE_TYPES[format];
  const made = (bytes: Uint8Array, files: number): ElectronicCopy => ({ packetId: row.id, bytes, files, ...type });
  let copy: ElectronicCopy;
  if (format === 'pdf') copy = made(packetPdf, 1);
  else {
    const parts = await splitPacket(packetPdf, toPacketView(row).pages);
    const names = partFileNames(parts);
    // Document parts follow the packet's document ids in order (packet-build.ts adds them so).
    const documentIds = JSON.parse(row.documentIds) as string[];
    const filed = new Map((await documentsOf(ctx, principal, row.patientId)).map((d) => [d.id, d]));
    let k = 0;
    const released: ReleasedPart[] = parts.map((p) => ({ kind: p.kind, title: p.title, pdf: p.pdf, ...(p.kind === 'document' ? { document: filed.get(documentIds[k++]) } : {}) }));
    const part2 = released.some((p) => p.document?.sensitivity.includes('substance-use-disorder'));
    const now = ctx.clock.now();
    if (format === 'zip') {
      const files: Zippable = { 'contents.txt': strToU8(contentsText(ctx.config.facilityName, request.id, now, parts, names, part2)) };
      // PDFs are compressed already: stored, not deflated again.
      parts.forEach((p, i) => { files[names[i]] = [p.pdf, { level: 0 }]; });
      copy = made(zipSync(files, { mtime: now }), parts.length + 1);
    } else {
      const patient = toPatientView(await getPatientRow(ctx.db, row.patientId));
      const bundle = releaseBundle({
        base: `${publicBaseUrl(ctx)}${FHIR_BASE_PATH}`, patient, requestId: request.id, mrnSystem: ctx.config.mrnSystem,
        facilityName: ctx.config.facilityName, now, parts: released, part2,
      }, names);
      copy = made(strToU8(JSON.stringify(bundle)), 1);
    }
  }
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, {
    actor: actorOf(principal), action: 'read', patientId: row.patientId, recordType: 'release_packet', recordId: row.id,
    details: { part: format, files: copy.files },
  }, ctx.clock));
  return copy;
}
