/** Who asks for records, how the request came in, and what the requester may be sent. */

export const REQUEST_CHANNELS = ['mail', 'fax', 'email', 'portal', 'in-person', 'phone'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export const REQUESTER_KINDS = [
  'patient', 'personal-representative', 'attorney', 'insurer', 'provider', 'government-agency',
  'law-enforcement', 'court', 'researcher', 'employer',
] as const;
export type RequesterKind = (typeof REQUESTER_KINDS)[number];

export const REQUESTER_LABELS: Record<RequesterKind, string> = {
  patient: 'Patient', 'personal-representative': 'Personal representative', attorney: 'Attorney', insurer: 'Insurer',
  provider: 'Another provider', 'government-agency': 'Government agency', 'law-enforcement': 'Law enforcement',
  court: 'Court or subpoena', researcher: 'Researcher', employer: 'Employer',
};

/** A personal representative's authority (45 CFR 164.502(g)): who they are to the patient and the paper that shows it. */
export const REPRESENTATIVE_AUTHORITIES = ['parent-of-minor', 'legal-guardian', 'healthcare-power-of-attorney', 'executor-or-administrator'] as const;
export type RepresentativeAuthority = (typeof REPRESENTATIVE_AUTHORITIES)[number];

/** How the requester's identity was checked (45 CFR 164.514(h): verify identity and authority before disclosing). */
export const IDENTITY_METHODS = ['photo-id', 'known-to-staff', 'portal-account', 'notarized-request', 'call-back', 'official-credentials'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

export const RECORD_FORMATS = ['paper', 'pdf', 'secure-link', 'fhir'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export const DELIVERY_METHODS = ['mail', 'email', 'pick-up', 'secure-link'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

/** The patient and their personal representative ask under the right of access; everyone else is a third party. */
export const isPatientSide = (kind: RequesterKind): boolean => kind === 'patient' || kind === 'personal-representative';
