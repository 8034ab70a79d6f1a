import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';

/** Visits (encounters) and the census as the API answers them (src/encounters/visit-record.ts, reading.ts). */

export const ENCOUNTER_CLASSES = ['inpatient', 'outpatient', 'emergency', 'observation', 'day_surgery'] as const;
export type EncounterClass = (typeof ENCOUNTER_CLASSES)[number];
export type EncounterStatus = 'planned' | 'in_progress' | 'on_leave' | 'finished' | 'cancelled';

export interface BedLocation {
  unit: string;
  room?: string | null;
  bed?: string | null;
}

/** A provider as a visit names one; `display` and `providerId` when it matched the reference data. */
export interface ProviderRef {
  npi?: string | null;
  code?: string | null;
  family?: string | null;
  given?: string | null;
  providerId?: string | null;
  display?: string | null;
}

export interface VisitDetails {
  class?: EncounterClass;
  service?: string | null;
  location?: BedLocation | null;
  admittingProvider?: ProviderRef | null;
  attendingProvider?: ProviderRef | null;
  admitSource?: string | null;
  admitType?: string | null;
  reason?: string | null;
}

export interface Encounter {
  id: string;
  patientId: string;
  visitNumber: string;
  class: EncounterClass;
  status: EncounterStatus;
  version: number;
  service: string | null;
  location: BedLocation | null;
  plannedAt: string | null;
  admittedAt: string | null;
  dischargedAt: string | null;
  disposition: string | null;
  admittingProvider: ProviderRef | null;
  attendingProvider: ProviderRef | null;
  admitSource: string | null;
  admitType: string | null;
  reason: string | null;
  dischargedTo: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Stay {
  unit: string;
  unitName: string | null;
  room: string | null;
  bed: string | null;
  fromAt: string;
  toAt: string | null;
  cancelled: boolean;
}

export interface VisitEvent {
  version: number;
  type: string;
  occurredAt: string | null;
  recordedAt: string;
  source: string;
  actor: string;
}

export interface EncounterDetail extends Encounter {
  unitName: string | null;
  stays: Stay[];
  events: VisitEvent[];
}

export type OpeningEventType = 'pre_admit' | 'admit' | 'register';

export interface OpeningEvent {
  patientId: string;
  type: OpeningEventType;
  at: string;
  details: VisitDetails;
}

/** What the visit page sends: the events after the opening one (src/encounters/routes.ts FollowingEvent). */
export type FollowingEvent =
  | { type: 'admit'; at: string; details?: VisitDetails }
  | { type: 'transfer'; at: string; to: BedLocation }
  | { type: 'change_class'; at: string; class: EncounterClass }
  | { type: 'leave'; at: string }
  | { type: 'return'; at: string }
  | { type: 'discharge'; at: string; disposition: string | null; dischargedTo: string | null }
  | { type: 'cancel_admit' | 'cancel_transfer' | 'cancel_discharge'; at: string };

export interface CensusUnit {
  unit: string;
  name: string | null;
  occupied: number;
  onLeave: number;
}

export interface CensusOccupant {
  encounterId: string;
  visitNumber: string;
  patientId: string;
  mrn: string;
  name: string;
  birthDate: string | null;
  sex: string | null;
  class: EncounterClass;
  status: EncounterStatus;
  room: string | null;
  bed: string | null;
  since: string;
  admittedAt: string | null;
  attending: string | null;
}

export interface Census {
  at: string;
  units: CensusUnit[];
  unit: string | null;
  occupants: CensusOccupant[];
}

export const encounterKeys = {
  ofPatient: (patientId: string) => ['patient-encounters', patientId] as const,
  visit: (id: string) => ['encounter', id] as const,
  census: ['census'] as const,
};

const visitPath = (id: string) => `/api/encounters/${encodeURIComponent(id)}`;

export function usePatientEncounters(patientId: string) {
  return useQuery({
    queryKey: encounterKeys.ofPatient(patientId),
    queryFn: ({ signal }) =>
      apiRequest<{ encounters: Encounter[] }>(`/api/patients/${encodeURIComponent(patientId)}/encounters`, { signal }).then((b) => b.encounters),
  });
}

export function useEncounter(id: string) {
  return useQuery({
    queryKey: encounterKeys.visit(id),
    queryFn: ({ signal }) => apiRequest<{ encounter: EncounterDetail }>(visitPath(id), { signal }).then((b) => b.encounter),
  });
}

export function useOpenEncounter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (event: OpeningEvent) => apiRequest<{ encounter: EncounterDetail }>('/api/encounters', { method: 'POST', body: event }),
    onSuccess: ({ encounter }) => {
      queryClient.setQueryData(encounterKeys.visit(encounter.id), encounter);
      void queryClient.invalidateQueries({ queryKey: encounterKeys.ofPatient(encounter.patientId) });
      void queryClient.invalidateQueries({ queryKey: encounterKeys.census });
    },
  });
}

/** Sends one event with the version the page shows; the server refuses it if the visit changed meanwhile. */
export function useEncounterEvent(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, event }: { version: number; event: FollowingEvent }) =>
      apiRequest<{ encounter: EncounterDetail }>(`${visitPath(id)}/events`, { method: 'POST', body: { version, event } }),
    onSuccess: ({ encounter }) => {
      queryClient.setQueryData(encounterKeys.visit(id), encounter);
      void queryClient.invalidateQueries({ queryKey: encounterKeys.ofPatient(encounter.patientId) });
      void queryClient.invalidateQueries({ queryKey: encounterKeys.census });
    },
  });
}

/** Who is in house at `at` (now when not given), and the patients of `unit` when one is chosen. */
export function useCensus(at: string | undefined, unit: string | undefined) {
  return useQuery({
    queryKey: [...encounterKeys.census, at ?? 'now', unit ?? ''],
    queryFn: ({ signal }) => apiRequest<Census>('/api/census', { query: { at, unit }, signal }),
    // A census kept from an earlier visit to the page would show patients since discharged: always ask again.
    gcTime: 0,
    // Within the page, keep the board on screen while another unit or moment loads.
    placeholderData: keepPreviousData,
  });
}

export const paperworkUrl = (id: string, paper: 'face-sheet' | 'discharge-record') => `${visitPath(id)}/${paper}.pdf`;
