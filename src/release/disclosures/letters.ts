import type { AppContext } from '../../context.js';
import type { PatientView } from '../../patients/index.js';
import { renderSheet, type Sheet } from '../../platform/pdf/sheet.js';

/** A letter of the records department to a patient (or about one): the sheet, headed with who it concerns. */
export function renderPatientLetter(ctx: Pick<AppContext, 'config' | 'clock'>, title: string, patient: PatientView, build: (sheet: Sheet) => void): Promise<Uint8Array> {
  return renderSheet({ title, organisation: ctx.config.facilityName, now: ctx.clock.now() }, (sheet) => {
    sheet.section('Patient');
    sheet.fields([
      ['Name', [patient.given, patient.middle, patient.family, patient.suffix].filter(Boolean).join(' ')], ['MRN', patient.mrn],
      ['Birth date', patient.birthDate], ['Letter date', ctx.clock.now().toISOString().slice(0, 10)],
    ]);
    build(sheet);
  });
}

export const dayOf = (iso: string): string => iso.slice(0, 10);

/**
 * Every blob address a release letter is kept at (accountings, amendment decisions and notices), for
 * the blob store's orphan sweep: these blobs are named by no document version, yet are in use.
 */
export async function letterAddressesInUse(db: AppContext['db']): Promise<string[]> {
  const [accountings, amendments, notices] = await Promise.all([
    db.selectFrom('accountingRequests').select('letterSha256').where('letterSha256', 'is not', null).execute(),
    db.selectFrom('amendmentRequests').select('letterSha256').where('letterSha256', 'is not', null).execute(),
    db.selectFrom('amendmentNotifications').select('letterSha256').execute(),
  ]);
  return [...new Set([...accountings, ...amendments, ...notices].map((r) => r.letterSha256!))];
}
