import type { AppContext } from '../../context.js';
import type { PatientView } from '../../patients/index.js';
import type { Accounting } from './accounting-rules.js';
import type { AccountingRequestView } from './accounting.js';
import { dollars } from '../../platform/money.js';
import { dayOf, renderPatientLetter } from './letters.js';

/**
 * The accounting as the patient receives it (164.528(b)): each disclosure's date, recipient and
 * address, what was disclosed and why; repeats to one recipient for one purpose as the first in full,
 * then how many, how often and the last date. Suspended disclosures are not mentioned at all.
 */
export function renderAccountingLetter(ctx: Pick<AppContext, 'config' | 'clock'>, patient: PatientView, request: AccountingRequestView, accounting: Accounting): Promise<Uint8Array> {
  return renderPatientLetter(ctx, 'Accounting of disclosures', patient, (sheet) => {
    sheet.section('Your request');
    sheet.paragraph(
      `On ${request.receivedOn} you asked for an accounting of the disclosures of your health information that ${ctx.config.facilityName} made ` +
      `from ${accounting.period.from} to ${accounting.period.to}. The law (45 CFR 164.528) does not ask us to list disclosures for your treatment, ` +
      'for payment or for our health care operations, disclosures to you or under your written authorization, incidental disclosures, ' +
      'disclosures for the facility directory or to people involved in your care, for national security, to correctional institutions, ' +
      'or as part of a limited data set.',
    );
    sheet.fields([['Disclosures listed', String(accounting.listed)], ['Fee', request.feeCents === 0 ? 'None (your first accounting in 12 months)' : dollars(request.feeCents)]]);
    sheet.section('Disclosures');
    if (accounting.rows.length === 0) sheet.paragraph('We made no disclosures in this period that the law asks us to list.');
    for (const row of accounting.rows) {
      sheet.line(`${dayOf(row.firstDisclosedAt)} - ${row.recipientName}${row.recipientAddress ? `, ${row.recipientAddress}` : ''}`);
      sheet.line(`   What was disclosed: ${row.description}`);
      sheet.line(`   Purpose: ${row.purpose}`);
      if (row.count > 1) {
        sheet.line(`   Repeated: ${row.count} disclosures to this recipient for this purpose, ${row.frequency}; the last on ${dayOf(row.lastDisclosedAt)}.`);
      }
      sheet.gap(4);
    }
    sheet.section('Questions');
    sheet.paragraph('If you have questions about this accounting, or believe a disclosure is missing or wrong, write to our privacy officer.');
  });
}
