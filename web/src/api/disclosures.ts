import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';

/** The disclosure log, suspensions and accountings as the API answers them (src/release/disclosures). */

export interface DisclosureKindInfo {
  code: string;
  label: string;
  exempt: boolean;
  cite: string;
}

export interface Disclosure {
  id: string;
  patientId: string;
  disclosedAt: string;
  recipientName: string;
  recipientAddress: string | null;
  description: string;
  purpose: string;
  kind: string;
  kindLabel: string;
  exempt: boolean;
  correctsId: string | null;
  correctedById: string | null;
  source: 'release' | 'manual';
  recordedBy: string;
}

export interface NewDisclosure {
  patientId: string;
  disclosedAt: string;
  recipient: { name: string; address?: string | null };
  description: string;
  purpose: string;
  kind: string;
  correctsId?: string | null;
}

export interface AccountingRequest {
  id: string;
  patientId: string;
  receivedOn: string;
  periodFrom: string;
  periodTo: string;
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  currentDueOn: string;
  feeCents: number;
  free: boolean;
  status: 'open' | 'fulfilled';
  entryCount: number | null;
  hasLetter: boolean;
  fulfilledAt: string | null;
  recordedBy: string;
}

export interface AccountingRow {
  recipientName: string;
  recipientAddress: string | null;
  purpose: string;
  kindLabel: string;
  description: string;
  firstDisclosedAt: string;
  lastDisclosedAt: string;
  count: number;
  frequency: string | null;
}

export interface Accounting {
  period: { from: string; to: string };
  rows: AccountingRow[];
  listed: number;
  leftOut: number;
  withheld: number;
}

export interface Suspension {
  id: string;
  agencyName: string;
  patientId: string | null;
  form: 'written' | 'oral';
  fromDate: string;
  untilDate: string;
  reason: string;
  inForce: boolean;
  recordedBy: string;
}

export const disclosureKeys = {
  kinds: ['disclosure-kinds'] as const,
  log: (patientId: string) => ['disclosures', patientId] as const,
  accountings: (patientId: string) => ['accountings', patientId] as const,
  accounting: (id: string) => ['accounting', id] as const,
  suspensions: ['suspensions'] as const,
};

export const accountingLetterUrl = (id: string) => `/api/release/accountings/${encodeURIComponent(id)}/letter.pdf`;

export function useDisclosureKinds() {
  return useQuery({ queryKey: disclosureKeys.kinds, queryFn: () => apiRequest<{ kinds: DisclosureKindInfo[] }>('/api/release/disclosure-kinds').then((r) => r.kinds), staleTime: Infinity });
}

export function usePatientDisclosures(patientId: string) {
  return useQuery({ queryKey: disclosureKeys.log(patientId), queryFn: () => apiRequest<{ disclosures: Disclosure[]; total: number }>(`/api/release/patients/${encodeURIComponent(patientId)}/disclosures`) });
}

export function usePatientAccountings(patientId: string) {
  return useQuery({
    queryKey: disclosureKeys.accountings(patientId),
    queryFn: () => apiRequest<{ requests: AccountingRequest[] }>(`/api/release/patients/${encodeURIComponent(patientId)}/accountings`).then((r) => r.requests),
  });
}

export function useAccounting(id: string) {
  return useQuery({ queryKey: disclosureKeys.accounting(id), queryFn: () => apiRequest<{ request: AccountingRequest; accounting: Accounting }>(`/api/release/accountings/${encodeURIComponent(id)}`) });
}

export function useRecordDisclosure() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: NewDisclosure) => apiRequest<{ disclosure: Disclosure }>('/api/release/disclosures', { method: 'POST', body }).then((r) => r.disclosure),
    onSuccess: (d) => client.invalidateQueries({ queryKey: disclosureKeys.log(d.patientId) }),
  });
}

export function useRequestAccounting() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { patientId: string; receivedOn: string; periodFrom?: string; feeCents?: number }) =>
      apiRequest<{ request: AccountingRequest }>('/api/release/accountings', { method: 'POST', body }).then((r) => r.request),
    onSuccess: (r) => client.invalidateQueries({ queryKey: disclosureKeys.accountings(r.patientId) }),
  });
}

/** Extend or fulfil an accounting request. */
export function useAccountingAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: { type: 'extension'; reason: string } | { type: 'fulfil' }) =>
      apiRequest<{ request: AccountingRequest }>(`/api/release/accountings/${encodeURIComponent(id)}/${action.type}`, {
        method: 'POST', body: action.type === 'extension' ? { reason: action.reason } : undefined,
      }).then((r) => r.request),
    onSuccess: (r) => Promise.all([
      client.invalidateQueries({ queryKey: disclosureKeys.accounting(id) }),
      client.invalidateQueries({ queryKey: disclosureKeys.accountings(r.patientId) }),
    ]),
  });
}

export function useSuspensions() {
  return useQuery({ queryKey: disclosureKeys.suspensions, queryFn: () => apiRequest<{ suspensions: Suspension[] }>('/api/release/suspensions').then((r) => r.suspensions) });
}

export function useRecordSuspension() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { agencyName: string; patientId?: string | null; form: 'written' | 'oral'; fromDate: string; untilDate: string; reason: string }) =>
      apiRequest<{ suspension: Suspension }>('/api/release/suspensions', { method: 'POST', body }).then((r) => r.suspension),
    onSuccess: () => client.invalidateQueries({ queryKey: disclosureKeys.suspensions }),
  });
}

/** Cents as dollars: 1500 -> "$15.00". */
export const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;
/** Today in the reader's local calendar, YYYY-MM-DD. */
export function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
