import type { AppContext } from '../../context.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow, toPatientView } from '../../patients/index.js';
import { findEncounterRow } from '../../encounters/index.js';
import { DomainError, invalid } from '../../platform/errors.js';
import { renderSheet } from '../../platform/pdf/sheet.js';
import { findDocumentType } from '../document-types.js';
import { encodeCoverSheetCode } from './cover-sheet-code.js';
import { drawQrCode } from './barcodes.js';

export interface CoverSheetRequest {
  patientId: string;
  encounterId?: string | null;
  /** LOINC document code of the document the sheet goes in front of. */
  typeCode: string;
  copies?: number;
}

export const MAX_COVER_SHEET_COPIES = 50;

/**
 * Prints cover sheets for a patient's document: each page a QR code (MRN, visit number, document type)
 * with the same facts in words, for the clerk to put in front of the paper before it goes through the
 * scanner. Printing is audited ("print"), like any printed record.
 */
export async function printCoverSheets(ctx: AppContext, principal: Principal, request: CoverSheetRequest): Promise<Uint8Array> {
  const row = await getPatientRow(ctx.db, request.patientId);
  if (row.status !== 'active') throw new DomainError('conflict', 'patient.merged', 'This record was merged into another; print the cover sheet from the surviving record.');
  const emergency = await assertPatientReadable(ctx, principal, row);
  const type = findDocumentType(request.typeCode);
  if (!type) throw invalid('document.type-unknown', 'Choose a document type from the list.', [{ field: 'typeCode', message: 'Not a document type Chartroom knows.' }]);
  const encounter = request.encounterId ? await findEncounterRow(ctx.db, request.encounterId) : undefined;
  if (request.encounterId && (!encounter || encounter.patientId !== row.id)) {
    throw invalid('document.encounter', "The visit is not one of this patient's.", [{ field: 'encounterId', message: "Not one of this patient's visits." }]);
  }
  const copies = request.copies ?? 1;
  const patient = toPatientView(row);
  const code = encodeCoverSheetCode({ mrn: patient.mrn, visitNumber: encounter?.visitNumber ?? null, typeCode: type.code });
  const qr = await drawQrCode(code);

  await ctx.db.transaction().execute((trx) =>
    recordAuditEvent(trx, {
      actor: actorOf(principal), action: 'print', patientId: row.id, recordType: 'cover_sheet', recordId: encounter?.id ?? row.id, emergency,
      details: { type: type.code, copies, visit: Boolean(encounter) },
    }, ctx.clock),
  );

  const name = [`${patient.family.toUpperCase()},`, patient.given, patient.middle].filter(Boolean).join(' ');
  return renderSheet({ title: 'Scanning cover sheet', organisation: ctx.config.facilityName, now: ctx.clock.now() }, async (sheet) => {
    for (let copy = 0; copy < copies; copy++) {
      if (copy > 0) {
        sheet.pageBreak();
        sheet.title(ctx.config.facilityName);
        sheet.line('Scanning cover sheet');
      }
      sheet.gap(6);
      sheet.banner(type.display);
      await sheet.image(qr, 200);
      sheet.section('Patient');
      sheet.fields([['Name', name], ['MRN', patient.mrn], ['Birth date', patient.birthDate], ['Visit number', encounter?.visitNumber ?? 'none (filed to the chart)']]);
      sheet.section('Document');
      sheet.fields([['Type', type.display], ['LOINC code', type.code]]);
      sheet.gap(12);
      sheet.paragraph('Place this sheet in front of the document. Scan it with the document; Chartroom reads the code, files the pages behind it to this patient, and does not keep this sheet.', 12);
    }
  });
}
