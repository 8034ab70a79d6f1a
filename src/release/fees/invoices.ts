import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { recordAuditEvent } from '../../audit/trail.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { assertPatientReadable, getPatientRow } from '../../patients/index.js';
import { newId } from '../../platform/ids.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { reserveSequence } from '../../platform/db/sequences.js';
import { renderSheet } from '../../platform/pdf/sheet.js';
import { changeRequest, readReleaseRequest, type ChangeContext } from '../requests/index.js';
import { WAIVERS, type FeeSchedule, type Waiver } from './fee-schedule.js';
import { quoteFee, type FeeLine, type FeeQuestion, type FeeQuote } from './fee-quote.js';
import { currentFeeSchedule } from './fee-schedules.js';
import { dollars } from '../../platform/money.js';

/** What the clerk tells us about the copy; who is asking (and so which rules apply) comes from the request. */
export const QuoteInput = z.strictObject({
  pages: z.number().int('Whole pages.').min(0, 'Pages cannot be below zero.').max(100_000),
  medium: z.enum(['paper', 'electronic']),
  recordsKeptElectronically: z.boolean(),
  postageCents: z.number().int('Whole cents.').min(0, 'Postage cannot be below zero.').max(100_000),
  certified: z.boolean().optional(),
  portableMedia: z.boolean().optional(),
  summary: z.boolean().optional(),
  waiver: z.enum(WAIVERS).optional(),
});
export type QuoteInput = z.infer<typeof QuoteInput>;

export const PAYMENT_METHODS = ['cash', 'check', 'card', 'waived-later'] as const;
export const PaymentInput = z.strictObject({
  amountCents: z.number().int('Whole cents.').positive('A payment is more than zero.').max(10_000_000),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().trim().max(100).nullable().optional(),
  receivedOn: z.iso.date().describe('YYYY-MM-DD'),
});
export type PaymentInput = z.infer<typeof PaymentInput>;

export type InvoiceStatus = 'unpaid' | 'part-paid' | 'paid' | 'void';

export interface InvoiceView {
  id: string;
  requestId: string;
  number: string;
  lines: FeeLine[];
  totalCents: number;
  paidCents: number;
  outstandingCents: number;
  status: InvoiceStatus;
  basis: string;
  waiver: string | null;
  issuedAt: string;
  issuedBy: string;
  voidReason: string | null;
  voidedAt: string | null;
  voidedBy: string | null;
  payments: { id: string; amountCents: number; method: string; reference: string | null; receivedOn: string; recordedAt: string; recordedBy: string }[];
}

/** The request's facts the fee depends on. */
interface RequestFacts {
  requesterKind: string;
  basisKind: string;
}

/**
 * A patient's own copy is a right-of-access request by the patient or their personal representative.
 * A copy the patient directs to someone else (patient-directed) is a third-party copy (Ciox Health v. Azar, 2020).
 */
export const isPatientOwnCopy = (r: RequestFacts): boolean =>
  r.basisKind === 'right-of-access' && (r.requesterKind === 'patient' || r.requesterKind === 'personal-representative');

/** Waivers the schedule offers for this request: continuity of care only when a provider asks for treatment. */
export function waiversOffered(schedule: FeeSchedule, r: RequestFacts): Waiver[] {
  return schedule.waivers.filter((w) => w !== 'continuity-of-care' || (r.basisKind === 'treatment' && r.requesterKind === 'provider'));
}

function quoteFor(schedule: FeeSchedule, r: RequestFacts, input: QuoteInput): { question: FeeQuestion; quote: FeeQuote } {
  if (input.waiver && !waiversOffered(schedule, r).includes(input.waiver)) {
    throw invalid('fee.invalid', 'That waiver does not apply to this request.', [{ field: 'waiver', message: 'The fee schedule does not offer this waiver for this request.' }]);
  }
  const question: FeeQuestion = { ...input, patientOwnCopy: isPatientOwnCopy(r) };
  return { question, quote: quoteFee(schedule, question) };
}

export interface QuoteAnswer extends FeeQuote {
  patientOwnCopy: boolean;
  waiversOffered: Waiver[];
  scheduleVersion: number;
}

/** The fee for a request, as the current schedule has it (nothing stored; the read of the request is audited). */
export async function quoteRequest(ctx: AppContext, principal: Principal, requestId: string, input: QuoteInput): Promise<QuoteAnswer> {
  const { request } = await readReleaseRequest(ctx, principal, requestId);
  const facts = { requesterKind: request.requester.kind, basisKind: request.basis.kind };
  const { schedule, version } = await currentFeeSchedule(ctx.db);
  const { question, quote } = quoteFor(schedule, facts, input);
  return { ...quote, patientOwnCopy: question.patientOwnCopy, waiversOffered: waiversOffered(schedule, facts), scheduleVersion: version };
}

type InvoiceRow = Awaited<ReturnType<typeof invoiceRows>>[number];
const invoiceRows = (db: AppContext['db'] | Transaction<DB>, where: { requestId?: string; id?: string }) => {
  let q = db.selectFrom('releaseInvoices').selectAll();
  if (where.requestId) q = q.where('requestId', '=', where.requestId);
  if (where.id) q = q.where('id', '=', where.id);
  return q.orderBy('issuedAt', 'desc').orderBy('id', 'desc').execute();
};

async function toViews(db: AppContext['db'] | Transaction<DB>, rows: InvoiceRow[]): Promise<InvoiceView[]> {
  if (!rows.length) return [];
  const payments = await db.selectFrom('releaseInvoicePayments').selectAll().where('invoiceId', 'in', rows.map((r) => r.id)).orderBy('recordedAt').orderBy('id').execute();
  return rows.map((r) => {
    const mine = payments.filter((p) => p.invoiceId === r.id).map((p) => ({
      id: p.id, amountCents: Number(p.amountCents), method: p.method, reference: p.reference, receivedOn: p.receivedOn, recordedAt: p.recordedAt, recordedBy: p.recordedBy,
    }));
    const totalCents = Number(r.totalCents);
    const paidCents = mine.reduce((sum, p) => sum + p.amountCents, 0);
    const status: InvoiceStatus = r.status === 'void' ? 'void' : paidCents >= totalCents ? 'paid' : paidCents > 0 ? 'part-paid' : 'unpaid';
    return {
      id: r.id, requestId: r.requestId, number: r.number, lines: JSON.parse(r.lines) as FeeLine[], totalCents, paidCents,
      outstandingCents: r.status === 'void' ? 0 : totalCents - paidCents, status, basis: r.basis, waiver: r.waiver,
      issuedAt: r.issuedAt, issuedBy: r.issuedBy, voidReason: r.voidReason, voidedAt: r.voidedAt, voidedBy: r.voidedBy, payments: mine,
    };
  });
}

const audit = (trx: Transaction<DB>, ctx: AppContext, principal: Principal, patientId: string, invoiceId: string, action: 'create' | 'update' | 'print' | 'read', what: string) =>
  recordAuditEvent(trx, { actor: actorOf(principal), action, patientId, recordType: 'release_invoice', recordId: invoiceId, details: { action: what } }, ctx.clock);

/** The invoice PDF: facility, requester, request, lines, total and the rule the fee follows. */
function invoicePdf(ctx: AppContext, c: ChangeContext, number: string, quote: FeeQuote): Promise<Uint8Array> {
  const r = c.details.requester;
  const patientName = `${c.patient.family}, ${[c.patient.given, c.patient.middle].filter(Boolean).join(' ')}`;
  return renderSheet({ title: `Invoice ${number}`, organisation: ctx.config.facilityName, now: ctx.clock.now() }, (sheet) => {
    sheet.fields([['Invoice', number], ['Date', ctx.clock.now().toISOString().slice(0, 10)], ['Bill to', [r.name, r.organization].filter(Boolean).join(', ')], ['Request', c.row.id]]);
    if (r.address) sheet.line(r.address);
    sheet.fields([['Copies of the records of', patientName], ['Request received', c.row.receivedOn]]);
    sheet.section('Charges');
    if (!quote.lines.length) sheet.line('No charge.');
    for (const l of quote.lines) sheet.entry(`${l.label}${l.quantity !== 1 ? ` (${l.quantity} x ${dollars(l.unitCents)})` : ''}`, dollars(l.amountCents));
    sheet.entry('Total due', dollars(quote.totalCents));
    sheet.gap(6);
    sheet.paragraph(quote.basis);
    if (quote.waived) sheet.paragraph(`Waived: ${quote.waived.reason}.`);
  });
}

/** Issues an invoice from the current quote, with its PDF, in the request's transaction. */
export async function issueInvoice(ctx: AppContext, principal: Principal, requestId: string, input: QuoteInput): Promise<InvoiceView> {
  return changeRequest(ctx, principal, requestId, 'invoice', async (c) => {
    if (['denied', 'cancelled'].includes(c.row.status)) throw conflict('fee.closed', 'A denied or cancelled request is not invoiced.');
    const { schedule } = await currentFeeSchedule(c.trx);
    const { question, quote } = quoteFor(schedule, { requesterKind: c.row.requesterKind, basisKind: c.row.basisKind }, input);
    const now = ctx.clock.now();
    const number = `INV-${now.toISOString().slice(0, 4)}-${String(await reserveSequence(c.trx, 'invoice')).padStart(6, '0')}`;
    const stored = await ctx.blobs.put(Buffer.from(await invoicePdf(ctx, c, number, quote)));
    const id = newId();
    await c.trx.insertInto('releaseInvoices').values({
      id, requestId, patientId: c.row.patientId, number, question: JSON.stringify(question), lines: JSON.stringify(quote.lines), totalCents: quote.totalCents,
      basis: quote.basis, waiver: quote.waived?.waiver ?? null, status: 'issued', voidReason: null, voidedAt: null, voidedBy: null,
      pdfSha256: stored.sha256, issuedAt: now.toISOString(), issuedBy: principal.name,
    }).execute();
    await audit(c.trx, ctx, principal, c.row.patientId, id, 'create', 'issue');
    return (await toViews(c.trx, await invoiceRows(c.trx, { id })))[0]!;
  });
}

async function invoiceRequest(ctx: AppContext, invoiceId: string): Promise<{ requestId: string; patientId: string; pdfSha256: string }> {
  const row = await ctx.db.selectFrom('releaseInvoices').select(['requestId', 'patientId', 'pdfSha256']).where('id', '=', invoiceId).executeTakeFirst();
  if (!row) throw notFound('The invoice');
  return row;
}

/** Records a payment; more than is owed is refused. */
export async function recordPayment(ctx: AppContext, principal: Principal, invoiceId: string, input: PaymentInput): Promise<InvoiceView> {
  const { requestId } = await invoiceRequest(ctx, invoiceId);
  return changeRequest(ctx, principal, requestId, 'payment', async (c) => {
    const [invoice] = await toViews(c.trx, await invoiceRows(c.trx, { id: invoiceId }));
    if (invoice!.status === 'void') throw conflict('fee.void', 'A void invoice takes no payments.');
    if (input.amountCents > invoice!.outstandingCents) {
      throw invalid('fee.overpayment', `That is more than the ${dollars(invoice!.outstandingCents)} outstanding.`, [{ field: 'amountCents', message: `At most ${dollars(invoice!.outstandingCents)} is owed.` }]);
    }
    await c.trx.insertInto('releaseInvoicePayments').values({
      id: newId(), invoiceId, amountCents: input.amountCents, method: input.method, reference: input.reference ?? null, receivedOn: input.receivedOn,
      recordedAt: ctx.clock.now().toISOString(), recordedBy: principal.name,
    }).execute();
    await audit(c.trx, ctx, principal, c.row.patientId, invoiceId, 'update', 'payment');
    return (await toViews(c.trx, await invoiceRows(c.trx, { id: invoiceId })))[0]!;
  });
}

/** Voids an invoice (issued in error, or replaced), with the reason; a paid amount stays on record. */
export async function voidInvoice(ctx: AppContext, principal: Principal, invoiceId: string, reason: string): Promise<InvoiceView> {
  const { requestId } = await invoiceRequest(ctx, invoiceId);
  return changeRequest(ctx, principal, requestId, 'void-invoice', async (c) => {
    const [invoice] = await toViews(c.trx, await invoiceRows(c.trx, { id: invoiceId }));
    if (invoice!.status === 'void') throw conflict('fee.void', 'The invoice is already void.');
    if (invoice!.paidCents > 0) throw conflict('fee.paid', 'An invoice with payments recorded cannot be voided.');
    await c.trx.updateTable('releaseInvoices').set({ status: 'void', voidReason: reason, voidedAt: ctx.clock.now().toISOString(), voidedBy: principal.name }).where('id', '=', invoiceId).execute();
    await audit(c.trx, ctx, principal, c.row.patientId, invoiceId, 'update', 'void');
    return (await toViews(c.trx, await invoiceRows(c.trx, { id: invoiceId })))[0]!;
  });
}

/** The request's invoices, newest first (the patient's record must be open to the caller; the read is audited). */
export async function invoicesOf(ctx: AppContext, principal: Principal, requestId: string): Promise<InvoiceView[]> {
  const { request } = await readReleaseRequest(ctx, principal, requestId);
  return toViews(ctx.db, await invoiceRows(ctx.db, { requestId: request.id }));
}

/** The invoice PDF, its print audited. */
export async function invoicePdfBytes(ctx: AppContext, principal: Principal, invoiceId: string): Promise<Uint8Array> {
  const { patientId, pdfSha256 } = await invoiceRequest(ctx, invoiceId);
  const emergency = await assertPatientReadable(ctx, principal, await getPatientRow(ctx.db, patientId));
  const bytes = await ctx.blobs.get(pdfSha256);
  await ctx.db.transaction().execute((trx) => recordAuditEvent(trx, {
    actor: actorOf(principal), action: 'print', patientId, recordType: 'release_invoice', recordId: invoiceId, emergency,
  }, ctx.clock));
  return bytes;
}

/** Blob addresses invoices name (for the orphan sweep, like letterBlobAddresses). */
export async function invoiceBlobAddresses(ctx: Pick<AppContext, 'db'>): Promise<string[]> {
  return (await ctx.db.selectFrom('releaseInvoices').select('pdfSha256').distinct().execute()).map((r) => r.pdfSha256);
}
