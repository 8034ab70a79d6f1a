import type { AppContext } from '../../context.js';
import type { PatientView } from '../../patients/index.js';
import { renderPatientLetter } from '../disclosures/letters.js';
import { DENIAL_GROUNDS, denialRights, type DenialGround } from './amendment-rules.js';

type Ctx = Pick<AppContext, 'config' | 'clock'>;
interface Request { receivedOn: string; requestedChange: string }

/** The letter to the patient accepting their amendment (164.526(c)(2)). */
export function renderAcceptanceLetter(ctx: Ctx, patient: PatientView, request: Request, amendment: string, recipients: string[]): Promise<Uint8Array> {
  return renderPatientLetter(ctx, 'Amendment accepted', patient, (sheet) => {
    sheet.section('Your request');
    sheet.paragraph(`On ${request.receivedOn} you asked us to amend your health record: ${request.requestedChange}`);
    sheet.section('Our decision');
    sheet.paragraph(`We accepted your request and amended your record. The amendment: ${amendment}`);
    sheet.section('Who we are telling');
    if (recipients.length === 0) sheet.paragraph('You named no one for us to tell of the amendment.');
    else {
      sheet.paragraph('With your agreement we are sending the amendment to:');
      for (const r of recipients) sheet.line(`- ${r}`);
    }
  });
}

/** The letter telling a recipient of the patient's information about an accepted amendment (164.526(c)(3)). */
export function renderNotificationLetter(ctx: Ctx, patient: PatientView, recipient: { name: string; address: string | null }, amendment: string): Promise<Uint8Array> {
  return renderPatientLetter(ctx, 'Notice of amendment', patient, (sheet) => {
    sheet.section('To');
    sheet.line(recipient.name);
    if (recipient.address) sheet.line(recipient.address);
    sheet.section('Amendment');
    sheet.paragraph(
      `${ctx.config.facilityName} amended the health record of the patient named above at the patient's request. ` +
      `You received information from this record, so we send you the amendment: ${amendment}`,
    );
  });
}

/** The letter denying an amendment: its basis in plain language and the patient's rights (164.526(d)(1)). */
export function renderDenialLetter(ctx: Ctx, patient: PatientView, request: Request, ground: DenialGround, explanation: string): Promise<Uint8Array> {
  return renderPatientLetter(ctx, 'Amendment denied', patient, (sheet) => {
    sheet.section('Your request');
    sheet.paragraph(`On ${request.receivedOn} you asked us to amend your health record: ${request.requestedChange}`);
    sheet.section('Our decision and its basis');
    sheet.paragraph(`We denied your request. ${DENIAL_GROUNDS[ground].letter} ${explanation}`);
    sheet.section('Your rights');
    for (const right of denialRights(ctx.config.facilityName)) sheet.paragraph(right);
  });
}
