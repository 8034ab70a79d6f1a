import { ETHNICITIES, RACES, ssn as ssnSchema, type DemographicsInput } from '../../patients/index.js';
import { fhirPathOf, type FhirExtension, type FhirHumanName, type FhirPatientShape } from './patient-shape.js';
import { CONTACT_ROLE, countryCodeOf, EXTENSION, KEPT_IDENTIFIER_TYPES, licenceStateOf, relationshipOfRoleCode, SYSTEM, UNKNOWN_COUNTRY } from './terminology.js';

/**
 * How each element of an incoming FHIR Patient is read into a registration draft: names, telecom,
 * addresses, identifiers, contacts and extensions. Each reader notes where every part came from, so a
 * value our rules refuse is named by its FHIR element.
 */

/** One problem with an incoming resource: where (FHIRPath) and what. Never holds the patient's data. */
export interface MappingIssue {
  expression: string;
  diagnostics: string;
}

export interface FromFhirOptions {
  /** Our own MRN system: identifiers in it are assigned by Chartroom, so an incoming one is not kept as another identifier. */
  mrnSystem?: string;
}

/** The demographics being assembled, its lists always present. */
export type Draft = DemographicsInput & { previousNames: NonNullable<DemographicsInput['previousNames']>; phones: NonNullable<DemographicsInput['phones']>; addresses: NonNullable<DemographicsInput['addresses']>; contacts: NonNullable<DemographicsInput['contacts']>; identifiers: NonNullable<DemographicsInput['identifiers']>; race: NonNullable<DemographicsInput['race']> };
export type Warn = (expression: string, diagnostics: string) => void;
/** Demographics path (`phones.0`) -> the FHIR element it came from (`Patient.telecom[2]`). */
export type Origins = Map<string, string>;

function nameParts(n: FhirHumanName): { family?: string; given: string[]; fromText: boolean } {
  const family = n.family?.trim() || undefined;
  const given = (n.given ?? []).map((g) => g.trim()).filter(Boolean);
  if ((family && given.length) || !n.text?.trim()) return { family, given, fromText: false };
  const t = n.text.trim();
  if (t.includes(',')) {
    const [f, g] = t.split(',', 2).map((s) => s.trim());
    return { family: family ?? f, given: given.length ? given : g.split(/\s+/).filter(Boolean), fromText: true };
  }
  const words = t.split(/\s+/);
  if (words.length >= 2) return { family: family ?? words.at(-1), given: given.length ? given : words.slice(0, -1), fromText: true };
  // Chinese, Japanese and Korean names are written family name first, often without a space.
  const chars = [...t];
  if (chars.length >= 2 && /^[\p{Script=Han}\p{Script=Hangul}]+$/u.test(t)) return { family: family ?? chars[0], given: given.length ? given : [chars.slice(1).join('')], fromText: true };
  return { family, given, fromText: false };
}

export function readNames(names: FhirHumanName[], d: Draft, origin: Origins, issues: MappingIssue[], warn: Warn) {
  const current = (n: FhirHumanName) => n.use !== 'old' && n.use !== 'maiden' && !n.period?.end;
  let legal = names.findIndex((n) => n.use === 'official' && current(n));
  if (legal < 0) legal = names.findIndex((n) => (n.use === undefined || n.use === 'usual') && current(n) && nameParts(n).family);
  if (legal < 0) legal = names.findIndex((n) => current(n) && nameParts(n).family);
  if (legal < 0) {
    issues.push({ expression: 'Patient.name', diagnostics: "Chartroom needs the patient's current family and given names." });
    return;
  }
  const at = `Patient.name[${legal}]`;
  const parts = nameParts(names[legal]);
  if (!parts.family) issues.push({ expression: `${at}.family`, diagnostics: 'Chartroom needs a family name.' });
  if (!parts.given.length) issues.push({ expression: `${at}.given`, diagnostics: 'Chartroom needs a given name.' });
  if (parts.fromText) warn(`${at}.text`, 'The name was split from its text into family and given names; check them.');
  d.family = parts.family ?? '';
  d.given = parts.given[0] ?? '';
  if (parts.given.length > 1) d.middle = parts.given.slice(1).join(' ');
  if (names[legal].suffix?.length) d.suffix = names[legal].suffix!.join(' ');
  origin.set('family', `${at}.family`).set('given', `${at}.given[0]`).set('middle', `${at}.given[1]`).set('suffix', `${at}.suffix`);

  names.forEach((n, i) => {
    if (i === legal) return;
    const other = nameParts(n);
    if (!current(n) && other.family) {
      origin.set(`previousNames.${d.previousNames.length}`, `Patient.name[${i}]`);
      const until = n.period?.end && n.period.end.length >= 10 ? n.period.end.slice(0, 10) : undefined;
      d.previousNames.push({ family: other.family, given: other.given.join(' ') || undefined, until });
    } else if ((n.use === 'usual' || n.use === 'nickname') && other.given.length && (!other.family || other.family === d.family)) {
      if (other.given[0] !== d.given && !d.preferredName) {
        d.preferredName = other.given[0];
        origin.set('preferredName', `Patient.name[${i}].given[0]`);
      }
    } else {
      warn(`Patient.name[${i}]`, 'Chartroom keeps the legal name, previous names and a preferred given name; this name was left out.');
    }
  });
}

export function readTelecom(telecom: NonNullable<FhirPatientShape['telecom']>, d: Draft, origin: Origins, warn: Warn) {
  telecom.forEach((t, i) => {
    const at = `Patient.telecom[${i}]`;
    const value = t.value?.trim();
    if (!value) return warn(at, 'A contact point without a value was left out.');
    const system = t.system ?? (value.includes('@') ? 'email' : 'phone');
    if (t.use === 'old' || t.period?.end) return warn(at, 'A former phone number or address is not kept.');
    if (system === 'email') {
      if (d.email) return warn(at, 'Chartroom keeps one e-mail address; this one was left out.');
      d.email = value;
      origin.set('email', `${at}.value`);
    } else if (system === 'phone' || system === 'sms') {
      origin.set(`phones.${d.phones.length}`, at);
      d.phones.push({ use: system === 'sms' ? 'mobile' : (t.use ?? 'home'), number: value });
    } else {
      warn(at, `A ${system} contact point is not kept.`);
    }
  });
}

const US_ZIP = /^\d{5}(-\d{4})?$/;

export function readAddresses(addresses: NonNullable<FhirPatientShape['address']>, d: Draft, origin: Origins, warn: Warn) {
  addresses.forEach((a, i) => {
    const at = `Patient.address[${i}]`;
    const lines = (a.line ?? []).map((l) => l.trim()).filter(Boolean);
    if (!lines.length || !a.city?.trim()) return warn(at, 'An address without a street line and a city was left out.');
    let country: string | undefined;
    if (a.country?.trim()) {
      country = countryCodeOf(a.country);
      if (!country) {
        country = UNKNOWN_COUNTRY;
        warn(`${at}.country`, 'The country was not recognised; the address is kept with its country unknown.');
      }
    } else if (a.postalCode && US_ZIP.test(a.postalCode.trim())) {
      country = 'US';
    } else {
      country = UNKNOWN_COUNTRY;
      warn(`${at}.country`, 'No country was given and the postal code is not a US ZIP code; the address is kept with its country unknown.');
    }
    const date = (v?: string) => (v && v.length >= 10 ? v.slice(0, 10) : undefined);
    origin.set(`addresses.${d.addresses.length}`, at);
    d.addresses.push({
      use: a.use ?? (a.period?.end ? 'old' : 'home'),
      line1: lines[0],
      line2: lines.slice(1).join(', ') || undefined,
      city: a.city.trim(),
      state: a.state?.trim() || undefined,
      postalCode: a.postalCode?.trim() || undefined,
      country,
      since: date(a.period?.start),
      until: date(a.period?.end),
    });
  });
}

const typeCodeOf = (i: NonNullable<FhirPatientShape['identifier']>[number]) =>
  (i.type?.coding ?? []).find((c) => c.system === SYSTEM.identifierType && c.code)?.code ?? (i.type?.coding ?? []).find((c) => c.code)?.code;

export function readIdentifiers(identifiers: NonNullable<FhirPatientShape['identifier']>, d: Draft, origin: Origins, warn: Warn, options: FromFhirOptions) {
  const seen = new Set<string>();
  identifiers.forEach((i, k) => {
    const at = `Patient.identifier[${k}]`;
    const value = i.value?.trim();
    if (!value) return warn(at, 'An identifier without a value was left out.');
    const type = typeCodeOf(i);
    if (i.system === SYSTEM.ssn || type === 'SS' || type === 'SSN') {
      if (d.ssn) return warn(at, 'Only one SSN is kept.');
      const checked = ssnSchema.safeParse(value);
      if (!checked.success) return warn(at, 'This is not an SSN that is ever issued; it was left out.');
      d.ssn = value;
      origin.set('ssn', `${at}.value`);
      return;
    }
    if (type === 'DL') {
      if (d.driversLicence) return warn(at, "Only one driver's licence is kept.");
      const state = licenceStateOf(i.system) ?? (i.assigner?.display && i.assigner.display.length <= 20 ? i.assigner.display : 'unknown');
      d.driversLicence = { number: value, state };
      origin.set('driversLicence', at);
      return;
    }
    if (options.mrnSystem && i.system === options.mrnSystem) return; // Our own MRN (or an alias): Chartroom assigns these.
    if (!i.system?.trim()) return warn(at, 'An identifier without a system (its assigning authority) was left out.');
    const key = `${i.system}|${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    origin.set(`identifiers.${d.identifiers.length}`, at);
    d.identifiers.push({
      system: i.system,
      value,
      type: (KEPT_IDENTIFIER_TYPES as readonly string[]).includes(type ?? '') ? (type as (typeof KEPT_IDENTIFIER_TYPES)[number]) : 'PI',
    });
  });
}

function contactNameOf(n: FhirHumanName | undefined): string | undefined {
  if (!n) return undefined;
  if (n.text?.trim()) return n.text.trim();
  const joined = [...(n.given ?? []), n.family ?? ''].map((s) => s.trim()).filter(Boolean).join(' ');
  return joined || undefined;
}

export function readContacts(contacts: NonNullable<FhirPatientShape['contact']>, d: Draft, origin: Origins, warn: Warn) {
  contacts.forEach((c, i) => {
    const at = `Patient.contact[${i}]`;
    const name = contactNameOf(c.name) ?? c.organization?.display?.trim();
    if (!name) return warn(at, 'A contact without a name was left out.');
    const codings = (c.relationship ?? []).flatMap((r) => r.coding ?? []);
    const role = codings.map((x) => (x.system === SYSTEM.roleCode && x.code ? relationshipOfRoleCode(x.code) : undefined)).find(Boolean);
    const v2 = new Set(codings.filter((x) => x.system === SYSTEM.contactRole).map((x) => x.code));
    const telecom = c.telecom ?? [];
    const phone = telecom.findIndex((t) => (t.system ?? 'phone') === 'phone' && t.value?.trim() && !t.value.includes('@'));
    const email = telecom.findIndex((t) => t.system === 'email' && t.value?.trim());
    origin.set(`contacts.${d.contacts.length}`, at);
    if (phone >= 0) origin.set(`contacts.${d.contacts.length}.phone`, `${at}.telecom[${phone}].value`);
    if (email >= 0) origin.set(`contacts.${d.contacts.length}.email`, `${at}.telecom[${email}].value`);
    d.contacts.push({
      name,
      relationship: role ?? (v2.has(CONTACT_ROLE.employer) ? 'employer' : 'other'),
      phone: phone >= 0 ? telecom[phone].value!.trim() : undefined,
      email: email >= 0 ? telecom[email].value!.trim() : undefined,
      emergencyContact: v2.has(CONTACT_ROLE.emergencyContact) || codings.some((x) => x.system === SYSTEM.roleCode && x.code === 'ECON'),
    });
  });
}

const codingsIn = (e: FhirExtension, part: string) => (e.extension ?? []).filter((x) => x.url === part).map((x) => x.valueCoding?.code).filter((c): c is string => !!c);
const conceptText = (e: FhirExtension) => e.valueCodeableConcept?.text ?? e.valueCodeableConcept?.coding?.find((c) => c.display)?.display ?? e.valueCodeableConcept?.coding?.find((c) => c.code)?.code ?? e.valueString;

export function readExtensions(extensions: FhirExtension[], d: Draft, origin: Origins, warn: Warn) {
  extensions.forEach((e, i) => {
    const at = `Patient.extension[${i}]`;
    switch (e.url) {
      case EXTENSION.race: {
        const codes = codingsIn(e, 'ombCategory');
        d.race = [...new Set(codes.filter((c) => c in RACES))] as Draft['race'];
        if (codes.length > d.race.length) warn(at, 'A race code outside the OMB categories was left out.');
        if (codingsIn(e, 'detailed').length) warn(at, 'Detailed race codes are not kept; the OMB categories are.');
        origin.set('race', at);
        return;
      }
      case EXTENSION.ethnicity: {
        const code = codingsIn(e, 'ombCategory').find((c) => c in ETHNICITIES);
        if (code) d.ethnicity = code as keyof typeof ETHNICITIES;
        if (codingsIn(e, 'detailed').length) warn(at, 'Detailed ethnicity codes are not kept; the OMB category is.');
        origin.set('ethnicity', at);
        return;
      }
      case EXTENSION.genderIdentity:
      case EXTENSION.usCoreGenderIdentity: {
        const identity = conceptText(e);
        if (identity) d.genderIdentity = identity;
        origin.set('genderIdentity', at);
        return;
      }
      case EXTENSION.tribalAffiliation: {
        const tribe = (e.extension ?? []).map((x) => (x.url === 'tribalAffiliation' ? conceptText(x) : undefined)).find(Boolean);
        if (tribe) d.tribalAffiliation = tribe;
        origin.set('tribalAffiliation', at);
        return;
      }
      case EXTENSION.interpreterRequired:
        d.interpreterNeeded = e.valueBoolean === true;
        return;
      case EXTENSION.birthSex:
        return warn(at, 'Birth sex is not kept apart from the administrative sex (Patient.gender).');
      default:
        return warn(at, `The extension ${e.url} is not kept.`);
    }
  });
}

// The FHIR element each field of a demographics part came from, where the names differ.
const FIELD_PATHS: Record<string, Record<string, string>> = {
  phones: { number: 'value', use: 'use' },
  addresses: { line1: 'line[0]', line2: 'line[1]', since: 'period.start', until: 'period.end' },
  previousNames: { given: 'given', family: 'family', until: 'period.end' },
  contacts: { name: 'name', relationship: 'relationship' },
  identifiers: { value: 'value', system: 'system', type: 'type' },
  driversLicence: { number: 'value', state: 'system' },
};

/** The FHIRPath of the element a demographics field came from (Demographics' zod path in, FHIRPath out). */
export function expressionOf(path: readonly PropertyKey[], origin: Origins): string {
  const parts = path.map(String);
  for (let n = parts.length; n > 0; n--) {
    const base = origin.get(parts.slice(0, n).join('.'));
    if (!base) continue;
    const rest = parts.slice(n);
    if (!rest.length) return base;
    const mapped = FIELD_PATHS[parts[0]]?.[rest[0]] ?? rest[0];
    return [base, mapped, ...rest.slice(1)].join('.');
  }
  return fhirPathOf(path);
}
