import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';

/** Amendment requests as the API answers them (src/release/amendments). */

export const DENIAL_GROUNDS = [
  { code: 'not_created_here', label: 'Not created by us (and its originator can act on the request)' },
  { code: 'not_in_record_set', label: 'Not part of the designated record set' },
  { code: 'not_available_for_access', label: 'Not available for access under 164.524' },
  { code: 'accurate_and_complete', label: 'Accurate and complete' },
] as const;
export type DenialGround = (typeof DENIAL_GROUNDS)[number]['code'];

export interface Amendment {
  id: string;
  patientId: string;
  receivedOn: string;
  requestedChange: string;
  documentIds: string[];
  dueOn: string;
  extendedDueOn: string | null;
  extensionReason: string | null;
  currentDueOn: string;
  status: 'open' | 'accepted' | 'denied';
  amendmentText: string | null;
  denialBasis: DenialGround | null;
  denialExplanation: string | null;
  sendWithDisclosures: boolean;
  hasLetter: boolean;
  decidedAt: string | null;
  decidedBy: string | null;
}

export interface AmendmentDetail extends Amendment {
  notifications: { id: string; recipientName: string; recipientAddress: string | null; source: 'patient-named' | 'prior-recipient' }[];
  statements: { id: string; kind: 'disagreement' | 'rebuttal'; text: string; receivedOn: string; recordedBy: string }[];
}

export interface QueuedAmendment extends Amendment {
  patientName: string;
  mrn: string;
}

export const amendmentKeys = {
  queue: ['amendments', 'queue'] as const,
  ofPatient: (patientId: string) => ['amendments', 'patient', patientId] as const,
  one: (id: string) => ['amendments', 'one', id] as const,
};

const path = (id: string) => `/api/release/amendments/${encodeURIComponent(id)}`;
export const amendmentLetterUrl = (id: string) => `${path(id)}/letter.pdf`;
export const notificationLetterUrl = (id: string, notificationId: string) => `${path(id)}/notifications/${encodeURIComponent(notificationId)}/letter.pdf`;

export function useAmendmentQueue() {
  return useQuery({ queryKey: amendmentKeys.queue, queryFn: () => apiRequest<{ amendments: QueuedAmendment[] }>('/api/release/amendments').then((r) => r.amendments) });
}

export function usePatientAmendments(patientId: string) {
  return useQuery({
    queryKey: amendmentKeys.ofPatient(patientId),
    queryFn: () => apiRequest<{ amendments: Amendment[] }>(`/api/release/patients/${encodeURIComponent(patientId)}/amendments`).then((r) => r.amendments),
  });
}

export function useAmendment(id: string) {
  return useQuery({ queryKey: amendmentKeys.one(id), queryFn: () => apiRequest<{ amendment: AmendmentDetail }>(path(id)).then((r) => r.amendment) });
}

export function useRequestAmendment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { patientId: string; receivedOn: string; requestedChange: string; documentIds: string[] }) =>
      apiRequest<{ amendment: Amendment }>('/api/release/amendments', { method: 'POST', body }).then((r) => r.amendment),
    onSuccess: () => client.invalidateQueries({ queryKey: ['amendments'] }),
  });
}

export type AmendmentAction =
  | { type: 'extension'; body: { reason: string } }
  | { type: 'accept'; body: { amendmentText: string; notify: { name: string; address?: string | null }[]; notifyPriorRecipients: boolean } }
  | { type: 'deny'; body: { basis: DenialGround; explanation: string } }
  | { type: 'statements'; body: { kind: 'disagreement' | 'rebuttal'; text: string; receivedOn: string } }
  | { type: 'send-with-disclosures'; body?: undefined };

export function useAmendmentAction(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: AmendmentAction) => apiRequest<{ amendment: AmendmentDetail }>(`${path(id)}/${action.type}`, { method: 'POST', body: action.body }).then((r) => r.amendment),
    onSuccess: () => client.invalidateQueries({ queryKey: ['amendments'] }),
  });
}
