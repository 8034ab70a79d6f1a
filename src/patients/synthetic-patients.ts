import { createHmac } from 'node:crypto';
import { Faker, base, en } from '@faker-js/faker';
import jaroWinkler from 'jaro-winkler';
import { compareRecords, isGradeAtLeast, type MatchGrade, type MatchRecord, type MatchResult } from './matching.js';
import { NICKNAMES } from './nicknames.js';
import { canonicalGivenName, givenNamesMayMatch, normalizeName, phoneticKey } from './name-keys.js';

/**
 * A synthetic master patient index with planted duplicates (one person registered twice, with the
 * errors registration really makes) and planted look-alikes (different people who share most of
 * their demographics), for the matching tests and the matching-quality benchmark. Seeded: the same
 * options always give the same records. No real person's data.
 */

export type SyntheticRecordKind = 'original' | 'duplicate' | 'twin' | 'parent' | 'child' | 'sibling';

/** The registration errors a duplicate may carry. */
export const DUPLICATE_ERRORS = [
  'given-typo', 'family-typo', 'nickname', 'day-month-swapped', 'married-name', 'moved', 'missing-ssn', 'missing-phone',
] as const;
export type DuplicateError = (typeof DUPLICATE_ERRORS)[number];

export interface SyntheticRecord extends MatchRecord {
  id: string;
  /** Records of one person share it. */
  personId: string;
  kind: SyntheticRecordKind;
  /** For a duplicate, the errors planted in it. */
  errors?: DuplicateError[];
}

export interface MatchingSetOptions {
  seed: number;
  /** People registered once each before duplicates and look-alikes are added. */
  people: number;
  /** Share of people registered a second time (a few of them a third). */
  duplicateRate: number;
  /** Share of people given a twin, a parent or child, or a sibling in the index. */
  lookAlikeRate: number;
}

/** Ages are counted to this day, so the set does not change with the calendar. */
const REFERENCE_YEAR = 2025;

export function generateMatchingSet(options: MatchingSetOptions): { records: SyntheticRecord[] } {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(options.seed);
  const chance = (p: number) => faker.number.float() < p;
  const records: SyntheticRecord[] = [];
  let nextRecord = 1;
  let nextPerson = 1;
  const add = (r: Omit<SyntheticRecord, 'id'>): SyntheticRecord => {
    const record = { ...r, id: `R${nextRecord++}` };
    records.push(record);
    return record;
  };

  const phone = () => `${faker.number.int({ min: 2, max: 9 })}${faker.string.numeric(2)}${faker.number.int({ min: 2, max: 9 })}${faker.string.numeric(6)}`;
  const ssn = () => {
    const digits = `${faker.number.int({ min: 1, max: 665 }).toString().padStart(3, '0')}${faker.number.int({ min: 1, max: 99 }).toString().padStart(2, '0')}${faker.number.int({ min: 1, max: 9999 }).toString().padStart(4, '0')}`;
    return { ssnHash: createHmac('sha256', 'synthetic').update(digits).digest('hex'), ssnLast4: digits.slice(5) };
  };
  const noSsn = { ssnHash: null, ssnLast4: null };
  const home = () => ({ addressLine: faker.location.streetAddress(), postalCode: faker.location.zipCode('#####'), phones: [phone()] });
  const birthDate = (minYear: number, maxYear: number) => {
    const d = faker.date.between({ from: `${minYear}-01-01T00:00:00Z`, to: `${maxYear}-12-31T00:00:00Z` });
    return d.toISOString().slice(0, 10);
  };
  const sexOf = (): 'female' | 'male' => (chance(0.5) ? 'female' : 'male');
  // Real names are not spread evenly: a quarter of people get one of a few dozen common names, which
  // also plants namesakes (different people with one name) and gives nicknames something to shorten.
  const firstNames = faker.definitions.person?.first_name ?? {};
  const commonGiven = {
    female: (firstNames.female ?? []).filter((n) => NICKNAMES[normalizeName(n)]),
    male: (firstNames.male ?? []).filter((n) => NICKNAMES[normalizeName(n)]),
  };
  const commonFamily = faker.helpers.arrayElements(faker.definitions.person?.last_name?.generic ?? [], 40);
  const givenFor = (sex: MatchRecord['sex']) => {
    const key = sex === 'male' ? 'male' : 'female';
    return chance(0.3) ? faker.helpers.arrayElement(commonGiven[key]) : faker.person.firstName(key);
  };
  const familyName = () => (chance(0.25) ? faker.helpers.arrayElement(commonFamily) : faker.person.lastName());
  /** A given name a clerk would not take for `other`'s: not a nickname of it, not a near spelling. */
  const differentGiven = (sex: MatchRecord['sex'], other: string) => {
    for (;;) {
      const name = givenFor(sex);
      if (!givenNamesMayMatch(name, other) && jaroWinkler(normalizeName(name), normalizeName(other)) < 0.88) return name;
    }
  };

  const person = (overrides: Partial<MatchRecord> & { kind: SyntheticRecordKind }): SyntheticRecord => {
    const sex = overrides.sex ?? sexOf();
    const given = overrides.given ?? givenFor(sex);
    const family = overrides.family ?? familyName();
    const contact = home();
    return add({
      personId: `P${nextPerson++}`,
      given,
      middle: chance(0.6) ? faker.person.middleName(sex === 'male' ? 'male' : 'female') : null,
      family,
      suffix: null,
      previousFamilies: [],
      birthDate: birthDate(1935, 2023),
      sex: chance(0.02) ? 'unknown' : sex,
      ...(chance(0.75) ? ssn() : noSsn),
      phones: chance(0.92) ? (chance(0.3) ? [contact.phones[0], phone()] : contact.phones) : [],
      email: chance(0.55) ? faker.internet.email({ firstName: given, lastName: family }).toLowerCase() : null,
      postalCode: contact.postalCode,
      addressLine: contact.addressLine,
      ...overrides,
    });
  };

  const originals: SyntheticRecord[] = [];
  for (let i = 0; i < options.people; i++) originals.push(person({ kind: 'original' }));

  // Look-alikes: different people who share a household or a name with someone already registered.
  const everyone = [...originals];
  for (const original of originals) {
    if (!chance(options.lookAlikeRate)) continue;
    const sameHome = { addressLine: original.addressLine, postalCode: original.postalCode, phones: original.phones };
    const roll = faker.number.float();
    if (roll < 0.4) {
      const sex = sexOf();
      everyone.push(person({ kind: 'twin', sex, given: differentGiven(sex, original.given), family: original.family, birthDate: original.birthDate, ...sameHome }));
    } else if (roll < 0.7) {
      const year = Number(original.birthDate.slice(0, 4));
      const gap = faker.number.int({ min: 20, max: 40 });
      const shares = chance(0.5) ? sameHome : {};
      const same = { sex: original.sex, given: original.given, middle: chance(0.7) ? original.middle : null, family: original.family };
      if (year + gap <= REFERENCE_YEAR - 1) {
        if (chance(0.5)) original.suffix = 'SR';
        everyone.push(person({ kind: 'child', ...same, ...shares, birthDate: birthDate(year + gap, year + gap), suffix: chance(0.5) ? 'JR' : null }));
      } else {
        if (chance(0.5)) original.suffix = 'JR';
        everyone.push(person({ kind: 'parent', ...same, ...shares, birthDate: birthDate(year - gap, year - gap), suffix: chance(0.3) ? 'SR' : null }));
      }
    } else {
      const sex = sexOf();
      const born = Number(original.birthDate.slice(0, 4));
      const gap = faker.helpers.arrayElement([-1, 1]) * faker.number.int({ min: 1, max: 10 });
      const year = born + gap < REFERENCE_YEAR ? born + gap : born - Math.abs(gap);
      everyone.push(person({
        kind: 'sibling', sex, given: differentGiven(sex, original.given), family: original.family,
        birthDate: birthDate(year, year), ...(chance(0.7) ? sameHome : {}),
      }));
    }
  }

  // Duplicates: the same person registered again, with one to three registration errors.
  const typo = (name: string) => {
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (;;) {
      const chars = [...name];
      const at = faker.number.int({ min: 0, max: chars.length - 1 });
      const letter = faker.helpers.arrayElement([...letters]);
      const edit = faker.helpers.arrayElement(['substitute', 'delete', 'insert', 'transpose'] as const);
      if (edit === 'substitute') chars[at] = at === 0 ? letter.toUpperCase() : letter;
      else if (edit === 'delete' && chars.length > 3) chars.splice(at, 1);
      else if (edit === 'insert') chars.splice(at + 1, 0, letter);
      else if (edit === 'transpose' && at + 1 < chars.length) [chars[at], chars[at + 1]] = [chars[at + 1], chars[at]];
      const typed = chars.join('');
      if (normalizeName(typed) !== normalizeName(name)) return typed.charAt(0).toUpperCase() + typed.slice(1);
    }
  };
  const applicable = (r: SyntheticRecord, error: DuplicateError): boolean => {
    const [, month, day] = r.birthDate.split('-').map(Number);
    switch (error) {
      case 'nickname': return (NICKNAMES[normalizeName(r.given)] ?? []).length > 0;
      case 'day-month-swapped': return day <= 12 && day !== month;
      case 'married-name': return r.sex === 'female' && REFERENCE_YEAR - Number(r.birthDate.slice(0, 4)) >= 20;
      case 'missing-ssn': return r.ssnHash != null;
      case 'missing-phone': return (r.phones ?? []).length > 0;
      default: return true;
    }
  };
  for (const original of everyone) {
    if (!chance(options.duplicateRate)) continue;
    const copies = chance(0.1) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const count = faker.helpers.weightedArrayElement([{ weight: 6, value: 1 }, { weight: 3, value: 2 }, { weight: 1, value: 3 }]);
      const errors = faker.helpers.arrayElements(DUPLICATE_ERRORS.filter((e) => applicable(original, e)), count);
      const duplicate: SyntheticRecord = {
        ...original, id: `R${nextRecord++}`, kind: 'duplicate', errors,
        previousFamilies: [...(original.previousFamilies ?? [])],
        // Background noise a second registration brings: a middle name or e-mail left out, a second phone not given.
        middle: chance(0.3) ? null : original.middle,
        email: chance(0.3) ? null : original.email,
        phones: (original.phones ?? []).slice(0, chance(0.5) ? 1 : 2),
      };
      for (const error of errors) {
        const [year, month, day] = duplicate.birthDate.split('-');
        switch (error) {
          case 'given-typo': duplicate.given = typo(duplicate.given); break;
          case 'family-typo': duplicate.family = typo(duplicate.family); break;
          case 'nickname': {
            const nickname = faker.helpers.arrayElement(NICKNAMES[normalizeName(original.given)]);
            duplicate.given = nickname.charAt(0) + nickname.slice(1).toLowerCase();
            break;
          }
          case 'day-month-swapped': duplicate.birthDate = `${year}-${day}-${month}`; break;
          case 'married-name': {
            const married = familyName();
            if (chance(0.5)) {
              // Registered again after marrying, and told the clerk her maiden name.
              duplicate.previousFamilies = [duplicate.family];
              duplicate.family = married;
            } else {
              // The first record was updated at marriage; the second was registered under the old name.
              original.previousFamilies = [...(original.previousFamilies ?? []), original.family];
              original.family = married;
              duplicate.previousFamilies = [];
            }
            break;
          }
          case 'moved': Object.assign(duplicate, home()); break;
          case 'missing-ssn': Object.assign(duplicate, noSsn); break;
          case 'missing-phone': duplicate.phones = []; break;
        }
      }
      records.push(duplicate);
    }
  }
  return { records };
}

export interface MatchingEvaluation {
  pairsCompared: number;
  /** Pairs of one person's records, among all pairs (compared or not): how many there are to find. */
  samePersonPairs: number;
  /** At `probable` or better. */
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  /** Pairs of two people (twins, parent and child, siblings, namesakes) graded certain: must be none. */
  lookAlikesGradedCertain: number;
  /** Compared pairs by grade, split into one person and two people. */
  byGrade: Record<MatchGrade | 'none', { samePerson: number; differentPeople: number }>;
  /** Same-person pairs below `probable`, by the errors planted in the duplicate, for tuning. */
  missedByError: Partial<Record<DuplicateError | 'not-compared', number>>;
}

/** How a record is blocked: pairs sharing any key are compared. */
function blockingKeys(r: SyntheticRecord): string[] {
  const [year, month, day] = r.birthDate.split('-');
  const keys = [
    `family:${phoneticKey(r.family)}`,
    `born:${year}-${[month, day].sort().join('-')}`,
    `given:${canonicalGivenName(r.given)}:${year}`,
    ...(r.previousFamilies ?? []).map((f) => `family:${phoneticKey(f)}`),
    ...(r.phones ?? []).map((p) => `phone:${p}`),
  ];
  if (r.ssnHash) keys.push(`ssn:${r.ssnHash}`);
  return keys;
}

/**
 * Compares every pair that shares a blocking key (family-name sound, birth date with day and month
 * in either order, canonical given name and birth year, a phone, an SSN) and counts how the grades
 * line up with the truth, at `probable` or better.
 */
export function evaluateMatching(
  records: SyntheticRecord[],
  compare: (a: MatchRecord, b: MatchRecord) => MatchResult = compareRecords,
): MatchingEvaluation {
  const blocks = new Map<string, number[]>();
  records.forEach((r, i) => {
    for (const key of new Set(blockingKeys(r))) {
      const block = blocks.get(key);
      if (block) block.push(i);
      else blocks.set(key, [i]);
    }
  });
  const pairs = new Set<number>();
  const n = records.length;
  for (const block of blocks.values()) {
    for (let x = 0; x < block.length; x++) for (let y = x + 1; y < block.length; y++) pairs.add(block[x] * n + block[y]);
  }

  const byGrade: MatchingEvaluation['byGrade'] = {
    certain: { samePerson: 0, differentPeople: 0 }, probable: { samePerson: 0, differentPeople: 0 },
    possible: { samePerson: 0, differentPeople: 0 }, none: { samePerson: 0, differentPeople: 0 },
  };
  const missedByError: MatchingEvaluation['missedByError'] = {};
  const miss = (key: DuplicateError | 'not-compared') => (missedByError[key] = (missedByError[key] ?? 0) + 1);
  const found = new Set<number>();
  let truePositives = 0;
  let falsePositives = 0;
  let lookAlikesGradedCertain = 0;
  for (const pair of pairs) {
    const a = records[Math.floor(pair / n)];
    const b = records[pair % n];
    const samePerson = a.personId === b.personId;
    const { grade } = compare(a, b);
    byGrade[grade ?? 'none'][samePerson ? 'samePerson' : 'differentPeople'] += 1;
    if (!samePerson && grade === 'certain') lookAlikesGradedCertain += 1;
    if (isGradeAtLeast(grade, 'probable')) {
      if (samePerson) truePositives += 1;
      else falsePositives += 1;
    }
    if (samePerson) {
      found.add(pair);
      if (!isGradeAtLeast(grade, 'probable')) for (const e of [...(a.errors ?? []), ...(b.errors ?? [])]) miss(e);
    }
  }

  const byPerson = new Map<string, number[]>();
  records.forEach((r, i) => byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), i]));
  let samePersonPairs = 0;
  for (const indexes of byPerson.values()) {
    for (let x = 0; x < indexes.length; x++) {
      for (let y = x + 1; y < indexes.length; y++) {
        samePersonPairs += 1;
        if (!found.has(indexes[x] * n + indexes[y])) miss('not-compared');
      }
    }
  }
  const falseNegatives = samePersonPairs - truePositives;
  return {
    pairsCompared: pairs.size, samePersonPairs, truePositives, falsePositives, falseNegatives,
    precision: truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives),
    recall: samePersonPairs === 0 ? 1 : truePositives / samePersonPairs,
    lookAlikesGradedCertain, byGrade, missedByError,
  };
}
