import type { Address, CommunicationPreferences, Coverage, Guarantor, OtherIdentifier, PatientFlags, Phone, PreviousName, RelatedPerson } from '../../api/patients';
import {
  ADDRESS_USES, COVERAGE_ORDERS, ETHNICITIES, GUARANTOR_RELATIONSHIPS, IDENTIFIER_TYPES, MARITAL_STATUSES, PHONE_USES, RACES, RELATIONSHIPS,
  SUBSCRIBER_RELATIONSHIPS,
} from './demographic-codes';
import { languageLabel } from './details-fields';
import { formatDay, sexLabel } from './patient-format';

/** The parts of a record in words, as the summary and the merge screen show them. */

const label = (labels: Record<string, string>, code: string | undefined | null) => (code ? (labels[code] ?? code) : '');

export function addressText(a: Address): string {
  const place = [a.city, [a.state, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const country = a.country && a.country !== 'US' ? `, ${a.country}` : '';
  const dates = a.since || a.until ? ` (${a.since ? `since ${formatDay(a.since)}` : ''}${a.since && a.until ? ', ' : ''}${a.until ? `until ${formatDay(a.until)}` : ''})` : '';
  return `${[a.line1, a.line2].filter(Boolean).join(', ')}, ${place}${country} — ${label(ADDRESS_USES, a.use)}${dates}`;
}

export const phoneText = (p: Phone): string => `${p.number} (${label(PHONE_USES, p.use).toLowerCase()})`;

export const previousNameText = (n: PreviousName): string =>
  `${n.family.toUpperCase()}${n.given ? `, ${n.given}` : ''}${n.until ? ` (until ${formatDay(n.until)})` : ''}`;

export const contactText = (c: RelatedPerson): string =>
  [`${c.name} (${label(RELATIONSHIPS, c.relationship).toLowerCase()})`, c.phone, c.email, c.emergencyContact ? 'emergency contact' : ''].filter(Boolean).join(' · ');

export const coverageText = (c: Coverage): string =>
  [
    `${label(COVERAGE_ORDERS, String(c.order))}: ${c.payer}`,
    `member ${c.memberId}`,
    c.groupNumber ? `group ${c.groupNumber}` : '',
    c.subscriberName || c.subscriberRelationship !== 'self'
      ? `subscriber ${c.subscriberName ?? ''} (${label(SUBSCRIBER_RELATIONSHIPS, c.subscriberRelationship).toLowerCase()})`.replace('  ', ' ')
      : '',
  ]
    .filter(Boolean)
    .join(' · ');

export const guarantorText = (g: Guarantor): string =>
  [`${g.name} (${label(GUARANTOR_RELATIONSHIPS, g.relationship).toLowerCase()})`, g.phone].filter(Boolean).join(' · ');

export const identifierText = (i: OtherIdentifier): string => `${i.value} — ${label(IDENTIFIER_TYPES, i.type)}, ${i.system}`;

export const raceText = (race: string[]): string => race.map((r) => label(RACES, r)).join(', ');

export function communicationText(c: CommunicationPreferences): string {
  const ways = [c.phone && 'phone calls', c.email && 'e-mail', c.text && 'text messages'].filter(Boolean);
  return ways.length ? `Agrees to ${ways.join(', ')}` : 'No contact agreed';
}

export function flagsText(f: PatientFlags): string {
  const set = [f.vip && 'VIP', f.employee && 'Employee', f.restricted && 'Restricted', f.doNotRelease && 'Do not release'].filter(Boolean);
  return set.length ? set.join(', ') : 'None';
}

const yesNo = (value: unknown) => (value ? 'Yes' : 'No');

/** One field of a record in words: lists one item a line; blank as an empty string. */
export function describeValue(field: string, value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = <T,>(fn: (item: T) => string) => (value as T[]).map(fn);
  switch (field) {
    case 'addresses':
      return list(addressText);
    case 'phones':
      return list(phoneText);
    case 'previousNames':
      return list(previousNameText);
    case 'contacts':
      return list(contactText);
    case 'coverages':
      return list(coverageText);
    case 'identifiers':
      return list(identifierText);
    case 'race':
      return (value as string[]).length ? [raceText(value as string[])] : [];
    case 'guarantor':
      return [guarantorText(value as Guarantor)];
    case 'communication':
      return [communicationText(value as CommunicationPreferences)];
    case 'flags':
      return [flagsText(value as PatientFlags)];
    case 'sex':
      return [sexLabel(String(value))];
    case 'ethnicity':
      return [label(ETHNICITIES, String(value))];
    case 'maritalStatus':
      return [label(MARITAL_STATUSES, String(value))];
    case 'language':
      return [languageLabel(String(value))];
    case 'birthDate':
    case 'deathDate':
      return [formatDay(String(value))];
    case 'interpreterNeeded':
      return [yesNo(value)];
    case 'photo':
      return ['Photo on file'];
    case 'ssn':
    case 'driversLicence': {
      // The server says only whether one is on file (and the SSN's last four), never the number.
      const text = String(value);
      return [text.charAt(0).toUpperCase() + text.slice(1)];
    }
    default:
      if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
      if (typeof value === 'object') return [JSON.stringify(value)];
      if (typeof value === 'boolean') return [yesNo(value)];
      return [String(value)];
  }
}
