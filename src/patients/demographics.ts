import { z } from 'zod';
import type { FieldError } from '../platform/errors.js';

/**
 * What registration collects (USCDI v3 demographics), as one zod schema: the API validates with it,
 * the OpenAPI document shows it, and the FHIR and import edges map onto it.
 */
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** OMB race categories (CDC Race & Ethnicity code system), and the two "declined"/"unknown" answers. */
export const RACES = {
  '1002-5': 'American Indian or Alaska Native',
  '2028-9': 'Asian',
  '2054-5': 'Black or African American',
  '2076-8': 'Native Hawaiian or Other Pacific Islander',
  '2106-3': 'White',
  ASKU: 'Declined to answer',
  UNK: 'Unknown',
} as const;
export const ETHNICITIES = { '2135-2': 'Hispanic or Latino', '2186-5': 'Not Hispanic or Latino', ASKU: 'Declined to answer', UNK: 'Unknown' } as const;

/** HL7 v3 MaritalStatus. */
export const MARITAL_STATUSES = {
  A: 'Annulled', D: 'Divorced', I: 'Interlocutory', L: 'Legally separated', M: 'Married', P: 'Polygamous',
  S: 'Never married', T: 'Domestic partner', U: 'Unmarried', W: 'Widowed', UNK: 'Unknown',
} as const;

export const ADDRESS_USES = ['home', 'work', 'temp', 'old', 'billing'] as const;
export const PHONE_USES = ['home', 'mobile', 'work', 'temp'] as const;
export const RELATIONSHIPS = ['spouse', 'partner', 'parent', 'child', 'sibling', 'guardian', 'grandparent', 'friend', 'employer', 'other'] as const;
export const SUBSCRIBER_RELATIONSHIPS = ['self', 'spouse', 'child', 'other'] as const;

const text = (max = 200) => z.string().trim().min(1, 'Required.').max(max);
const optionalText = (max = 200) => z.string().trim().max(max).optional().transform((v) => (v ? v : undefined));
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.')
  .refine((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().slice(0, 10) === d, 'Not a real date.');

/** A phone number: at least ten digits (US) or an international number starting with +. */
export const phoneNumber = z
  .string()
  .trim()
  .refine((p) => /^[+()\d\s.-]+$/.test(p), 'Use digits, spaces, dashes, dots, parentheses and a leading +.')
  .refine((p) => {
    const digits = p.replace(/\D/g, '');
    return p.startsWith('+') ? digits.length >= 8 && digits.length <= 15 : digits.length === 10 || (digits.length === 11 && digits.startsWith('1'));
  }, 'Enter a 10-digit number, or an international number starting with +.');

/** A US Social Security number; area 000, 666 and 900-999, group 00 and serial 0000 are never issued. */
export const ssn = z
  .string()
  .trim()
  .regex(/^\d{3}-?\d{2}-?\d{4}$/, 'Use nine digits, e.g. 123-45-6789.')
  .refine((s) => {
    const d = s.replace(/\D/g, '');
    return !/^(000|666|9\d\d)/.test(d) && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
  }, 'This is not an SSN that is ever issued.')
  .transform((s) => s.replace(/\D/g, ''));

export const Address = z.strictObject({
  use: z.enum(ADDRESS_USES).default('home'),
  line1: text(),
  line2: optionalText(),
  city: text(100),
  state: optionalText(50),
  postalCode: z.string().trim().max(12).optional(),
  country: z.string().trim().max(2).optional().transform((c) => (c ? c.toUpperCase() : 'US')),
  since: isoDate.optional(),
  until: isoDate.optional(),
}).superRefine((a, ctx) => {
  if (a.country === 'US' && (!a.postalCode || !/^\d{5}(-\d{4})?$/.test(a.postalCode))) {
    ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'Use a 5-digit ZIP code or ZIP+4.' });
  } else if (a.postalCode && !/^[A-Za-z0-9 -]{2,12}$/.test(a.postalCode)) {
    ctx.addIssue({ code: 'custom', path: ['postalCode'], message: 'Not a postal code.' });
  }
});

export const Phone = z.strictObject({ use: z.enum(PHONE_USES).default('home'), number: phoneNumber });

export const RelatedPerson = z.strictObject({
  name: text(),
  relationship: z.enum(RELATIONSHIPS),
  phone: phoneNumber.optional(),
  email: z.email('Not an e-mail address.').optional(),
  emergencyContact: z.boolean().default(false),
});

export const Coverage = z.strictObject({
  payer: text(),
  memberId: text(64),
  groupNumber: optionalText(64),
  subscriberName: optionalText(),
  subscriberRelationship: z.enum(SUBSCRIBER_RELATIONSHIPS).default('self'),
  order: z.number().int().min(1).max(9).default(1),
});

export const OtherIdentifier = z.strictObject({
  system: text(200).describe('The assigning authority, e.g. an OID or URI of the other facility or payer'),
  value: text(64),
  type: z.enum(['MR', 'MB', 'PI', 'DL', 'PPN', 'AN']).default('MR').describe('HL7 v2 identifier type (MR: medical record number)'),
});

export const PatientFlags = z.strictObject({
  vip: z.boolean().default(false),
  employee: z.boolean().default(false),
  restricted: z.boolean().default(false).describe('Confidential record: opening it needs a reason'),
  doNotRelease: z.boolean().default(false).describe('Hold on any release of information'),
});

export const Demographics = z.strictObject({
  given: text(100),
  middle: optionalText(100),
  family: text(100),
  suffix: optionalText(20),
  preferredName: optionalText(100),
  previousNames: z.array(z.strictObject({ given: optionalText(100), family: text(100), until: isoDate.optional() })).max(20).default([]),
  birthDate: isoDate,
  deathDate: isoDate.optional(),
  sex: z.enum(SEXES).describe('Administrative sex'),
  genderIdentity: optionalText(100),
  sexualOrientation: optionalText(100),
  race: z.array(z.enum(Object.keys(RACES) as [keyof typeof RACES])).max(7).default([]),
  ethnicity: z.enum(Object.keys(ETHNICITIES) as [keyof typeof ETHNICITIES]).optional(),
  tribalAffiliation: optionalText(),
  language: optionalText(35).describe('Preferred language (BCP 47, e.g. en, es, zh)'),
  interpreterNeeded: z.boolean().default(false),
  addresses: z.array(Address).max(20).default([]),
  phones: z.array(Phone).max(10).default([]),
  email: z.email('Not an e-mail address.').optional(),
  ssn: ssn.optional(),
  driversLicence: z.strictObject({ number: text(30), state: text(20) }).optional(),
  maritalStatus: z.enum(Object.keys(MARITAL_STATUSES) as [keyof typeof MARITAL_STATUSES]).optional(),
  occupation: optionalText(),
  industry: optionalText(),
  contacts: z.array(RelatedPerson).max(20).default([]),
  guarantor: z.strictObject({ name: text(), relationship: z.enum([...RELATIONSHIPS, 'self']), phone: phoneNumber.optional() }).optional(),
  coverages: z.array(Coverage).max(10).default([]),
  primaryCareProvider: optionalText(),
  communication: z
    .strictObject({ phone: z.boolean().default(true), email: z.boolean().default(false), text: z.boolean().default(false) })
    .default({ phone: true, email: false, text: false }),
  photo: z
    .string()
    .max(400_000)
    .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=]+$/, 'Use a PNG or JPEG image.')
    .optional(),
  flags: PatientFlags.default({ vip: false, employee: false, restricted: false, doNotRelease: false }),
  identifiers: z.array(OtherIdentifier).max(20).default([]),
});
export type Demographics = z.output<typeof Demographics>;
export type DemographicsInput = z.input<typeof Demographics>;

/** The rules that need today's date: no birth in the future, no death before birth or in the future. */
export function checkDates(d: Pick<Demographics, 'birthDate' | 'deathDate'>, today: string): FieldError[] {
  const problems: FieldError[] = [];
  if (d.birthDate > today) problems.push({ field: 'birthDate', message: 'The birth date is in the future.' });
  if (d.birthDate < '1880-01-01') problems.push({ field: 'birthDate', message: 'The birth date is too long ago.' });
  if (d.deathDate && d.deathDate < d.birthDate) problems.push({ field: 'deathDate', message: 'The date of death is before the birth date.' });
  if (d.deathDate && d.deathDate > today) problems.push({ field: 'deathDate', message: 'The date of death is in the future.' });
  return problems;
}

/** Age in whole years on a given day. */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
