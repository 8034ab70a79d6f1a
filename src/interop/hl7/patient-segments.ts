import type { z } from 'zod';
import {
  Address, Coverage, Demographics, ETHNICITIES, MARITAL_STATUSES, OtherIdentifier, Phone, RACES, RelatedPerson, ssn as SsnSchema, type DemographicsInput,
} from '../../patients/index.js';
import { ERROR_CONDITIONS, Hl7MessageError, type Er7Reader, type ErrorLocation, type Segment } from './er7.js';
import { hl7Date, patientIdentifier, personName, providerOf, telecom } from './data-types.js';

/** A value the interface left out because it was not valid, named by field only (no PHI). */
export interface MappingWarning {
  location: string;
  text: string;
}

export interface PatientFromMessage {
  /** Our own MRNs named in PID-3 (assigning authority = our MRN system). */
  mrns: string[];
  demographics: Demographics;
  warnings: MappingWarning[];
}

const SEX: Record<string, Demographics['sex']> = { F: 'female', M: 'male', O: 'other', A: 'other', U: 'unknown', N: 'unknown', X: 'other' };
const ADDRESS_USE: Record<string, z.input<typeof Address>['use']> = { H: 'home', P: 'home', M: 'home', B: 'work', O: 'work', C: 'temp', BA: 'old', BI: 'billing' };
const PHONE_USE: Record<string, 'home' | 'mobile' | 'work' | 'temp'> = { PRN: 'home', ORN: 'home', VHN: 'home', WPN: 'work', EMR: 'temp' };
// HL7 table 0063 (relationship) onto ours.
const RELATIONSHIP: Record<string, z.input<typeof RelatedPerson>['relationship']> = {
  SPO: 'spouse', DOM: 'partner', PAR: 'parent', MTH: 'parent', FTH: 'parent', CHD: 'child', DAU: 'child', SON: 'child', NCH: 'child', SCH: 'child',
  SIB: 'sibling', BRO: 'sibling', SIS: 'sibling', GRD: 'guardian', GRP: 'grandparent', FND: 'friend', EMR: 'employer',
};
const SUBSCRIBER: Record<string, 'self' | 'spouse' | 'child' | 'other'> = { SEL: 'self', '01': 'spouse', SPO: 'spouse', '18': 'self', CHD: 'child', '19': 'child' };
const ETHNICITY_V2: Record<string, keyof typeof ETHNICITIES> = { H: '2135-2', N: '2186-5', U: 'UNK', '2135-2': '2135-2', '2186-5': '2186-5' };

/**
 * PID, PD1, NK1 and IN1 onto the patient's demographics. The required facts (name, birth date,
 * sex) must be valid or the message is refused naming the field; an optional value that is not
 * valid (a seven-digit phone, an SSN never issued) is left out with a warning, never guessed at.
 */
export function patientFromMessage(r: Er7Reader, ownMrnSystem: string): PatientFromMessage {
  const pid = r.first('PID');
  if (!pid) throw new Hl7MessageError(ERROR_CONDITIONS.segmentSequence, 'The message has no PID segment.', { segment: 'PID', sequence: 1 });
  const warnings: MappingWarning[] = [];
  const keep = <S extends z.ZodType>(schema: S, value: unknown, location: string): z.output<S> | undefined => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    warnings.push({ location, text: parsed.error.issues[0]?.message ?? 'Not valid.' });
    return undefined;
  };

  const names = r.repetitions(pid, 5).map((rep) => personName(r, rep));
  const legal = names.find((n) => n.type === 'L' && n.family && n.given) ?? names[0];
  if (!legal?.family) throw missing({ segment: 'PID', sequence: 1, field: 5, component: 1 }, 'PID-5.1 (family name) is required.');
  if (!legal.given) throw missing({ segment: 'PID', sequence: 1, field: 5, component: 2 }, 'PID-5.2 (given name) is required.');
  const birthRaw = r.value(pid, 7);
  if (!birthRaw) throw missing({ segment: 'PID', sequence: 1, field: 7 }, 'PID-7 (date of birth) is required.');
  const birthDate = hl7Date(birthRaw);
  if (!birthDate) throw new Hl7MessageError(ERROR_CONDITIONS.dataType, 'PID-7 (date of birth) is not a valid date.', { segment: 'PID', sequence: 1, field: 7 });
  const sexCode = r.value(pid, 8).toUpperCase();
  if (!sexCode) throw missing({ segment: 'PID', sequence: 1, field: 8 }, 'PID-8 (administrative sex) is required.');
  const sex = SEX[sexCode];
  if (!sex) throw new Hl7MessageError(ERROR_CONDITIONS.tableValueNotFound, 'PID-8 (administrative sex) is not a code of HL7 table 0001.', { segment: 'PID', sequence: 1, field: 8 });

  const mrns: string[] = [];
  const identifiers: z.output<typeof OtherIdentifier>[] = [];
  let ssnFromList: string | undefined;
  const sendingFacility = r.value(r.first('MSH'), 4);
  for (const [i, rep] of r.repetitions(pid, 3).entries()) {
    const id = patientIdentifier(r, rep, ownMrnSystem, sendingFacility);
    if (!id) { if (r.component(rep, 1)) warnings.push({ location: `PID-3(${i + 1})`, text: 'No assigning authority and no sending facility: left out.' }); continue; }
    if (id.kind === 'ssn') { ssnFromList = id.value; continue; }
    if (id.kind === 'mrn') { mrns.push(id.value); continue; }
    const kept = keep(OtherIdentifier, { system: id.system, value: id.value, type: id.type }, `PID-3(${i + 1})`);
    if (kept && !identifiers.some((x) => x.system === kept.system && x.value === kept.value)) identifiers.push(kept);
  }

  const addresses = r.repetitions(pid, 11).flatMap((rep, i) => {
    const a = keep(Address, {
      use: ADDRESS_USE[r.component(rep, 7).toUpperCase()] ?? 'home',
      line1: r.component(rep, 1), line2: r.component(rep, 2) || undefined, city: r.component(rep, 3),
      state: r.component(rep, 4) || undefined, postalCode: r.component(rep, 5) || undefined, country: countryCode(r.component(rep, 6)),
    }, `PID-11(${i + 1})`);
    return a ? [a] : [];
  });
  const phones: z.output<typeof Phone>[] = [];
  let email: string | undefined;
  const phoneField = (field: number, fallbackUse: 'home' | 'work') => r.repetitions(pid, field).forEach((rep, i) => {
    const t = telecom(r, rep);
    if (t.email) { email ??= t.email; return; }
    if (!t.number) return;
    const use = t.equipment === 'CP' ? 'mobile' : (PHONE_USE[t.use] ?? fallbackUse);
    const p = keep(Phone, { use, number: t.number }, `PID-${field}(${i + 1})`);
    if (p) phones.push(p);
  });
  phoneField(13, 'home');
  phoneField(14, 'work');

  const raceCodes = r.repetitions(pid, 10).map((rep) => r.component(rep, 1)).filter((c) => c in RACES) as (keyof typeof RACES)[];
  const maritalCode = r.value(pid, 16).toUpperCase();
  const ethnicity = ETHNICITY_V2[r.value(pid, 22)];
  const language = r.value(pid, 15);
  const ssnValue = r.value(pid, 19) || ssnFromList;
  const licence = r.value(pid, 20);
  const deathRaw = r.value(pid, 29);
  const pd1 = r.first('PD1');
  const pcp = providerOf(r, r.repetitions(pd1, 4)[0]);

  const input: DemographicsInput = {
    given: legal.given,
    middle: legal.middle || undefined,
    family: legal.family,
    suffix: legal.suffix || undefined,
    previousNames: names.filter((n) => n !== legal && n.type === 'M' && n.family).map((n) => ({ family: n.family, given: n.given || undefined })),
    birthDate,
    deathDate: deathRaw ? hl7Date(deathRaw) : undefined,
    sex,
    race: [...new Set(raceCodes)],
    ethnicity,
    language: language ? language.slice(0, 35) : undefined,
    addresses,
    phones: phones.slice(0, 10),
    email: email ? keep(Demographics.shape.email, email, 'PID-13') : undefined,
    ssn: ssnValue ? keep(SsnSchema, ssnValue, 'PID-19') : undefined,
    driversLicence: licence && r.component(r.repetitions(pid, 20)[0], 2) ? { number: licence, state: r.component(r.repetitions(pid, 20)[0], 2) } : undefined,
    maritalStatus: maritalCode in MARITAL_STATUSES ? (maritalCode as keyof typeof MARITAL_STATUSES) : undefined,
    contacts: relatedPersons(r, keep),
    coverages: coverages(r, keep),
    primaryCareProvider: pcp ? [pcp.given, pcp.family].filter(Boolean).join(' ') || pcp.code || undefined : undefined,
    identifiers: identifiers.slice(0, 20),
  };
  const parsed = Demographics.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Hl7MessageError(ERROR_CONDITIONS.dataType, `${fieldOfPath(issue.path)}: ${issue.message}`, locationOfPath(issue.path));
  }
  return { mrns, demographics: parsed.data, warnings };
}

type Keep = <S extends z.ZodType>(schema: S, value: unknown, location: string) => z.output<S> | undefined;

/** NK1: next of kin and emergency contacts (NK1-7 contact role C/EC marks an emergency contact). */
function relatedPersons(r: Er7Reader, keep: Keep): z.output<typeof RelatedPerson>[] {
  return r.all('NK1').flatMap((nk1: Segment, i) => {
    const name = personName(r, r.repetitions(nk1, 2)[0] ?? '');
    const fullName = [name.given, name.family].filter(Boolean).join(' ');
    if (!fullName) return [];
    const phone = r.repetitions(nk1, 5).map((rep) => telecom(r, rep).number).find(Boolean);
    const role = r.value(nk1, 7).toUpperCase();
    const person = keep(RelatedPerson, {
      name: fullName, relationship: RELATIONSHIP[r.value(nk1, 3).toUpperCase()] ?? 'other', phone,
      emergencyContact: role === 'C' || role === 'EC' || role === 'EMC',
    }, `NK1(${i + 1})`);
    // A contact whose phone is not valid is kept without it.
    const fallback = person ?? (phone ? keep(RelatedPerson, { name: fullName, relationship: RELATIONSHIP[r.value(nk1, 3).toUpperCase()] ?? 'other', emergencyContact: role === 'C' || role === 'EC' }, `NK1(${i + 1})`) : undefined);
    return fallback ? [fallback] : [];
  }).slice(0, 20);
}

/** IN1: the insurance plan (IN1-4 company, IN1-36 policy number, IN1-8 group, IN1-16/17 insured). */
function coverages(r: Er7Reader, keep: Keep): z.output<typeof Coverage>[] {
  return r.all('IN1').flatMap((in1, i) => {
    const payer = r.value(in1, 4) || r.value(in1, 2, 2) || r.value(in1, 2);
    const memberId = r.value(in1, 36) || r.value(in1, 49);
    if (!payer || !memberId) return [];
    const insured = personName(r, r.repetitions(in1, 16)[0] ?? '');
    const order = Number(r.value(in1, 1)) || i + 1;
    const c = keep(Coverage, {
      payer, memberId, groupNumber: r.value(in1, 8) || undefined,
      subscriberName: [insured.given, insured.family].filter(Boolean).join(' ') || undefined,
      subscriberRelationship: SUBSCRIBER[r.value(in1, 17).toUpperCase()] ?? 'other', order: Math.min(Math.max(order, 1), 9),
    }, `IN1(${i + 1})`);
    return c ? [c] : [];
  }).slice(0, 10);
}

function countryCode(c: string): string | undefined {
  if (!c) return undefined;
  const upper = c.toUpperCase();
  if (upper === 'USA' || upper === 'US') return 'US';
  return upper.length === 2 ? upper : undefined;
}

const missing = (location: ErrorLocation, text: string) => new Hl7MessageError(ERROR_CONDITIONS.requiredFieldMissing, text, location);

// Where each Demographics field comes from, for an ERR that names the field.
const FIELD_OF: Record<string, [string, number, number]> = {
  given: ['PID', 1, 5], middle: ['PID', 1, 5], family: ['PID', 1, 5], suffix: ['PID', 1, 5], previousNames: ['PID', 1, 5],
  birthDate: ['PID', 1, 7], sex: ['PID', 1, 8], race: ['PID', 1, 10], addresses: ['PID', 1, 11], phones: ['PID', 1, 13], email: ['PID', 1, 13],
  language: ['PID', 1, 15], maritalStatus: ['PID', 1, 16], ssn: ['PID', 1, 19], driversLicence: ['PID', 1, 20], ethnicity: ['PID', 1, 22],
  deathDate: ['PID', 1, 29], identifiers: ['PID', 1, 3], primaryCareProvider: ['PD1', 1, 4], contacts: ['NK1', 1, 2], coverages: ['IN1', 1, 4],
};

function locationOfPath(path: PropertyKey[]): ErrorLocation {
  const [segment, sequence, field] = FIELD_OF[String(path[0])] ?? ['PID', 1, 0];
  const repeated = segment === 'NK1' || segment === 'IN1' ? Number(path[1] ?? 0) + 1 : sequence;
  return { segment, sequence: repeated, field: field || undefined };
}

function fieldOfPath(path: PropertyKey[]): string {
  const loc = locationOfPath(path);
  return `${loc.segment}-${loc.field ?? ''} (${String(path[0])})`;
}
