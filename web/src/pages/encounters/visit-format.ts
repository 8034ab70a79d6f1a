import type { BedLocation, ProviderRef } from '../../api/encounters';

/** "3W (3 West) · room 312 · bed A". */
export function locationText(location: BedLocation | null | undefined, unitName?: string | null): string | undefined {
  if (!location?.unit) return undefined;
  return [
    unitName ? `${location.unit} (${unitName})` : location.unit,
    location.room ? `room ${location.room}` : null,
    location.bed ? `bed ${location.bed}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A provider by name, with the NPI when known. */
export function providerText(provider: ProviderRef | null | undefined): string | undefined {
  if (!provider) return undefined;
  const name = provider.display || [provider.given, provider.family].filter(Boolean).join(' ') || provider.code || '';
  return provider.npi ? `${name} (NPI ${provider.npi})` : name || undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as a date-and-time field holds it, in local time to the minute ("2026-11-25T04:31"). */
export function toLocalInput(date: Date = new Date()): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The field's local date and time as the API wants it (ISO 8601 in UTC); undefined when it is not a time. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Blank text as null, for the API's optional fields. */
export const orNull = (value: string): string | null => value.trim() || null;
