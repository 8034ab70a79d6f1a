import jaroWinkler from 'jaro-winkler';
import {
  GENERATIONAL_SUFFIXES, givenNamesMayMatch, nameTokens, normalizeAddressLine, normalizeEmail, normalizeName,
  normalizePhone, normalizePostalCode, normalizeSuffix,
} from './name-keys.js';

/**
 * Fellegi–Sunter record comparison for the master patient index (Fellegi & Sunter, "A Theory for
 * Record Linkage", JASA 1969). Each field is compared to agree, partial, disagree or missing; the
 * outcome's weight is log2 of how much likelier it is between two records of one patient (m) than
 * between records of two patients (u); the weights add up, and thresholds turn the sum into a grade.
 * Hard rules then cap the grade where the sum is known to mislead: twins, a parent and child.
 */

export interface MatchRecord {
  given: string;
  middle?: string | null;
  family: string;
  suffix?: string | null;
  /** Maiden or former surnames. */
  previousFamilies?: string[];
  /** YYYY-MM-DD */
  birthDate: string;
  sex?: 'female' | 'male' | 'other' | 'unknown' | null;
  /** SSNs are compared by keyed hash (exact) and last four only. */
  ssnHash?: string | null;
  ssnLast4?: string | null;
  /** Normalised digits. */
  phones?: string[];
  email?: string | null;
  postalCode?: string | null;
  /** The first line of the current address. */
  addressLine?: string | null;
}

export const MATCH_FIELDS = ['given', 'family', 'birthDate', 'sex', 'ssn', 'phone', 'email', 'postalCode', 'addressLine', 'suffix'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

export const MATCH_GRADES = ['certain', 'probable', 'possible'] as const;
export type MatchGrade = (typeof MATCH_GRADES)[number];

export type ComparisonOutcome = 'agree' | 'partial' | 'disagree' | 'missing';

/** Why a field only partly agrees, for the clerk reviewing the pair. */
export type PartialReason =
  | 'nickname' | 'similar-spelling' | 'initial' | 'given-middle-swapped' | 'compound-name-part' | 'previous-family'
  | 'day-month-swapped' | 'one-digit-different' | 'digits-transposed' | 'ssn-last-four' | 'same-generation';

export interface FieldComparison {
  field: MatchField;
  outcome: ComparisonOutcome;
  weight: number;
  reason?: PartialReason;
}

export interface MatchResult {
  /** 0..1: the model's probability that the two records are one patient, at the model's prior. */
  score: number;
  /** Sum of the fields' log2 weights. */
  weight: number;
  /** null: not a match. */
  grade: MatchGrade | null;
  fields: FieldComparison[];
  /** The hard rules that held the grade below what the weight alone would give. */
  limitedBy: GradeRuleName[];
}

/** Probabilities of agreeing and of partly agreeing; disagreeing is the rest (missing values are left out). */
export interface OutcomeProbabilities {
  agree: number;
  partial: number;
}

export interface MatchModel {
  /** m: among pairs of records of one patient; u: among pairs of records of two patients. */
  fields: Record<MatchField, { m: OutcomeProbabilities; u: OutcomeProbabilities }>;
  /** The least total weight for each grade. */
  thresholds: Record<MatchGrade, number>;
  /** log2 of the odds that a compared pair is one patient before looking at it; sets where `score` crosses 0.5. */
  priorLog2Odds: number;
}

/**
 * The default model. u (two different patients) comes from population frequencies: a given name is
 * shared by about 1 pair in 200 and a family name by 1 in 500 (sums of squared US name frequencies),
 * a birth date by 1 in 27,000 (365 days × ~75 birth years), a phone or first address line by
 * household members (~1 in 10,000 in a hospital's catchment), an e-mail by 1 in 100,000, a ZIP code
 * by 1 in 30. m (one patient) comes from registration error rates: a typo, nickname or changed name
 * in under a tenth of duplicate pairs, a birth-date slip in a few percent, and a new address or phone
 * in about two in five, since duplicates are often registered years apart (set low on purpose: a move
 * changes address, ZIP and phone together, which the sum would otherwise count three times).
 *
 * Thresholds, in bits: the same given and family name, birth date and sex weigh 31.9, probable on
 * their own; a nickname or typo in one name with the birth date exact still reaches probable after a
 * move (about 22.8); the same name and birth date with a different SSN and a different address
 * (20.9) do not. `certain` also needs the corroboration rule below. The prior: an index of a million
 * records with one in ten a duplicate holds about one same-patient pair in 2^22, so `score` is the
 * model's probability of one patient, crossing 0.5 at the probable threshold.
 *
 * The figures were then checked on `generateMatchingSet` (see matching.test.ts). Re-estimate them on
 * the hospital's own reviewed pairs (e.g. by expectation maximisation) before relying on the grades.
 */
export const DEFAULT_MODEL: MatchModel = {
  fields: {
    given: { m: { agree: 0.9, partial: 0.08 }, u: { agree: 0.005, partial: 0.012 } },
    family: { m: { agree: 0.88, partial: 0.09 }, u: { agree: 0.002, partial: 0.004 } },
    birthDate: { m: { agree: 0.95, partial: 0.04 }, u: { agree: 0.000037, partial: 0.0006 } },
    sex: { m: { agree: 0.98, partial: 0 }, u: { agree: 0.5, partial: 0 } },
    ssn: { m: { agree: 0.98, partial: 0.01 }, u: { agree: 0.0000001, partial: 0.0001 } },
    phone: { m: { agree: 0.6, partial: 0 }, u: { agree: 0.0001, partial: 0 } },
    email: { m: { agree: 0.7, partial: 0 }, u: { agree: 0.00001, partial: 0 } },
    postalCode: { m: { agree: 0.7, partial: 0 }, u: { agree: 0.03, partial: 0 } },
    addressLine: { m: { agree: 0.6, partial: 0 }, u: { agree: 0.0001, partial: 0 } },
    // Compared only when both records carry a generational suffix; JR/SR apart is a parent and child.
    suffix: { m: { agree: 0.97, partial: 0.025 }, u: { agree: 0.45, partial: 0.1 } },
  },
  thresholds: { certain: 40, probable: 22, possible: 14 },
  priorLog2Odds: -22,
};

/** The log2 weight of each outcome of a field under a model. */
export function outcomeWeight(model: MatchModel, field: MatchField, outcome: ComparisonOutcome): number {
  const { m, u } = model.fields[field];
  switch (outcome) {
    case 'agree': return Math.log2(m.agree / u.agree);
    case 'partial': return m.partial > 0 && u.partial > 0 ? Math.log2(m.partial / u.partial) : 0;
    case 'disagree': return Math.log2((1 - m.agree - m.partial) / (1 - u.agree - u.partial));
    case 'missing': return 0;
  }
}

type Compared = { outcome: ComparisonOutcome; reason?: PartialReason };
const agree: Compared = { outcome: 'agree' };
const disagree: Compared = { outcome: 'disagree' };
const missing: Compared = { outcome: 'missing' };
const partial = (reason: PartialReason): Compared => ({ outcome: 'partial', reason });

/** Jaro–Winkler with its arguments in a fixed order, so comparing a with b is comparing b with a. */
const similarity = (a: string, b: string) => (a < b ? jaroWinkler(a, b) : jaroWinkler(b, a));

/** Given names: equal; or a nickname, a near spelling, an initial, part of a double name, or given and middle swapped. */
export function compareGivenNames(a: MatchRecord, b: MatchRecord): Compared {
  const ga = normalizeName(a.given);
  const gb = normalizeName(b.given);
  if (ga === '' || gb === '') return missing;
  if (ga === gb) return agree;
  if (givenNamesMayMatch(ga, gb)) return partial('nickname');
  if ((ga.length === 1 && gb.startsWith(ga)) || (gb.length === 1 && ga.startsWith(gb))) return partial('initial');
  const ma = normalizeName(a.middle ?? '');
  const mb = normalizeName(b.middle ?? '');
  if ((ma !== '' && ma === gb) || (mb !== '' && mb === ga)) return partial('given-middle-swapped');
  if (sharesToken(a.given, b.given)) return partial('compound-name-part');
  if (similarity(ga, gb) >= 0.88) return partial('similar-spelling');
  return disagree;
}

/** Particles that join family names and say nothing about who a person is. */
const NAME_PARTICLES = new Set(['DE', 'DEL', 'DELA', 'LA', 'LAS', 'LOS', 'DA', 'DI', 'DO', 'DOS', 'DAS', 'DU', 'VAN', 'VON', 'DER', 'DEN', 'TER', 'LE', 'Y', 'E', 'ST', 'SAN', 'SANTA', 'AL', 'EL', 'BIN', 'MC', 'MAC', 'O']);

function sharesToken(a: string, b: string): boolean {
  const tokensA = nameTokens(a).filter((t) => !NAME_PARTICLES.has(t));
  const tokensB = new Set(nameTokens(b).filter((t) => !NAME_PARTICLES.has(t)));
  return tokensA.length + tokensB.size > 2 && tokensA.some((t) => tokensB.has(t));
}

/** Family names: equal; or a changed surname (one's previous is the other's), one part of a double surname, or a near spelling. */
export function compareFamilyNames(a: MatchRecord, b: MatchRecord): Compared {
  const fa = normalizeName(a.family);
  const fb = normalizeName(b.family);
  if (fa === '' || fb === '') return missing;
  if (fa === fb) return agree;
  const previousA = (a.previousFamilies ?? []).map(normalizeName);
  const previousB = (b.previousFamilies ?? []).map(normalizeName);
  if (previousA.includes(fb) || previousB.includes(fa)) return partial('previous-family');
  if (sharesToken(a.family, b.family)) return partial('compound-name-part');
  if (similarity(fa, fb) >= 0.9) return partial('similar-spelling');
  return disagree;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Birth dates: equal; or day and month swapped, one digit different, or two neighbouring digits transposed. */
export function compareBirthDates(a: MatchRecord, b: MatchRecord): Compared {
  const da = ISO_DATE.exec(a.birthDate ?? '');
  const db = ISO_DATE.exec(b.birthDate ?? '');
  if (!da || !db) return missing;
  if (da[0] === db[0]) return agree;
  if (da[1] === db[1] && da[2] === db[3] && da[3] === db[2]) return partial('day-month-swapped');
  const x = da[1] + da[2] + da[3];
  const y = db[1] + db[2] + db[3];
  const differ = [...x].flatMap((c, i) => (c === y[i] ? [] : [i]));
  if (differ.length === 1) return partial('one-digit-different');
  if (differ.length === 2 && differ[1] === differ[0] + 1 && x[differ[0]] === y[differ[1]] && x[differ[1]] === y[differ[0]]) {
    return partial('digits-transposed');
  }
  return disagree;
}

export function compareSexes(a: MatchRecord, b: MatchRecord): Compared {
  const known = (s: MatchRecord['sex']) => (s && s !== 'unknown' ? s : null);
  const sa = known(a.sex);
  const sb = known(b.sex);
  if (!sa || !sb) return missing;
  return sa === sb ? agree : disagree;
}

/** SSNs: by keyed hash when both have one (a different hash disagrees even with the same last four); else by last four. */
export function compareSsns(a: MatchRecord, b: MatchRecord): Compared {
  if (a.ssnHash && b.ssnHash) return a.ssnHash === b.ssnHash ? agree : disagree;
  if (a.ssnLast4 && b.ssnLast4) return a.ssnLast4 === b.ssnLast4 ? partial('ssn-last-four') : disagree;
  return missing;
}

export function comparePhones(a: MatchRecord, b: MatchRecord): Compared {
  const pa = new Set((a.phones ?? []).map(normalizePhone).filter(Boolean));
  const pb = (b.phones ?? []).map(normalizePhone).filter(Boolean);
  if (pa.size === 0 || pb.length === 0) return missing;
  return pb.some((p) => pa.has(p)) ? agree : disagree;
}

const compareNormalised = (normalize: (s: string) => string) => (x: string | null | undefined, y: string | null | undefined): Compared => {
  const nx = normalize(x ?? '');
  const ny = normalize(y ?? '');
  if (nx === '' || ny === '') return missing;
  return nx === ny ? agree : disagree;
};
const sameEmail = compareNormalised(normalizeEmail);
const samePostalCode = compareNormalised(normalizePostalCode);
const sameAddressLine = compareNormalised(normalizeAddressLine);

/** Generational suffixes: JR and II name the same generation; JR against SR, or II against III, is a parent and child. */
export function compareSuffixes(a: MatchRecord, b: MatchRecord): Compared {
  const sa = normalizeSuffix(a.suffix ?? '');
  const sb = normalizeSuffix(b.suffix ?? '');
  if (sa === '' || sb === '') return missing;
  if (sa === sb) return agree;
  return GENERATIONAL_SUFFIXES[sa] === GENERATIONAL_SUFFIXES[sb] ? partial('same-generation') : disagree;
}

const FIELD_COMPARATORS: Record<MatchField, (a: MatchRecord, b: MatchRecord) => Compared> = {
  given: compareGivenNames,
  family: compareFamilyNames,
  birthDate: compareBirthDates,
  sex: compareSexes,
  ssn: compareSsns,
  phone: comparePhones,
  email: (a, b) => sameEmail(a.email, b.email),
  postalCode: (a, b) => samePostalCode(a.postalCode, b.postalCode),
  addressLine: (a, b) => sameAddressLine(a.addressLine, b.addressLine),
  suffix: compareSuffixes,
};

export type FieldsByName = Record<MatchField, FieldComparison>;
const is = (f: FieldComparison, outcome: ComparisonOutcome) => f.outcome === outcome;

/** Birth years this far apart are a generation apart, however few digits differ. */
const GENERATION_YEARS = 15;

function yearsApart(a: MatchRecord, b: MatchRecord): number {
  const ya = ISO_DATE.exec(a.birthDate ?? '')?.[1];
  const yb = ISO_DATE.exec(b.birthDate ?? '')?.[1];
  return ya && yb ? Math.abs(Number(ya) - Number(yb)) : 0;
}

/** `certain` needs an SSN that agrees, or the full name, birth date and sex exact plus two of phone, e-mail and address. */
function hasCertainCorroboration(f: FieldsByName): boolean {
  if (is(f.ssn, 'agree')) return true;
  const identityExact = is(f.given, 'agree') && is(f.family, 'agree') && is(f.birthDate, 'agree') && is(f.sex, 'agree');
  const address = is(f.addressLine, 'agree') || (is(f.addressLine, 'missing') && is(f.postalCode, 'agree'));
  const contacts = [is(f.phone, 'agree'), is(f.email, 'agree'), address].filter(Boolean).length;
  return identityExact && contacts >= 2;
}

/**
 * Hard rules over the score: each caps the grade when it applies, because the weights (which treat
 * fields as independent) are known to overrate these pairs. In order of the harm they prevent.
 */
export const GRADE_RULES = [
  // Twins share surname, birth date, address and phone: a different given name must be reviewed.
  { rule: 'givenNamesDisagree', ceiling: 'probable', applies: (f: FieldsByName) => is(f.given, 'disagree') },
  { rule: 'givenNamesDisagreeWithoutSsn', ceiling: 'possible', applies: (f: FieldsByName) => is(f.given, 'disagree') && !is(f.ssn, 'agree') },
  // Opposite-sex twins often get paired names (Daniel and Danielle, Alexander and Alexandra) that spell alike.
  { rule: 'oppositeSexesWithDifferentGivenNames', ceiling: 'possible',
    applies: (f: FieldsByName) => is(f.sex, 'disagree') && !is(f.given, 'agree') && !is(f.ssn, 'agree') },
  // A father and son (Sr/Jr) share everything but the suffix and the birth date.
  { rule: 'suffixesDisagree', ceiling: 'probable', applies: (f: FieldsByName) => is(f.suffix, 'disagree') },
  // A parent and child with one name: birth dates far apart. An agreeing SSN does not lift this, since a
  // parent's SSN on a child's record is a common registration error.
  { rule: 'birthDatesDisagree', ceiling: 'possible', applies: (f: FieldsByName) => is(f.birthDate, 'disagree') },
  // 1961-07-14 and 1981-07-14 differ in one digit, but a parent and child may share a birthday.
  { rule: 'generationsApart', ceiling: 'possible', applies: (_f: FieldsByName, a: MatchRecord, b: MatchRecord) => yearsApart(a, b) >= GENERATION_YEARS },
  { rule: 'birthDateNotExactOrSwapped', ceiling: 'probable',
    applies: (f: FieldsByName) => !is(f.birthDate, 'agree') && f.birthDate.reason !== 'day-month-swapped' },
  { rule: 'ssnsDisagree', ceiling: 'probable', applies: (f: FieldsByName) => is(f.ssn, 'disagree') },
  { rule: 'certainNeedsCorroboration', ceiling: 'probable', applies: (f: FieldsByName) => !hasCertainCorroboration(f) },
] as const satisfies readonly { rule: string; ceiling: MatchGrade; applies: (f: FieldsByName, a: MatchRecord, b: MatchRecord) => boolean }[];

export type GradeRuleName = (typeof GRADE_RULES)[number]['rule'];

const GRADE_RANK: Record<MatchGrade, number> = { possible: 1, probable: 2, certain: 3 };

/** Whether a grade is `floor` or better: `isGradeAtLeast('certain', 'probable')` is true. */
export function isGradeAtLeast(grade: MatchGrade | null, floor: MatchGrade): boolean {
  return grade !== null && GRADE_RANK[grade] >= GRADE_RANK[floor];
}

/** Compares two patient records field by field and grades the pair. */
export function compareRecords(a: MatchRecord, b: MatchRecord, model: MatchModel = DEFAULT_MODEL): MatchResult {
  const fields = MATCH_FIELDS.map((field): FieldComparison => {
    const { outcome, reason } = FIELD_COMPARATORS[field](a, b);
    const weight = outcomeWeight(model, field, outcome);
    return reason ? { field, outcome, weight, reason } : { field, outcome, weight };
  });
  const weight = fields.reduce((sum, f) => sum + f.weight, 0);
  const byName = Object.fromEntries(fields.map((f) => [f.field, f])) as FieldsByName;

  const { thresholds } = model;
  const byWeight: MatchGrade | null =
    weight >= thresholds.certain ? 'certain' : weight >= thresholds.probable ? 'probable' : weight >= thresholds.possible ? 'possible' : null;
  let grade = byWeight;
  const limitedBy: GradeRuleName[] = [];
  for (const { rule, ceiling, applies } of GRADE_RULES) {
    if (byWeight === null || GRADE_RANK[ceiling] >= GRADE_RANK[byWeight] || !applies(byName, a, b)) continue;
    limitedBy.push(rule);
    if (grade !== null && GRADE_RANK[ceiling] < GRADE_RANK[grade]) grade = ceiling;
  }
  const score = 1 / (1 + 2 ** -(weight + model.priorLog2Odds));
  return { score, weight, grade, fields, limitedBy };
}
