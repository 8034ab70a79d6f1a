import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from './client';

/** Providers and locations, the reference data visits name (src/encounters/reference-data.ts). */

export interface Provider {
  id: string;
  npi: string | null;
  code: string | null;
  family: string;
  given: string | null;
  credentials: string | null;
  specialty: string | null;
  active: boolean;
  display: string;
}

export type ProviderInput = Omit<Provider, 'id' | 'display'>;

export const LOCATION_KINDS = ['department', 'unit', 'room', 'bed'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export interface HospitalLocation {
  id: string;
  kind: LocationKind;
  code: string;
  name: string;
  parentId: string | null;
  /** Codes from the unit down, "3W/312/A"; a unit's path is its own code. */
  path: string;
  active: boolean;
}

export type LocationInput = Pick<HospitalLocation, 'kind' | 'code' | 'name' | 'parentId' | 'active'>;

const referenceKeys = {
  providers: (includeInactive: boolean) => ['reference', 'providers', includeInactive] as const,
  locations: (includeInactive: boolean) => ['reference', 'locations', includeInactive] as const,
};

export function useProviders(includeInactive = false) {
  return useQuery({
    queryKey: referenceKeys.providers(includeInactive),
    queryFn: ({ signal }) => apiRequest<{ providers: Provider[] }>('/api/reference/providers', { query: { includeInactive }, signal }).then((b) => b.providers),
  });
}

export function useLocations(includeInactive = false) {
  return useQuery({
    queryKey: referenceKeys.locations(includeInactive),
    queryFn: ({ signal }) => apiRequest<{ locations: HospitalLocation[] }>('/api/reference/locations', { query: { includeInactive }, signal }).then((b) => b.locations),
  });
}

/** Adds an entry of a reference list, or changes one when `id` is given. */
function useSaveReference<Input, Answer>(list: 'providers' | 'locations') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: Input }) =>
      apiRequest<Answer>(id ? `/api/reference/${list}/${encodeURIComponent(id)}` : `/api/reference/${list}`, { method: id ? 'PUT' : 'POST', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['reference', list] }),
  });
}

export const useSaveProvider = () => useSaveReference<ProviderInput, { provider: Provider }>('providers');
export const useSaveLocation = () => useSaveReference<LocationInput, { location: HospitalLocation }>('locations');
