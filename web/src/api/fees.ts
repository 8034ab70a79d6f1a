import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';

/** Fees for copies of records as the API answers them (src/release/fees). */

export const WAIVER_KEYS = ['continuity-of-care', 'government-benefits', 'indigent-patient'] as const;
export type Waiver = (typeof WAIVER_KEYS)[number];
export const PAYMENT_METHODS = { cash: 'Cash', check: 'Check', card: 'Card', 'waived-later': 'Waived later' } as const;

export interface FeeSchedule {
  patientCopy: { flatElectronic: boolean; flatElectronicCents: number; labourPerPageCents: number; suppliesPerPageCents: number; portableMediaCents: number; summaryCents: number };
  thirdParty: { baseCents: number; perPageTiers: { upToPage: number | null; centsPerPage: number }[]; electronicCapCents: number | null; certificationCents: number };
  waivers: Waiver[];
  holdUntilPaid: boolean;
}

export interface SavedFeeSchedule {
  schedule: FeeSchedule;
  version: number;
  savedAt: string | null;
  savedBy: string | null;
  history: { version: number; savedAt: string; savedBy: string }[];
  waiverLabels: Record<Waiver, string>;
}

export interface FeeLine { code: string; label: string; quantity: number; unitCents: number; amountCents: number }

export interface QuoteInput {
  pages: number;
  medium: 'paper' | 'electronic';
  recordsKeptElectronically: boolean;
  postageCents: number;
  certified?: boolean;
  portableMedia?: boolean;
  summary?: boolean;
  waiver?: Waiver;
}

export interface FeeQuote {
  lines: FeeLine[];
  totalCents: number;
  basis: string;
  waived?: { waiver: Waiver; reason: string };
  patientOwnCopy: boolean;
  waiversOffered: Waiver[];
}

export interface Invoice {
  id: string;
  number: string;
  lines: FeeLine[];
  totalCents: number;
  paidCents: number;
  outstandingCents: number;
  status: 'unpaid' | 'part-paid' | 'paid' | 'void';
  basis: string;
  issuedAt: string;
  issuedBy: string;
  voidReason: string | null;
  payments: { id: string; amountCents: number; method: keyof typeof PAYMENT_METHODS; reference: string | null; receivedOn: string; recordedBy: string }[];
}

export const dollars = (cents: number): string => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2)}`;
export const invoicePdfUrl = (id: string) => `/api/release/invoices/${encodeURIComponent(id)}/pdf`;
const requestPath = (id: string) => `/api/release/requests/${encodeURIComponent(id)}`;
const keys = { schedule: ['fees', 'schedule'] as const, invoices: (requestId: string) => ['fees', 'invoices', requestId] as const };

export function useFeeSchedule() {
  return useQuery({ queryKey: keys.schedule, queryFn: () => apiRequest<SavedFeeSchedule>('/api/release/fee-schedule') });
}

export function useSaveFeeSchedule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (schedule: FeeSchedule) => apiRequest<SavedFeeSchedule>('/api/release/fee-schedule', { method: 'PUT', body: schedule }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.schedule }),
  });
}

export function useQuote(requestId: string) {
  return useMutation({
    mutationFn: (body: QuoteInput) => apiRequest<{ quote: FeeQuote }>(`${requestPath(requestId)}/fee-quote`, { method: 'POST', body }).then((r) => r.quote),
  });
}

export function useInvoices(requestId: string) {
  return useQuery({ queryKey: keys.invoices(requestId), queryFn: () => apiRequest<{ invoices: Invoice[] }>(`${requestPath(requestId)}/invoices`).then((r) => r.invoices) });
}

export function useIssueInvoice(requestId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: QuoteInput) => apiRequest<{ invoice: Invoice }>(`${requestPath(requestId)}/invoices`, { method: 'POST', body }).then((r) => r.invoice),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invoices(requestId) }),
  });
}

export function useRecordPayment(requestId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ invoiceId, ...body }: { invoiceId: string; amountCents: number; method: keyof typeof PAYMENT_METHODS; reference: string | null; receivedOn: string }) =>
      apiRequest<{ invoice: Invoice }>(`/api/release/invoices/${encodeURIComponent(invoiceId)}/payments`, { method: 'POST', body }).then((r) => r.invoice),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invoices(requestId) }),
  });
}

export function useVoidInvoice(requestId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ invoiceId, reason }: { invoiceId: string; reason: string }) =>
      apiRequest<{ invoice: Invoice }>(`/api/release/invoices/${encodeURIComponent(invoiceId)}/void`, { method: 'POST', body: { reason } }).then((r) => r.invoice),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.invoices(requestId) }),
  });
}
