import type * as fhir4 from 'fhir/r4.js';
import { Demographics, ETHNICITIES, MARITAL_STATUSES, RACES } from '../../patients/index.js';
import type { PatientView } from '../../patients/index.js';
import { fhirPathOf, FhirPatientShape } from './patient-shape.js';
import {
  expressionOf, readAddresses, readContacts, readExtensions, readIdentifiers, readNames, readTelecom,
  type Draft, type FromFhirOptions, type MappingIssue,
} from './patient-elements.js';
import { CONTACT_ROLE, EXTENSION, RELATIONSHIP_ROLE_CODES, SYSTEM, UNKNOWN_COUNTRY, US_CORE_PATIENT_PROFILE } from './terminology.js';

/**
 * FHIR R4 Patient (US Core) <-> Chartroom demographics, written once for the FHIR facade and the
 * patient import. What FHIR can say but Chartroom does not keep is reported as a warning, never
 * dropped in silence; what Chartroom needs and the resource lacks is an issue that refuses it.
 */

export type { FromFhirOptions, MappingIssue } from './patient-elements.js';

export type DemographicsFromFhir =
  | { ok: true; demographics: Demographics; warnings: MappingIssue[] }
  | { ok: false; issues: MappingIssue[] };

/** Reads a FHIR Patient into the demographics registration takes, or says every reason it cannot. */
export function demographicsFromFhir(resource: unknown, options: FromFhirOptions = {}): DemographicsFromFhir {
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    return { ok: false, issues: [{ expression: 'Patient', diagnostics: 'Send a FHIR Patient resource (a JSON object).' }] };
  }
  const shape = FhirPatientShape.safeParse(resource);
  if (!shape.success) {
    return {
      ok: false,
      issues: shape.error.issues.map((i) => ({
        expression: i.path.length === 1 && i.path[0] === 'resourceType' ? 'resourceType' : fhirPathOf(i.path),
        diagnostics: i.message,
      })),
    };
  }
  const p = shape.data;
  const issues: MappingIssue[] = [];
  const warnings: MappingIssue[] = [];
  const warn = (expression: string, diagnostics: string) => warnings.push({ expression, diagnostics });
  /** Where each part of the draft came from, to name the FHIR element when our schema refuses it. */
  const origin = new Map<string, string>();

  const animal = (p.extension ?? []).findIndex((e) => e.url === EXTENSION.animal);
  if (animal >= 0) {
    return { ok: false, issues: [{ expression: `Patient.extension[${animal}]`, diagnostics: 'This Patient is an animal. Chartroom keeps records of people only.' }] };
  }
  (p.modifierExtension ?? []).forEach((e, i) =>
    issues.push({ expression: `Patient.modifierExtension[${i}]`, diagnostics: `Chartroom does not understand the modifier extension ${e.url}, so it cannot take this resource safely.` }),
  );

  const draft: Draft = { given: '', family: '', birthDate: '', sex: 'unknown', previousNames: [], phones: [], addresses: [], contacts: [], identifiers: [], race: [] };

  readNames(p.name ?? [], draft, origin, issues, warn);

  if (!p.birthDate) issues.push({ expression: 'Patient.birthDate', diagnostics: 'Chartroom needs the date of birth to register a patient.' });
  else if (p.birthDate.length !== 10) issues.push({ expression: 'Patient.birthDate', diagnostics: 'Chartroom needs the full date of birth (YYYY-MM-DD).' });
  else draft.birthDate = p.birthDate;
  origin.set('birthDate', 'Patient.birthDate');

  if (p.gender) draft.sex = p.gender;
  else warn('Patient.gender', 'No gender was given; the record says unknown.');
  origin.set('sex', 'Patient.gender');

  if (p.deceasedDateTime) {
    if (p.deceasedDateTime.length >= 10) draft.deathDate = p.deceasedDateTime.slice(0, 10);
    else warn('Patient.deceasedDateTime', 'Only a full date of death is kept; this partial date was left out.');
    origin.set('deathDate', 'Patient.deceasedDateTime');
  } else if (p.deceasedBoolean) {
    warn('Patient.deceasedBoolean', 'Chartroom records a death with its date; without one the record does not show the patient as deceased.');
  }
  if (p.active === false) warn('Patient.active', 'A new or changed record is always active in Chartroom.');

  readTelecom(p.telecom ?? [], draft, origin, warn);
  readAddresses(p.address ?? [], draft, origin, warn);
  readIdentifiers(p.identifier ?? [], draft, origin, warn, options);
  readContacts(p.contact ?? [], draft, origin, warn);
  readExtensions(p.extension ?? [], draft, origin, warn);

  if (p.maritalStatus) {
    const code = (p.maritalStatus.coding ?? []).find((c) => (c.system === SYSTEM.maritalStatus || c.system === SYSTEM.nullFlavor) && c.code && c.code in MARITAL_STATUSES)?.code;
    if (code) draft.maritalStatus = code as keyof typeof MARITAL_STATUSES;
    else warn('Patient.maritalStatus', 'The marital status has no HL7 v3 MaritalStatus code; it was left out.');
  }

  const communications = p.communication ?? [];
  const spoken = communications.findIndex((c) => c.preferred) >= 0 ? communications.findIndex((c) => c.preferred) : communications.length ? 0 : -1;
  if (spoken >= 0) {
    const language = communications[spoken].language;
    const code = (language.coding ?? []).find((c) => c.system === SYSTEM.language && c.code)?.code ?? (language.coding ?? []).find((c) => c.code)?.code;
    if (code) draft.language = code;
    else warn(`Patient.communication[${spoken}].language`, 'The language has no BCP 47 code; it was left out.');
    origin.set('language', `Patient.communication[${spoken}].language`);
  }

  const photo = (p.photo ?? []).findIndex((a) => (a.contentType === 'image/png' || a.contentType === 'image/jpeg') && a.data);
  if (photo >= 0) {
    draft.photo = `data:${p.photo![photo].contentType};base64,${p.photo![photo].data!.replace(/\s+/g, '')}`;
    origin.set('photo', `Patient.photo[${photo}]`);
  }
  if ((p.photo ?? []).length > (photo >= 0 ? 1 : 0)) warn('Patient.photo', 'Only one PNG or JPEG photo sent as data is kept.');

  const practitioner = (p.generalPractitioner ?? []).find((r) => r.display)?.display;
  if (practitioner) draft.primaryCareProvider = practitioner;

  if ((p.meta?.security ?? []).some((c) => c.system === SYSTEM.confidentiality && (c.code === 'R' || c.code === 'V'))) {
    draft.flags = { restricted: true };
  }
  if (p.link?.length) warn('Patient.link', 'Links to other records are not taken from a client; merges are made in Chartroom.');

  if (issues.length) return { ok: false, issues };
  const parsed = Demographics.safeParse(draft);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ expression: expressionOf(i.path, origin), diagnostics: i.message })) };
  }
  return { ok: true, demographics: parsed.data, warnings };
}

export interface ToFhirOptions {
  /** The assigning authority of our MRNs (config.mrnSystem). */
  mrnSystem: string;
}

const identifierType = (code: string, display?: string): fhir4.CodeableConcept => ({ coding: [{ system: SYSTEM.identifierType, code, ...(display ? { display } : {}) }] });

/** A patient's record as a US Core Patient. The SSN and driver's licence are never sent. */
export function patientToFhir(view: PatientView, options: ToFhirOptions): fhir4.Patient {
  const patient: fhir4.Patient = {
    resourceType: 'Patient',
    id: view.id,
    meta: {
      versionId: String(view.version),
      lastUpdated: view.updatedAt,
      profile: [US_CORE_PATIENT_PROFILE],
      ...(view.flags.restricted ? { security: [{ system: SYSTEM.confidentiality, code: 'R', display: 'restricted' }] } : {}),
    },
  };
  const extension = extensionsOf(view);
  if (extension.length) patient.extension = extension;
  patient.identifier = [
    { use: 'usual', type: identifierType('MR', 'Medical record number'), system: options.mrnSystem, value: view.mrn },
    ...view.aliasMrns.map((mrn): fhir4.Identifier => ({ use: 'old', type: identifierType('MR', 'Medical record number'), system: options.mrnSystem, value: mrn })),
    ...view.identifiers.map((i): fhir4.Identifier => ({ type: identifierType(i.type), system: i.system, value: i.value })),
  ];
  patient.active = view.status === 'active';
  patient.name = [
    { use: 'official', family: view.family, given: [view.given, ...(view.middle ? [view.middle] : [])], ...(view.suffix ? { suffix: [view.suffix] } : {}) },
    ...(view.preferredName ? [{ use: 'usual' as const, given: [view.preferredName], family: view.family }] : []),
    ...view.previousNames.map((n): fhir4.HumanName => ({
      use: 'old', family: n.family, ...(n.given ? { given: n.given.split(/\s+/) } : {}), ...(n.until ? { period: { end: n.until } } : {}),
    })),
  ];
  const telecom: fhir4.ContactPoint[] = view.phones.map((p) => ({ system: 'phone', value: p.number, use: p.use }));
  if (view.email) telecom.push({ system: 'email', value: view.email });
  if (telecom.length) patient.telecom = telecom;
  patient.gender = view.sex;
  patient.birthDate = view.birthDate;
  if (view.deathDate) patient.deceasedDateTime = view.deathDate;
  if (view.addresses.length) {
    patient.address = view.addresses.map((a) => ({
      use: a.use,
      line: [a.line1, ...(a.line2 ? [a.line2] : [])],
      city: a.city,
      ...(a.state ? { state: a.state } : {}),
      ...(a.postalCode ? { postalCode: a.postalCode } : {}),
      ...(a.country && a.country !== UNKNOWN_COUNTRY ? { country: a.country } : {}),
      ...(a.since || a.until ? { period: { ...(a.since ? { start: a.since } : {}), ...(a.until ? { end: a.until } : {}) } } : {}),
    }));
  }
  if (view.maritalStatus) {
    const system = view.maritalStatus === 'UNK' ? SYSTEM.nullFlavor : SYSTEM.maritalStatus;
    const display = MARITAL_STATUSES[view.maritalStatus];
    patient.maritalStatus = { coding: [{ system, code: view.maritalStatus, display }], text: display };
  }
  if (view.photo) {
    const m = /^data:(image\/(?:png|jpeg));base64,(.*)$/.exec(view.photo);
    if (m) patient.photo = [{ contentType: m[1], data: m[2] }];
  }
  if (view.contacts.length) {
    patient.contact = view.contacts.map((c) => {
      const relationship: fhir4.CodeableConcept[] = [];
      if (c.relationship in RELATIONSHIP_ROLE_CODES) {
        const role = RELATIONSHIP_ROLE_CODES[c.relationship as keyof typeof RELATIONSHIP_ROLE_CODES];
        relationship.push({ coding: [{ system: SYSTEM.roleCode, code: role.code, display: role.display }] });
      } else if (c.relationship === 'employer') {
        relationship.push({ coding: [{ system: SYSTEM.contactRole, code: CONTACT_ROLE.employer, display: 'Employer' }] });
      } else {
        relationship.push({ text: c.relationship });
      }
      if (c.emergencyContact) relationship.push({ coding: [{ system: SYSTEM.contactRole, code: CONTACT_ROLE.emergencyContact, display: 'Emergency Contact' }] });
      const contactTelecom: fhir4.ContactPoint[] = [];
      if (c.phone) contactTelecom.push({ system: 'phone', value: c.phone });
      if (c.email) contactTelecom.push({ system: 'email', value: c.email });
      return { relationship, name: { text: c.name }, ...(contactTelecom.length ? { telecom: contactTelecom } : {}) };
    });
  }
  if (view.language) {
    patient.communication = [{ language: { coding: [{ system: SYSTEM.language, code: view.language }], text: view.language }, preferred: true }];
  }
  if (view.primaryCareProvider) patient.generalPractitioner = [{ display: view.primaryCareProvider }];
  if (view.mergedInto) patient.link = [{ other: { reference: `Patient/${view.mergedInto}` }, type: 'replaced-by' }];
  return patient;
}

function ombExtension(url: string, codes: string[], names: Record<string, string>): fhir4.Extension {
  return {
    url,
    extension: [
      ...codes.map((code) => ({
        url: 'ombCategory',
        valueCoding: { system: code === 'ASKU' || code === 'UNK' ? SYSTEM.nullFlavor : SYSTEM.raceAndEthnicity, code, display: names[code] },
      })),
      { url: 'text', valueString: codes.map((c) => names[c]).join(', ') },
    ],
  };
}

function extensionsOf(view: PatientView): fhir4.Extension[] {
  const out: fhir4.Extension[] = [];
  if (view.race.length) out.push(ombExtension(EXTENSION.race, view.race, RACES));
  if (view.ethnicity) out.push(ombExtension(EXTENSION.ethnicity, [view.ethnicity], ETHNICITIES));
  if (view.tribalAffiliation) out.push({ url: EXTENSION.tribalAffiliation, extension: [{ url: 'tribalAffiliation', valueCodeableConcept: { text: view.tribalAffiliation } }] });
  if (view.genderIdentity) out.push({ url: EXTENSION.genderIdentity, valueCodeableConcept: { text: view.genderIdentity } });
  if (view.interpreterNeeded) out.push({ url: EXTENSION.interpreterRequired, valueBoolean: true });
  return out;
}

/**
 * What a FHIR update cannot say (coverage, guarantor, occupation, contact preferences, flags other
 * than restricted, sexual orientation), kept from the record on file so a PUT does not erase it.
 */
export function keepWhatFhirDoesNotCarry(incoming: Demographics, current: PatientView): Demographics {
  return {
    ...incoming,
    sexualOrientation: current.sexualOrientation,
    occupation: current.occupation,
    industry: current.industry,
    guarantor: current.guarantor,
    coverages: current.coverages,
    communication: current.communication,
    flags: { ...current.flags, restricted: incoming.flags.restricted || current.flags.restricted },
  };
}
