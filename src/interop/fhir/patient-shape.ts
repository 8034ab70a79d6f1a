import { z } from 'zod';

/**
 * The structure of an incoming FHIR R4 Patient, as far as Chartroom reads it: the datatypes of the
 * elements the mapping uses and the codes FHIR fixes (gender, name use, telecom system). Elements we
 * do not read pass through untouched (FHIR resources carry many).
 */

/** FHIR `date`: a year, a year and month, or a full date. */
export const fhirDate = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'Use a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD.');
/** FHIR `dateTime`: a date, or a full date with a time and a zone. */
export const fhirDateTime = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/, 'Use a FHIR dateTime, e.g. 2020-01-31 or 2020-01-31T09:30:00Z.');

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const;

const text = z.string();
const Coding = z.looseObject({ system: text.optional(), code: text.optional(), display: text.optional() });
const CodeableConcept = z.looseObject({ coding: z.array(Coding).optional(), text: text.optional() });
const Period = z.looseObject({ start: fhirDateTime.optional(), end: fhirDateTime.optional() });
const Reference = z.looseObject({ reference: text.optional(), display: text.optional() });

export const FhirHumanName = z.looseObject({
  use: z.enum(['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden']).optional(),
  text: text.optional(),
  family: text.optional(),
  given: z.array(text).optional(),
  prefix: z.array(text).optional(),
  suffix: z.array(text).optional(),
  period: Period.optional(),
});

export const FhirContactPoint = z.looseObject({
  system: z.enum(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other']).optional(),
  value: text.optional(),
  use: z.enum(['home', 'work', 'temp', 'old', 'mobile']).optional(),
  rank: z.number().int().positive().optional(),
  period: Period.optional(),
});

export const FhirAddress = z.looseObject({
  use: z.enum(['home', 'work', 'temp', 'old', 'billing']).optional(),
  type: z.enum(['postal', 'physical', 'both']).optional(),
  text: text.optional(),
  line: z.array(text).optional(),
  city: text.optional(),
  district: text.optional(),
  state: text.optional(),
  postalCode: text.optional(),
  country: text.optional(),
  period: Period.optional(),
});

export const FhirIdentifier = z.looseObject({
  use: z.enum(['usual', 'official', 'temp', 'secondary', 'old']).optional(),
  type: CodeableConcept.optional(),
  system: text.optional(),
  value: text.optional(),
  period: Period.optional(),
  assigner: Reference.optional(),
});

/** An extension, with the value types the mapping reads; nested extensions for the complex ones. */
export interface FhirExtension {
  url: string;
  extension?: FhirExtension[];
  valueCoding?: z.infer<typeof Coding>;
  valueCodeableConcept?: z.infer<typeof CodeableConcept>;
  valueString?: string;
  valueCode?: string;
  valueBoolean?: boolean;
  [other: string]: unknown;
}
export const FhirExtension: z.ZodType<FhirExtension> = z.looseObject({
  url: text.min(1, 'An extension needs its url.'),
  get extension() {
    return z.array(FhirExtension).optional();
  },
  valueCoding: Coding.optional(),
  valueCodeableConcept: CodeableConcept.optional(),
  valueString: text.optional(),
  valueCode: text.optional(),
  valueBoolean: z.boolean().optional(),
});

const Attachment = z.looseObject({ contentType: text.optional(), data: text.optional(), url: text.optional() });

export const FhirPatientShape = z.looseObject({
  resourceType: z.literal('Patient', 'This is not a Patient resource.'),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'A FHIR id is 1-64 letters, digits, "-" and ".".').optional(),
  meta: z.looseObject({ security: z.array(Coding).optional() }).optional(),
  extension: z.array(FhirExtension).optional(),
  modifierExtension: z.array(FhirExtension).optional(),
  identifier: z.array(FhirIdentifier).optional(),
  active: z.boolean().optional(),
  name: z.array(FhirHumanName).optional(),
  telecom: z.array(FhirContactPoint).optional(),
  gender: z.enum(GENDERS, 'Use one of male, female, other, unknown.').optional(),
  birthDate: fhirDate.optional(),
  deceasedBoolean: z.boolean().optional(),
  deceasedDateTime: fhirDateTime.optional(),
  address: z.array(FhirAddress).optional(),
  maritalStatus: CodeableConcept.optional(),
  multipleBirthBoolean: z.boolean().optional(),
  multipleBirthInteger: z.number().int().optional(),
  photo: z.array(Attachment).optional(),
  contact: z
    .array(
      z.looseObject({
        relationship: z.array(CodeableConcept).optional(),
        name: FhirHumanName.optional(),
        telecom: z.array(FhirContactPoint).optional(),
        address: FhirAddress.optional(),
        gender: z.enum(GENDERS, 'Use one of male, female, other, unknown.').optional(),
        organization: Reference.optional(),
        period: Period.optional(),
      }),
    )
    .optional(),
  communication: z.array(z.looseObject({ language: CodeableConcept, preferred: z.boolean().optional() })).optional(),
  generalPractitioner: z.array(Reference).optional(),
  managingOrganization: Reference.optional(),
  link: z.array(z.looseObject({ other: Reference, type: z.enum(['replaced-by', 'replaces', 'refer', 'seealso']) })).optional(),
});
export type FhirPatientShape = z.infer<typeof FhirPatientShape>;
export type FhirHumanName = z.infer<typeof FhirHumanName>;

/** A zod issue path as FHIRPath: ['name', 0, 'given', 1] -> Patient.name[0].given[1]. */
export function fhirPathOf(path: readonly PropertyKey[], root = 'Patient'): string {
  let out = root;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}
