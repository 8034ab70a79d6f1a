import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../schema.js';
import { conflict } from '../../platform/errors.js';
import { dollars } from '../../platform/money.js';
import { currentFeeSchedule } from './fee-schedules.js';

/** What is still owed on a request's issued (not void) invoices. */
export async function outstandingOnRequest(trx: Kysely<DB>, requestId: string): Promise<number> {
  const invoices = await trx.selectFrom('releaseInvoices').select(['id', 'totalCents']).where('requestId', '=', requestId).where('status', '=', 'issued').execute();
  if (!invoices.length) return 0;
  const payments = await trx.selectFrom('releaseInvoicePayments').select(['invoiceId', 'amountCents']).where('invoiceId', 'in', invoices.map((i) => i.id)).execute();
  const paid = payments.reduce((sum, p) => sum + Number(p.amountCents), 0);
  return invoices.reduce((sum, i) => sum + Number(i.totalCents), 0) - paid;
}

/**
 * Where the schedule holds releases until paid, a request whose issued invoice is not fully paid is
 * not released (409 release.unpaid, saying what is owed). Never for treatment: care is not held up for a fee.
 */
export async function assertFeesPaid(trx: Transaction<DB>, request: { id: string; basisKind: string }): Promise<void> {
  if (request.basisKind === 'treatment') return;
  const { schedule } = await currentFeeSchedule(trx);
  if (!schedule.holdUntilPaid) return;
  const owed = await outstandingOnRequest(trx, request.id);
  if (owed > 0) throw conflict('release.unpaid', `${dollars(owed)} is outstanding on this request's invoice; the fee schedule holds the release until it is paid.`);
}
