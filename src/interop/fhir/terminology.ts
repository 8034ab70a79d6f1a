/**
 * The code systems, extension addresses and code tables the FHIR facade speaks, in one place, so the
 * mapping reads as "our word -> their code" and a test can walk the tables.
 */

export const SYSTEM = {
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  contactRole: 'http://terminology.hl7.org/CodeSystem/v2-0131',
  roleCode: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  maritalStatus: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  nullFlavor: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  raceAndEthnicity: 'urn:oid:2.16.840.1.113883.6.238',
  language: 'urn:ietf:bcp:47',
  ssn: 'http://hl7.org/fhir/sid/us-ssn',
} as const;

export const EXTENSION = {
  race: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
  ethnicity: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
  birthSex: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
  tribalAffiliation: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-tribal-affiliation',
  usCoreGenderIdentity: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-genderIdentity',
  genderIdentity: 'http://hl7.org/fhir/StructureDefinition/patient-genderIdentity',
  interpreterRequired: 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired',
  animal: 'http://hl7.org/fhir/StructureDefinition/patient-animal',
  matchGrade: 'http://hl7.org/fhir/StructureDefinition/match-grade',
  /** Chartroom's own, on a transaction Bundle entry's request: why a create with likely matches is right (valueString). */
  duplicateReason: 'https://chartroom.dev/fhir/StructureDefinition/duplicate-reason',
} as const;

export const US_CORE_PATIENT_PROFILE = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient';

/** Our relationship words as HL7 v3 RoleCode (the US Core / R4 contact relationship value set accepts them). */
export const RELATIONSHIP_ROLE_CODES = {
  spouse: { code: 'SPS', display: 'spouse' },
  partner: { code: 'DOMPART', display: 'domestic partner' },
  parent: { code: 'PRN', display: 'parent' },
  child: { code: 'CHILD', display: 'child' },
  sibling: { code: 'SIB', display: 'sibling' },
  guardian: { code: 'GUARD', display: 'guardian' },
  grandparent: { code: 'GRPRN', display: 'grandparent' },
  friend: { code: 'FRND', display: 'unrelated friend' },
} as const;

/** Incoming RoleCode values (the specific ones too) and the relationship we keep. */
const ROLE_CODE_TO_RELATIONSHIP: Record<string, keyof typeof RELATIONSHIP_ROLE_CODES> = {
  SPS: 'spouse', WIFE: 'spouse', HUSB: 'spouse',
  DOMPART: 'partner', SIGOTHR: 'partner',
  PRN: 'parent', MTH: 'parent', FTH: 'parent', NPRN: 'parent', NMTH: 'parent', NFTH: 'parent', ADOPTP: 'parent', ADOPTM: 'parent', ADOPTF: 'parent', STPPRN: 'parent', STPMTH: 'parent', STPFTH: 'parent', GESTM: 'parent',
  CHILD: 'child', SON: 'child', DAU: 'child', NCHILD: 'child', CHLDADOPT: 'child', STPCHLD: 'child', SONADOPT: 'child', DAUADOPT: 'child',
  SIB: 'sibling', BRO: 'sibling', SIS: 'sibling', NSIB: 'sibling', HSIB: 'sibling', TWIN: 'sibling', TWINBRO: 'sibling', TWINSIS: 'sibling',
  GRPRN: 'grandparent', GRMTH: 'grandparent', GRFTH: 'grandparent', MGRMTH: 'grandparent', MGRFTH: 'grandparent', PGRMTH: 'grandparent', PGRFTH: 'grandparent',
  GUARD: 'guardian',
  FRND: 'friend', NBOR: 'friend', ROOM: 'friend',
};

/** The relationship word for a RoleCode, when we keep one. */
export const relationshipOfRoleCode = (code: string) => ROLE_CODE_TO_RELATIONSHIP[code.toUpperCase()];

/** HL7 v2 table 0131 (contact role): emergency contact and employer are the two we keep. */
export const CONTACT_ROLE = { emergencyContact: 'C', employer: 'E', nextOfKin: 'N' } as const;

/** HL7 v2 table 0203 identifier types our other identifiers may carry (DL and SS are sealed, not listed). */
export const KEPT_IDENTIFIER_TYPES = ['MR', 'MB', 'PI', 'PPN', 'AN'] as const;

// ISO 3166-1 alpha-3 codes of the countries a US hospital's patients most often give, to alpha-2.
const ALPHA3: Record<string, string> = Object.fromEntries(
  ('USA:US CAN:CA MEX:MX GBR:GB IRL:IE NLD:NL BEL:BE LUX:LU DEU:DE FRA:FR ESP:ES PRT:PT ITA:IT CHE:CH AUT:AT ' +
    'DNK:DK NOR:NO SWE:SE FIN:FI ISL:IS POL:PL CZE:CZ SVK:SK HUN:HU ROU:RO BGR:BG GRC:GR TUR:TR UKR:UA RUS:RU ' +
    'BLR:BY LTU:LT LVA:LV EST:EE SRB:RS HRV:HR SVN:SI BIH:BA ALB:AL MKD:MK ISR:IL LBN:LB SYR:SY JOR:JO IRQ:IQ ' +
    'IRN:IR SAU:SA ARE:AE EGY:EG MAR:MA DZA:DZ TUN:TN NGA:NG GHA:GH KEN:KE ETH:ET SOM:SO ZAF:ZA SEN:SN CMR:CM ' +
    'COD:CD AGO:AO IND:IN PAK:PK BGD:BD NPL:NP LKA:LK AFG:AF CHN:CN HKG:HK TWN:TW JPN:JP KOR:KR PRK:KP MNG:MN ' +
    'VNM:VN THA:TH KHM:KH LAO:LA MMR:MM MYS:MY SGP:SG IDN:ID PHL:PH AUS:AU NZL:NZ FJI:FJ BRA:BR ARG:AR CHL:CL ' +
    'COL:CO PER:PE VEN:VE ECU:EC BOL:BO PRY:PY URY:UY GTM:GT HND:HN SLV:SV NIC:NI CRI:CR PAN:PA CUB:CU DOM:DO ' +
    'HTI:HT JAM:JM TTO:TT PRI:PR GUM:GU VIR:VI ASM:AS MNP:MP')
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);

/** CLDR's "unknown region": an address whose country we could not tell. */
export const UNKNOWN_COUNTRY = 'ZZ';

let countriesByName: Map<string, string> | undefined;
function countryByName(name: string): string | undefined {
  if (!countriesByName) {
    countriesByName = new Map();
    const names = new Intl.DisplayNames('en', { type: 'region' });
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    for (const a of letters) {
      for (const b of letters) {
        const code = a + b;
        try {
          const shown = names.of(code);
          if (shown && shown !== code) countriesByName.set(shown.toUpperCase(), code);
        } catch {
          // Not a region code Intl knows: skip it.
        }
      }
    }
    for (const alias of ['UNITED STATES OF AMERICA', 'U.S.A.', 'U.S.', 'AMERICA']) countriesByName.set(alias, 'US');
    countriesByName.set('UNITED KINGDOM OF GREAT BRITAIN AND NORTHERN IRELAND', 'GB');
    countriesByName.set('THE NETHERLANDS', 'NL');
  }
  return countriesByName.get(name.trim().toUpperCase());
}

/** An ISO 3166 alpha-2 code for what FHIR's Address.country holds (alpha-2, alpha-3 or an English name). */
export function countryCodeOf(country: string): string | undefined {
  const c = country.trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(c)) return c;
  if (/^[A-Z]{3}$/.test(c) && ALPHA3[c]) return ALPHA3[c];
  return countryByName(c);
}

// FIPS 5-2 state codes, as the last arc of the driver's-licence OIDs (2.16.840.1.113883.4.3.<fips>).
const FIPS_STATES: Record<string, string> = Object.fromEntries(
  ('01:AL 02:AK 04:AZ 05:AR 06:CA 08:CO 09:CT 10:DE 11:DC 12:FL 13:GA 15:HI 16:ID 17:IL 18:IN 19:IA 20:KS 21:KY ' +
    '22:LA 23:ME 24:MD 25:MA 26:MI 27:MN 28:MS 29:MO 30:MT 31:NE 32:NV 33:NH 34:NJ 35:NM 36:NY 37:NC 38:ND 39:OH ' +
    '40:OK 41:OR 42:PA 44:RI 45:SC 46:SD 47:TN 48:TX 49:UT 50:VT 51:VA 53:WA 54:WV 55:WI 56:WY 60:AS 66:GU 69:MP 72:PR 78:VI')
    .split(' ')
    .map((pair) => pair.split(':') as [string, string]),
);
const DL_OID = /^urn:oid:2\.16\.840\.1\.113883\.4\.3\.(\d{1,2})$/;

/** The issuing state of a US driver's licence identifier system, or undefined when it names no state. */
export function licenceStateOf(system: string | undefined): string | undefined {
  const m = system ? DL_OID.exec(system) : null;
  return m ? FIPS_STATES[m[1].padStart(2, '0')] : undefined;
}

