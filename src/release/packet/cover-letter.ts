import type { AppContext } from '../../context.js';
import { renderSheet } from '../../platform/pdf/sheet.js';
import type { ReleaseRequestView } from '../requests/index.js';

/** The statement on every release: the records are confidential and may not be passed on further. */
export const REDISCLOSURE_STATEMENT =
  'These records are confidential and are disclosed only for the purpose stated. Federal and state law may prohibit the ' +
  'recipient from disclosing them further without the written authorization of the patient, or as otherwise permitted by law. ' +
  'If you received them in error, notify the sender and destroy them.';

export const CONFIDENTIALITY_FOOTER = 'CONFIDENTIAL: protected health information. Redisclosure may be prohibited by law.';

/** The cover letter: facility, requester, request number, what is enclosed, purpose, the redisclosure statement. */
export function coverLetter(ctx: AppContext, request: ReleaseRequestView, enclosed: string[]): Promise<Uint8Array> {
  const r = request.requester;
  return renderSheet({ title: 'Release of information', organisation: ctx.config.facilityName, now: ctx.clock.now() }, (sheet) => {
    sheet.fields([
      ['Date', ctx.clock.now().toISOString().slice(0, 10)], ['From', ctx.config.facilityName],
      ['To', [r.name, r.organization].filter(Boolean).join(', ')], ['Address', r.address ?? null], ['Request number', request.id],
    ]);
    sheet.section('Regarding');
    sheet.fields([['Patient', request.patient.name], ['MRN', request.patient.mrn], ['Request received', request.receivedOn], ['Purpose', request.purpose ?? 'At the request of the individual']]);
    sheet.section('Enclosed');
    for (const line of enclosed) sheet.line(line);
    sheet.section('Redisclosure');
    sheet.paragraph(REDISCLOSURE_STATEMENT);
  });
}
