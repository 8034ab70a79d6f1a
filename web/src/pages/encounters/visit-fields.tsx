import { NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useId, type ChangeEvent } from 'react';
import { useLocations, useProviders, type HospitalLocation, type Provider } from '../../api/reference-data';
import type { ProviderRef } from '../../api/encounters';

/** A date and time to the minute, in local time; the form turns it into an instant with `fromLocalInput`. */
export function WhenField({ label, value, error, onChange }: { label: string; value: string; error?: string; onChange(value: string): void }) {
  return (
    <TextInput
      type="datetime-local"
      label={label}
      description="Local time; defaults to now."
      maw={280}
      value={value}
      error={error}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}

export interface LocationValues {
  unit: string;
  room: string;
  bed: string;
}

export const NO_LOCATION: LocationValues = { unit: '', room: '', bed: '' };

/** The places of a kind directly under a path ("3W" holds "3W/312"); units stand at the top. */
function under(locations: HospitalLocation[], kind: HospitalLocation['kind'], parentPath: string | null) {
  const depth = parentPath ? parentPath.split('/').length + 1 : 1;
  return locations.filter((l) => l.kind === kind && (parentPath === null || l.path.startsWith(`${parentPath}/`)) && l.path.split('/').length === depth);
}

/**
 * Unit, room and bed, suggested from the hospital's locations as the registrar types (a unit's rooms,
 * a room's beds). Codes not in the reference data are accepted as typed: a bed opened today may not be entered yet.
 */
export function LocationFields({ value, errors = {}, onChange }: { value: LocationValues; errors?: Partial<Record<keyof LocationValues, string>>; onChange(value: LocationValues): void }) {
  const locations = useLocations().data ?? [];
  const id = useId();
  const units = under(locations, 'unit', null);
  const rooms = value.unit ? under(locations, 'room', value.unit) : [];
  const beds = value.unit && value.room ? under(locations, 'bed', `${value.unit}/${value.room}`) : [];
  const set = (part: keyof LocationValues) => (event: ChangeEvent<HTMLInputElement>) => onChange({ ...value, [part]: event.currentTarget.value.trim().toUpperCase() });
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
      <TextInput label="Unit" description="Nursing unit code, e.g. 3W" list={`${id}-units`} autoComplete="off" value={value.unit} error={errors.unit} onChange={set('unit')} />
      <TextInput label="Room" list={`${id}-rooms`} autoComplete="off" value={value.room} error={errors.room} onChange={set('room')} description="Optional" />
      <TextInput label="Bed" list={`${id}-beds`} autoComplete="off" value={value.bed} error={errors.bed} onChange={set('bed')} description="Optional" />
      <Suggestions id={`${id}-units`} locations={units} />
      <Suggestions id={`${id}-rooms`} locations={rooms} />
      <Suggestions id={`${id}-beds`} locations={beds} />
    </SimpleGrid>
  );
}

function Suggestions({ id, locations }: { id: string; locations: HospitalLocation[] }) {
  return (
    <datalist id={id}>
      {locations.map((l) => (
        <option key={l.id} value={l.code}>
          {l.name}
        </option>
      ))}
    </datalist>
  );
}

/** The location as the API takes it: none without a unit. */
export function toBedLocation(value: LocationValues) {
  return value.unit ? { unit: value.unit, room: value.room || null, bed: value.bed || null } : null;
}

/** A provider from the reference data, by id; the form sends the provider's NPI, code and name. */
export function ProviderSelect({ label, value, onChange }: { label: string; value: string; onChange(value: string): void }) {
  const providers = useProviders().data ?? [];
  return (
    <NativeSelect
      label={label}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: '', label: 'Not named' },
        ...providers.map((p) => ({ value: p.id, label: [p.display, p.specialty, p.npi ? `NPI ${p.npi}` : p.code].filter(Boolean).join(' · ') })),
      ]}
    />
  );
}

export function providerRefOf(providers: Provider[] | undefined, id: string): ProviderRef | null {
  const provider = providers?.find((p) => p.id === id);
  return provider ? { npi: provider.npi, code: provider.code, family: provider.family, given: provider.given } : null;
}
