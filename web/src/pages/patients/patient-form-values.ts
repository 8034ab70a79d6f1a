import { randomId } from '@mantine/hooks';
import type { Demographics, Patient, Sex } from '../../api/patients';

/**
 * The registration form's values: every field as the inputs hold it (text, '' for blank), list rows
 * with a `key` for React. `toDemographics` turns them into what the API takes, leaving out blank
 * rows, and remembers where each sent row came from so the server's `phones.0.number` lands beside
 * the right input.
 */

export interface AddressRow { key: string; use: string; line1: string; line2: string; city: string; state: string; postalCode: string; country: string; since: string; until: string }
export interface PhoneRow { key: string; use: string; number: string }
export interface PreviousNameRow { key: string; given: string; family: string; until: string }
export interface ContactRow { key: string; name: string; relationship: string; phone: string; email: string; emergencyContact: boolean }
export interface CoverageRow { key: string; payer: string; memberId: string; groupNumber: string; subscriberName: string; subscriberRelationship: string; order: string }
export interface IdentifierRow { key: string; system: string; value: string; type: string }

export interface PatientFormValues {
  given: string;
  middle: string;
  family: string;
  suffix: string;
  preferredName: string;
  previousNames: PreviousNameRow[];
  birthDate: string;
  deathDate: string;
  sex: string;
  genderIdentity: string;
  sexualOrientation: string;
  race: string[];
  ethnicity: string;
  tribalAffiliation: string;
  language: string;
  interpreterNeeded: boolean;
  addresses: AddressRow[];
  phones: PhoneRow[];
  email: string;
  ssn: string;
  driversLicence: { number: string; state: string };
  maritalStatus: string;
  occupation: string;
  industry: string;
  contacts: ContactRow[];
  guarantor: { name: string; relationship: string; phone: string };
  coverages: CoverageRow[];
  primaryCareProvider: string;
  communication: { phone: boolean; email: boolean; text: boolean };
  photo: string;
  flags: { vip: boolean; employee: boolean; restricted: boolean; doNotRelease: boolean };
  identifiers: IdentifierRow[];
}

export const LIST_FIELDS = ['previousNames', 'addresses', 'phones', 'contacts', 'coverages', 'identifiers'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export const newAddress = (): AddressRow => ({ key: randomId(), use: 'home', line1: '', line2: '', city: '', state: '', postalCode: '', country: 'US', since: '', until: '' });
export const newPhone = (): PhoneRow => ({ key: randomId(), use: 'mobile', number: '' });
export const newPreviousName = (): PreviousNameRow => ({ key: randomId(), given: '', family: '', until: '' });
export const newContact = (): ContactRow => ({ key: randomId(), name: '', relationship: 'spouse', phone: '', email: '', emergencyContact: true });
export const newCoverage = (order = 1): CoverageRow => ({ key: randomId(), payer: '', memberId: '', groupNumber: '', subscriberName: '', subscriberRelationship: 'self', order: String(order) });
export const newIdentifier = (): IdentifierRow => ({ key: randomId(), system: '', value: '', type: 'MR' });

export function emptyFormValues(): PatientFormValues {
  return {
    given: '', middle: '', family: '', suffix: '', preferredName: '', previousNames: [],
    birthDate: '', deathDate: '', sex: '', genderIdentity: '', sexualOrientation: '',
    race: [], ethnicity: '', tribalAffiliation: '', language: '', interpreterNeeded: false,
    addresses: [newAddress()], phones: [newPhone()], email: '', ssn: '', driversLicence: { number: '', state: '' },
    maritalStatus: '', occupation: '', industry: '', contacts: [], guarantor: { name: '', relationship: '', phone: '' },
    coverages: [], primaryCareProvider: '', communication: { phone: true, email: false, text: false }, photo: '',
    flags: { vip: false, employee: false, restricted: false, doNotRelease: false }, identifiers: [],
  };
}

const s = (value: string | null | undefined) => value ?? '';

/** The form filled from a record on file. The SSN and driver's licence stay blank: they are never sent back. */
export function formValuesOf(p: Patient): PatientFormValues {
  return {
    given: p.given, middle: s(p.middle), family: p.family, suffix: s(p.suffix), preferredName: s(p.preferredName),
    previousNames: p.previousNames.map((n) => ({ key: randomId(), given: s(n.given), family: n.family, until: s(n.until) })),
    birthDate: p.birthDate, deathDate: s(p.deathDate), sex: p.sex, genderIdentity: s(p.genderIdentity), sexualOrientation: s(p.sexualOrientation),
    race: [...p.race], ethnicity: s(p.ethnicity), tribalAffiliation: s(p.tribalAffiliation), language: s(p.language), interpreterNeeded: p.interpreterNeeded,
    addresses: p.addresses.map((a) => ({
      key: randomId(), use: a.use, line1: a.line1, line2: s(a.line2), city: a.city, state: s(a.state), postalCode: s(a.postalCode),
      country: s(a.country) || 'US', since: s(a.since), until: s(a.until),
    })),
    phones: p.phones.map((ph) => ({ key: randomId(), use: ph.use, number: ph.number })),
    email: s(p.email), ssn: '', driversLicence: { number: '', state: '' },
    maritalStatus: s(p.maritalStatus), occupation: s(p.occupation), industry: s(p.industry),
    contacts: p.contacts.map((c) => ({ key: randomId(), name: c.name, relationship: c.relationship, phone: s(c.phone), email: s(c.email), emergencyContact: c.emergencyContact })),
    guarantor: { name: s(p.guarantor?.name), relationship: s(p.guarantor?.relationship), phone: s(p.guarantor?.phone) },
    coverages: p.coverages.map((c) => ({
      key: randomId(), payer: c.payer, memberId: c.memberId, groupNumber: s(c.groupNumber), subscriberName: s(c.subscriberName),
      subscriberRelationship: c.subscriberRelationship, order: String(c.order),
    })),
    primaryCareProvider: s(p.primaryCareProvider), communication: { ...p.communication }, photo: s(p.photo), flags: { ...p.flags },
    identifiers: p.identifiers.map((i) => ({ key: randomId(), system: i.system, value: i.value, type: i.type })),
  };
}

/** For each list, the form row each sent row came from (blank rows are not sent). */
export type RowOrigins = Record<ListField, number[]>;

const opt = (value: string) => {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

/** True when every text of a row is blank (its selects and checkboxes keep their defaults). */
function isBlankRow(row: object, textFields: string[]): boolean {
  return textFields.every((f) => String((row as Record<string, unknown>)[f] ?? '').trim() === '');
}

function keepFilled<Row extends object>(rows: Row[], textFields: string[]): { rows: Row[]; origins: number[] } {
  const kept: Row[] = [];
  const origins: number[] = [];
  rows.forEach((row, index) => {
    if (isBlankRow(row, textFields)) return;
    kept.push(row);
    origins.push(index);
  });
  return { rows: kept, origins };
}

/** What the API takes, from the form; the SSN and driver's licence only when typed (on edit, blank keeps the one on file). */
export function toDemographics(v: PatientFormValues): { demographics: Demographics; origins: RowOrigins } {
  const previousNames = keepFilled(v.previousNames, ['given', 'family', 'until']);
  const addresses = keepFilled(v.addresses, ['line1', 'line2', 'city', 'state', 'postalCode', 'since', 'until']);
  const phones = keepFilled(v.phones, ['number']);
  const contacts = keepFilled(v.contacts, ['name', 'phone', 'email']);
  const coverages = keepFilled(v.coverages, ['payer', 'memberId', 'groupNumber', 'subscriberName']);
  const identifiers = keepFilled(v.identifiers, ['system', 'value']);
  const guarantorTyped = [v.guarantor.name, v.guarantor.phone].some((x) => x.trim() !== '');
  const licenceTyped = [v.driversLicence.number, v.driversLicence.state].some((x) => x.trim() !== '');

  const demographics: Demographics = {
    given: v.given.trim(),
    middle: opt(v.middle),
    family: v.family.trim(),
    suffix: opt(v.suffix),
    preferredName: opt(v.preferredName),
    previousNames: previousNames.rows.map((n) => ({ given: opt(n.given), family: n.family.trim(), until: opt(n.until) })),
    birthDate: v.birthDate,
    deathDate: opt(v.deathDate),
    sex: v.sex as Sex,
    genderIdentity: opt(v.genderIdentity),
    sexualOrientation: opt(v.sexualOrientation),
    race: v.race,
    ethnicity: opt(v.ethnicity),
    tribalAffiliation: opt(v.tribalAffiliation),
    language: opt(v.language),
    interpreterNeeded: v.interpreterNeeded,
    addresses: addresses.rows.map((a) => ({
      use: a.use as Demographics['addresses'][number]['use'], line1: a.line1.trim(), line2: opt(a.line2), city: a.city.trim(), state: opt(a.state),
      postalCode: opt(a.postalCode), country: opt(a.country), since: opt(a.since), until: opt(a.until),
    })),
    phones: phones.rows.map((p) => ({ use: p.use as Demographics['phones'][number]['use'], number: p.number.trim() })),
    email: opt(v.email),
    ssn: opt(v.ssn),
    driversLicence: licenceTyped ? { number: v.driversLicence.number.trim(), state: v.driversLicence.state.trim() } : undefined,
    maritalStatus: opt(v.maritalStatus),
    occupation: opt(v.occupation),
    industry: opt(v.industry),
    contacts: contacts.rows.map((c) => ({
      name: c.name.trim(), relationship: c.relationship as Demographics['contacts'][number]['relationship'], phone: opt(c.phone), email: opt(c.email), emergencyContact: c.emergencyContact,
    })),
    guarantor: guarantorTyped
      ? { name: v.guarantor.name.trim(), relationship: (v.guarantor.relationship || 'self') as NonNullable<Demographics['guarantor']>['relationship'], phone: opt(v.guarantor.phone) }
      : undefined,
    coverages: coverages.rows.map((c) => ({
      payer: c.payer.trim(), memberId: c.memberId.trim(), groupNumber: opt(c.groupNumber), subscriberName: opt(c.subscriberName),
      subscriberRelationship: c.subscriberRelationship as Demographics['coverages'][number]['subscriberRelationship'], order: Number(c.order) || 1,
    })),
    primaryCareProvider: opt(v.primaryCareProvider),
    communication: v.communication,
    photo: opt(v.photo),
    flags: v.flags,
    identifiers: identifiers.rows.map((i) => ({ system: i.system.trim(), value: i.value.trim(), type: i.type as Demographics['identifiers'][number]['type'] })),
  };
  return {
    demographics,
    origins: {
      previousNames: previousNames.origins, addresses: addresses.origins, phones: phones.origins,
      contacts: contacts.origins, coverages: coverages.origins, identifiers: identifiers.origins,
    },
  };
}

/**
 * The form path of a field the server named. The edit endpoint nests the record (`patient.phones.0.number`);
 * list indexes count only the rows sent, so they are turned back into form rows.
 */
export function formPathOf(serverField: string, origins: RowOrigins): string {
  const parts = serverField.split('.').filter(Boolean);
  if (parts[0] === 'body') parts.shift();
  if (parts[0] === 'patient') parts.shift();
  const [list, index] = parts;
  if ((LIST_FIELDS as readonly string[]).includes(list) && index !== undefined && /^\d+$/.test(index)) {
    const row = origins[list as ListField][Number(index)];
    if (row !== undefined) parts[1] = String(row);
  }
  return parts.join('.');
}

const LIST_ROW_LABELS: Record<ListField, string> = {
  previousNames: 'Previous name', addresses: 'Address', phones: 'Phone', contacts: 'Related person', coverages: 'Coverage', identifiers: 'Other identifier',
};

const INPUT_LABELS: Record<string, string> = {
  given: 'Given name', middle: 'Middle name', family: 'Family name', suffix: 'Suffix', preferredName: 'Preferred name',
  birthDate: 'Birth date', deathDate: 'Date of death', sex: 'Sex', genderIdentity: 'Gender identity', sexualOrientation: 'Sexual orientation',
  race: 'Race', ethnicity: 'Ethnicity', tribalAffiliation: 'Tribal affiliation', language: 'Preferred language', email: 'E-mail', ssn: 'SSN',
  maritalStatus: 'Marital status', occupation: 'Occupation', industry: 'Industry', primaryCareProvider: 'Primary care provider', photo: 'Photo',
  line1: 'Street', line2: 'Street, second line', city: 'City', state: 'State', postalCode: 'ZIP or postal code', country: 'Country',
  since: 'Since', until: 'Until', number: 'Number', use: 'Use', name: 'Name', relationship: 'Relationship', phone: 'Phone',
  payer: 'Payer', memberId: 'Member ID', groupNumber: 'Group number', subscriberName: 'Subscriber name', subscriberRelationship: 'Subscriber is',
  order: 'Order', system: 'Assigning authority', value: 'Identifier', type: 'Type', driversLicence: "Driver's licence", guarantor: 'Guarantor',
};

/** A form path in words for the list of problems: `phones.0.number` -> "Phone 1, Number". */
export function describeFormPath(path: string): string {
  const parts = path.split('.');
  const [first, second, third] = parts;
  if ((LIST_FIELDS as readonly string[]).includes(first) && second !== undefined && /^\d+$/.test(second)) {
    const row = `${LIST_ROW_LABELS[first as ListField]} ${Number(second) + 1}`;
    return third ? `${row}, ${INPUT_LABELS[third] ?? third}` : row;
  }
  if (first === 'driversLicence' || first === 'guarantor') return second ? `${INPUT_LABELS[first]}, ${INPUT_LABELS[second] ?? second}` : INPUT_LABELS[first];
  return INPUT_LABELS[first] ?? path;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the live duplicate check sends: the record as typed so far, once given name, family name and
 * birth date are there, with only the parts that would pass the server's checks (a half-typed phone
 * must not turn the look-up into an error). Null when there is not enough to look for.
 */
export function matchQueryOf(v: PatientFormValues): Demographics | null {
  if (!v.given.trim() || !v.family.trim() || !ISO_DAY.test(v.birthDate)) return null;
  const { demographics } = toDemographics(v);
  const phoneOk = (n: string) => /^[+()\d\s.-]+$/.test(n) && (n.startsWith('+') ? n.replace(/\D/g, '').length >= 8 : [10, 11].includes(n.replace(/\D/g, '').length));
  const address = demographics.addresses.find((a) => a.line1 && a.city && (a.country && a.country.toUpperCase() !== 'US' ? true : /^\d{5}(-\d{4})?$/.test(a.postalCode ?? '')));
  return {
    given: demographics.given,
    middle: demographics.middle,
    family: demographics.family,
    suffix: demographics.suffix,
    previousNames: demographics.previousNames.filter((n) => n.family && (!n.until || ISO_DAY.test(n.until))),
    birthDate: demographics.birthDate,
    sex: (['female', 'male', 'other', 'unknown'].includes(v.sex) ? v.sex : 'unknown') as Sex,
    race: [],
    interpreterNeeded: false,
    addresses: address ? [{ ...address, since: undefined, until: undefined }] : [],
    phones: demographics.phones.filter((p) => phoneOk(p.number)),
    email: demographics.email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(demographics.email) ? demographics.email : undefined,
    ssn: demographics.ssn && /^\d{3}-?\d{2}-?\d{4}$/.test(demographics.ssn) ? demographics.ssn : undefined,
    contacts: [],
    coverages: [],
    communication: { phone: true, email: false, text: false },
    flags: { vip: false, employee: false, restricted: false, doNotRelease: false },
    identifiers: [],
  };
}
