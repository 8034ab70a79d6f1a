import { z } from 'zod';
import { SENSITIVITY_CATEGORIES } from '../../documents/index.js';
import {
  DELIVERY_METHODS, IDENTITY_METHODS, RECORD_FORMATS, REPRESENTATIVE_AUTHORITIES, REQUEST_CHANNELS, REQUESTER_KINDS,
} from './requesters.js';

/**
 * What a release request holds, as zod schemas: the routes validate with them, the OpenAPI document
 * shows them, and the rules take the inferred types. Dates are YYYY-MM-DD.
 */
export const isoDate = z.iso.date().describe('YYYY-MM-DD');
const text = (max: number) => z.string().trim().max(max).nullable().optional();
const id = z.string().min(1).max(64);

export const Requester = z.strictObject({
  kind: z.enum(REQUESTER_KINDS),
  name: z.string().trim().min(1).max(200),
  organization: text(200),
  address: text(500),
  email: z.email().max(200).nullable().optional(),
  phone: text(40),
});
export type Requester = z.infer<typeof Requester>;

/** What is asked for: a date range, visits, document types, the whole designated record set, billing records. */
export const RecordScope = z.strictObject({
  from: isoDate.nullable().optional(),
  to: isoDate.nullable().optional(),
  encounterIds: z.array(id).max(200).default([]),
  documentTypes: z.array(z.string().max(20)).max(100).default([]).describe('LOINC document codes'),
  wholeRecordSet: z.boolean().default(false).describe('The whole designated record set (45 CFR 164.501)'),
  billingRecords: z.boolean().default(false),
});
export type RecordScope = z.infer<typeof RecordScope>;

export const Delivery = z.strictObject({
  method: z.enum(DELIVERY_METHODS),
  address: text(500),
  email: z.email().max(200).nullable().optional(),
});
export type Delivery = z.infer<typeof Delivery>;

export const IdentityVerification = z.strictObject({
  method: z.enum(IDENTITY_METHODS),
  note: text(500),
});
export type IdentityVerification = z.infer<typeof IdentityVerification>;

export const RepresentativeAuthorityRecord = z.strictObject({
  kind: z.enum(REPRESENTATIVE_AUTHORITIES),
  document: z.string().trim().min(1).max(300).describe('The paper that shows the authority (e.g. "Letters of guardianship, Cumberland probate court")'),
});
export type RepresentativeAuthorityRecord = z.infer<typeof RepresentativeAuthorityRecord>;

/** A HIPAA authorization as the clerk reads it off the form (45 CFR 164.508(c)). */
export const Authorization = z.strictObject({
  informationDescription: text(1000),
  discloser: text(300),
  recipient: text(300),
  purposes: z.array(z.string().trim().min(1).max(300)).max(10).default([]),
  expiresOn: isoDate.nullable().optional(),
  expirationEvent: text(300),
  expirationEventOccurred: z.boolean().default(false),
  signedOn: isoDate.nullable().optional(),
  signer: z.strictObject({ kind: z.enum(['patient', 'representative']), name: text(200), authority: text(300) }).default({ kind: 'patient' }),
  statements: z.strictObject({
    rightToRevoke: z.boolean().default(false),
    conditioning: z.boolean().default(false),
    redisclosure: z.boolean().default(false),
  }).default({ rightToRevoke: false, conditioning: false, redisclosure: false }),
  revokedOn: isoDate.nullable().optional(),
  psychotherapyNotes: z.boolean().default(false).describe('The authorization is for psychotherapy notes'),
  compoundWith: z.enum(['none', 'psychotherapy-notes', 'other']).default('none').describe('Another authorization combined on the same form'),
  sensitiveCategories: z.array(z.enum(SENSITIVITY_CATEGORIES)).default([]).describe('Sensitive categories the authorization names'),
});
export type Authorization = z.infer<typeof Authorization>;

/** A 42 CFR Part 2 consent to disclose substance-use-disorder records (42 CFR 2.31). */
export const Part2Consent = z.strictObject({
  patientName: text(200),
  discloser: text(300),
  informationDescription: text(1000),
  recipient: text(300),
  purpose: text(300),
  expiresOn: isoDate.nullable().optional(),
  expirationEvent: text(300),
  signedOn: isoDate.nullable().optional(),
  statements: z.strictObject({
    rightToRevoke: z.boolean().default(false),
    redisclosure: z.boolean().default(false),
  }).default({ rightToRevoke: false, redisclosure: false }),
  revokedOn: isoDate.nullable().optional(),
  counsellingNotes: z.boolean().default(false).describe('The consent is for SUD counselling notes (they need a consent of their own)'),
});
export type Part2Consent = z.infer<typeof Part2Consent>;

export const LAW_ENFORCEMENT_PROCESSES = ['warrant', 'grand-jury-subpoena', 'administrative-request', 'identification'] as const;

/** 45 CFR 164.512(f)(2)(i): all an identification request may have. */
export const IDENTIFICATION_ITEMS = [
  'name-and-address', 'date-and-place-of-birth', 'ssn', 'abo-blood-type-and-rh', 'type-of-injury',
  'date-and-time-of-treatment', 'date-and-time-of-death', 'distinguishing-physical-characteristics',
] as const;
/** 45 CFR 164.512(f)(2)(ii): never for identification. */
export const FORBIDDEN_IDENTIFICATION_ITEMS = ['dna', 'dental-records', 'body-fluid-or-tissue-analysis'] as const;

export const LegalBasis = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('right-of-access') }),
  z.strictObject({
    kind: z.literal('patient-directed'),
    signedWrittenRequest: z.boolean().default(false),
    recipient: text(300),
  }),
  z.strictObject({ kind: z.literal('authorization'), authorization: Authorization }),
  z.strictObject({ kind: z.literal('court-order'), orderScope: RecordScope, description: text(500) }),
  z.strictObject({
    kind: z.literal('subpoena'),
    noticeToPatient: z.boolean().default(false).describe('Written notice to the patient was given'),
    objectionPeriodLapsed: z.boolean().default(false).describe('The time to object has lapsed with no objection pending'),
    qualifiedProtectiveOrder: z.boolean().default(false),
  }),
  z.strictObject({
    kind: z.literal('law-enforcement'),
    process: z.enum(LAW_ENFORCEMENT_PROCESSES),
    administrativeTest: z.strictObject({
      relevantAndMaterial: z.boolean().default(false),
      specificAndLimited: z.boolean().default(false),
      deidentifiedNotReasonable: z.boolean().default(false),
    }).optional(),
    identificationItems: z.array(z.enum([...IDENTIFICATION_ITEMS, ...FORBIDDEN_IDENTIFICATION_ITEMS])).default([]),
  }),
  z.strictObject({ kind: z.literal('treatment') }),
  z.strictObject({ kind: z.literal('payment') }),
  z.strictObject({ kind: z.literal('operations') }),
  z.strictObject({ kind: z.literal('part2-consent') }),
]);
export type LegalBasis = z.infer<typeof LegalBasis>;
export type LegalBasisKind = LegalBasis['kind'];

/** Everything the legal checks look at (no patient identity: the rules never need it). */
export const LegalCase = z.strictObject({
  requester: Requester,
  purpose: text(500).describe('Only where the law requires one; never from a patient asking for their own record'),
  basis: LegalBasis,
  part2Consent: Part2Consent.nullable().optional(),
  identityVerification: IdentityVerification.nullable().optional(),
  representativeAuthority: RepresentativeAuthorityRecord.nullable().optional(),
  scope: RecordScope,
});
export type LegalCase = z.infer<typeof LegalCase>;

export const NewReleaseRequest = z.strictObject({
  patientId: id,
  receivedOn: isoDate,
  channel: z.enum(REQUEST_CHANNELS),
  ...LegalCase.shape,
  format: z.enum(RECORD_FORMATS),
  delivery: Delivery,
  dueDate: isoDate.nullable().optional().describe('An earlier due date than the rule gives (a subpoena return date, an agreed date)'),
  assignedTo: id.nullable().optional(),
});
export type NewReleaseRequest = z.infer<typeof NewReleaseRequest>;
