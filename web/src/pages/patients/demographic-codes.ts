import type { AddressUse, IdentifierType, MatchGrade, PhoneUse, Relationship, SubscriberRelationship } from '../../api/patients';

/**
 * The code lists of the demographics (src/patients/demographics.ts) in the words a clerk reads.
 * The server holds the codes; these are only their labels.
 */

/** OMB race categories (CDC Race & Ethnicity code system). */
export const RACES: Record<string, string> = {
  '1002-5': 'American Indian or Alaska Native',
  '2028-9': 'Asian',
  '2054-5': 'Black or African American',
  '2076-8': 'Native Hawaiian or Other Pacific Islander',
  '2106-3': 'White',
  ASKU: 'Declined to answer',
  UNK: 'Unknown',
};

export const ETHNICITIES: Record<string, string> = {
  '2135-2': 'Hispanic or Latino',
  '2186-5': 'Not Hispanic or Latino',
  ASKU: 'Declined to answer',
  UNK: 'Unknown',
};

/** HL7 v3 MaritalStatus. */
export const MARITAL_STATUSES: Record<string, string> = {
  S: 'Never married',
  M: 'Married',
  T: 'Domestic partner',
  L: 'Legally separated',
  D: 'Divorced',
  W: 'Widowed',
  A: 'Annulled',
  I: 'Interlocutory',
  P: 'Polygamous',
  U: 'Unmarried',
  UNK: 'Unknown',
};

export const ADDRESS_USES: Record<AddressUse, string> = { home: 'Home', work: 'Work', temp: 'Temporary', old: 'Old (no longer used)', billing: 'Billing' };
export const PHONE_USES: Record<PhoneUse, string> = { home: 'Home', mobile: 'Mobile', work: 'Work', temp: 'Temporary' };

export const RELATIONSHIPS: Record<Relationship, string> = {
  spouse: 'Spouse',
  partner: 'Partner',
  parent: 'Parent',
  child: 'Child',
  sibling: 'Sibling',
  guardian: 'Guardian',
  grandparent: 'Grandparent',
  friend: 'Friend',
  employer: 'Employer',
  other: 'Other',
};

export const GUARANTOR_RELATIONSHIPS: Record<Relationship | 'self', string> = { self: 'Self (the patient)', ...RELATIONSHIPS };

export const SUBSCRIBER_RELATIONSHIPS: Record<SubscriberRelationship, string> = { self: 'Self (the patient)', spouse: 'Spouse', child: 'Child', other: 'Other' };

/** HL7 v2 identifier types. */
export const IDENTIFIER_TYPES: Record<IdentifierType, string> = {
  MR: 'Medical record number',
  MB: 'Member number',
  PI: 'Patient internal identifier',
  DL: "Driver's licence",
  PPN: 'Passport number',
  AN: 'Account number',
};

export const COVERAGE_ORDERS: Record<string, string> = { '1': 'Primary', '2': 'Secondary', '3': 'Tertiary', '4': 'Fourth', '5': 'Fifth', '6': 'Sixth', '7': 'Seventh', '8': 'Eighth', '9': 'Ninth' };

export const GRADE_LABELS: Record<MatchGrade, string> = { certain: 'Certain', probable: 'Probable', possible: 'Possible' };

/** The fields the matcher compares (src/patients/matching.ts MATCH_FIELDS). */
export const MATCH_FIELD_LABELS: Record<string, string> = {
  given: 'Given name',
  family: 'Family name',
  birthDate: 'Birth date',
  sex: 'Sex',
  ssn: 'SSN',
  phone: 'Phone',
  email: 'E-mail',
  postalCode: 'Postal code',
  addressLine: 'Street address',
  suffix: 'Suffix',
};

/** Why a field only partly agrees. */
export const PARTIAL_REASONS: Record<string, string> = {
  nickname: 'nickname',
  'similar-spelling': 'similar spelling',
  initial: 'initial only',
  'given-middle-swapped': 'given and middle swapped',
  'compound-name-part': 'part of a compound name',
  'previous-family': 'previous family name',
  'day-month-swapped': 'day and month swapped',
  'one-digit-different': 'one digit different',
  'digits-transposed': 'two digits swapped',
  'ssn-last-four': 'last four digits only',
  'same-generation': 'same generation',
};

/** Every field of a record as the history and the merge screen name it. */
export const FIELD_LABELS: Record<string, string> = {
  given: 'Given name',
  middle: 'Middle name',
  family: 'Family name',
  suffix: 'Suffix',
  preferredName: 'Preferred name',
  previousNames: 'Previous names',
  birthDate: 'Birth date',
  deathDate: 'Date of death',
  sex: 'Sex',
  genderIdentity: 'Gender identity',
  sexualOrientation: 'Sexual orientation',
  race: 'Race',
  ethnicity: 'Ethnicity',
  tribalAffiliation: 'Tribal affiliation',
  language: 'Preferred language',
  interpreterNeeded: 'Interpreter needed',
  addresses: 'Addresses',
  phones: 'Phones',
  email: 'E-mail',
  ssn: 'SSN',
  driversLicence: "Driver's licence",
  maritalStatus: 'Marital status',
  occupation: 'Occupation',
  industry: 'Industry',
  contacts: 'Related persons',
  guarantor: 'Guarantor',
  coverages: 'Insurance',
  primaryCareProvider: 'Primary care provider',
  communication: 'Communication preferences',
  photo: 'Photo',
  flags: 'Flags',
  identifiers: 'Other identifiers',
  status: 'Record status',
  mergedInto: 'Merged into',
  mrn: 'MRN',
  postalCode: 'Postal code (search key)',
  flagVip: 'VIP',
  flagEmployee: 'Employee',
  flagRestricted: 'Restricted',
  flagDoNotRelease: 'Do not release',
  legalHoldReason: 'Legal hold',
  id: 'Record id',
};

export const fieldLabel = (field: string): string => FIELD_LABELS[field] ?? field;

/** Options for a NativeSelect from a label map, with an empty first choice. */
export function selectOptions(labels: Record<string, string>, empty?: string): { value: string; label: string }[] {
  const options = Object.entries(labels).map(([value, label]) => ({ value, label }));
  return empty === undefined ? options : [{ value: '', label: empty }, ...options];
}
