/**
 * A synthetic master patient index of N patients, filled quickly, for the patient-index benchmarks.
 *
 * Realistic where it matters to an index: surnames repeat as in the US (Smith about 0.8% of people,
 * the 50 commonest about one person in nine, then a long tail), given names too (James, Mary, ...),
 * birth dates spread over a hospital's ages, most patients from a catchment of a few dozen ZIP codes
 * and area codes, phones, e-mails, some SSNs, a few maiden names, other facilities' MRNs, restricted
 * and VIP records. Seeded (faker.seed(INDEX_SEED)): every run fills the same index. No real person.
 *
 * Filled with the registration service's own bulk path, insertPatients(trx, ctx, actor, list), in
 * transactions of 1,000 with their `create` audit events, as `chartroom import patients` does.
 */
import { performance } from 'node:perf_hooks';
import type * as fhir4 from 'fhir/r4.js';
import { Faker, base, de, en, es, fr, it, nl, pl, vi } from '@faker-js/faker';
import type { AppContext } from '../src/context.js';
import type { AuditActor } from '../src/audit/actions.js';
import { recordAuditEvents } from '../src/audit/trail.js';
import type { Demographics } from '../src/patients/demographics.js';
import { insertPatients } from '../src/patients/registration.js';

export const INDEX_SEED = 20261125;
/** Births are counted back from this day, so the index does not change with the calendar. */
const REFERENCE_DAY = Date.UTC(2026, 0, 1) / 86_400_000;
export const FILL_BATCH = 1_000;
const OTHER_FACILITY = 'urn:oid:2.16.840.1.113883.3.19901';
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';

/** The 60 commonest US surnames, with their approximate frequency per 100,000 people (2010 census). */
const COMMON_SURNAMES: [string, number][] = [
  ['Smith', 828], ['Johnson', 655], ['Williams', 551], ['Brown', 487], ['Jones', 484], ['Garcia', 399], ['Miller', 394],
  ['Davis', 380], ['Rodriguez', 375], ['Martinez', 367], ['Hernandez', 363], ['Lopez', 302], ['Gonzalez', 284],
  ['Wilson', 263], ['Anderson', 262], ['Thomas', 254], ['Taylor', 249], ['Moore', 233], ['Jackson', 231], ['Martin', 226],
  ['Lee', 225], ['Perez', 222], ['Thompson', 221], ['White', 219], ['Harris', 193], ['Sanchez', 192], ['Clark', 182],
  ['Ramirez', 177], ['Lewis', 173], ['Robinson', 173], ['Walker', 163], ['Young', 151], ['Allen', 150], ['King', 149],
  ['Wright', 147], ['Scott', 145], ['Torres', 145], ['Nguyen', 142], ['Hill', 141], ['Flores', 141], ['Green', 141],
  ['Adams', 139], ['Nelson', 137], ['Baker', 135], ['Hall', 133], ['Rivera', 132], ['Campbell', 126], ['Mitchell', 125],
  ['Carter', 124], ['Roberts', 124], ['Gomez', 122], ['Phillips', 120], ['Evans', 118], ['Turner', 117], ['Diaz', 116],
  ['Parker', 114], ['Cruz', 113], ['Edwards', 113], ['Collins', 112], ['Reyes', 111],
];
/** The commonest given names of people alive in the US, weighted (per mille of their sex, roughly). */
const COMMON_GIVEN = {
  male: [
    ['James', 33], ['Robert', 31], ['John', 30], ['Michael', 26], ['David', 23], ['William', 23], ['Richard', 17], ['Charles', 13],
    ['Joseph', 14], ['Thomas', 13], ['Christopher', 10], ['Daniel', 10], ['Matthew', 8], ['Anthony', 7], ['Mark', 7], ['Donald', 6],
    ['Steven', 6], ['Paul', 6], ['Andrew', 5], ['Joshua', 5], ['Kenneth', 5], ['Kevin', 5], ['Brian', 5], ['George', 5],
    ['Ronald', 5], ['Timothy', 4], ['Edward', 4], ['Jason', 4], ['Jeffrey', 4], ['Ryan', 3],
  ] as [string, number][],
  female: [
    ['Mary', 26], ['Patricia', 11], ['Jennifer', 10], ['Linda', 10], ['Elizabeth', 9], ['Barbara', 9], ['Susan', 8], ['Karen', 7],
    ['Jessica', 7], ['Sarah', 6], ['Lisa', 6], ['Nancy', 6], ['Betty', 5], ['Margaret', 5], ['Sandra', 5], ['Ashley', 5],
    ['Kimberly', 5], ['Emily', 4], ['Donna', 4], ['Michelle', 4], ['Carol', 4], ['Amanda', 4], ['Dorothy', 4], ['Melissa', 4],
    ['Deborah', 4], ['Stephanie', 3], ['Rebecca', 3], ['Sharon', 3], ['Laura', 3], ['Cynthia', 3],
  ] as [string, number][],
};
/** Ages by decade as a hospital sees them (more old people than the population has). */
const AGE_DECADES: [number, number][] = [[0, 11], [10, 8], [20, 10], [30, 12], [40, 11], [50, 12], [60, 14], [70, 12], [80, 7], [90, 3]];
const RACES = [['2106-3', 60], ['2054-5', 13], ['2028-9', 6], ['1002-5', 1], ['2076-8', 1], ['ASKU', 4], ['UNK', 15]] as const;
const LANGUAGES = [['en', 78], ['es', 13], ['zh', 2], ['vi', 2], ['pt', 1], ['ht', 1], ['ar', 1], ['ru', 1], ['fr', 1]] as const;
const MARITAL = [['M', 45], ['S', 33], ['D', 10], ['W', 6], ['UNK', 6]] as const;
const LOCAL_AREA_CODES = ['617', '781', '508'];

/** The issue's index size; the full run fills less when that would not fit the bench's time budget. */
export const ISSUE_INDEX_SIZE = 1_000_000;
/**
 * Patients in the index: 200,000 in the full run, 50,000 with --quick. Filling measured 2,750
 * patients/s on SQLite and 2,150 on PostgreSQL at 200,000 on the shared 2-core machine, slowing as
 * the index grows (SQLite's indexes outgrow its page cache): 1,000,000 would take 7-8 minutes per
 * dialect before a single search, where the whole `npm run bench` has about 15.
 */
export function indexSize(quick: boolean): number {
  return quick ? 50_000 : 200_000;
}

/** A patient of the index as the query mix uses it: what a clerk or an interface would search by. */
export interface SampledPatient {
  id: string;
  mrn: string;
  given: string;
  middle: string | null;
  family: string;
  birthDate: string;
  sex: Demographics['sex'];
  postalCode: string | null;
  phone: string | null;
  line1: string | null;
  city: string | null;
  state: string | null;
  /** A restricted record: withheld from $match for a records clerk. */
  restricted: boolean;
}

/** Picks from weighted values in O(log n), drawing from the seeded faker. */
function weighted<T>(faker: Faker, entries: readonly (readonly [T, number])[]): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of entries) cumulative.push((total += w));
  return () => {
    const x = faker.number.float({ max: total });
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return entries[lo][0];
  };
}

/** Names of Latin letters (accents allowed), as registration keys them; not "O'Conner-" fragments. */
const lettersOnly = (s: string) => /^\p{Script=Latin}[\p{Script=Latin}' -]*\p{Ll}$/u.test(s);

/**
 * Makes synthetic patients, one per call, deterministic for a seed. `ssnOffset` keeps the SSNs of
 * two generators apart (SSNs are a bijection of the patient's number, so none repeats within one).
 */
export class SyntheticPatients {
  readonly #faker: Faker;
  readonly #chance: (p: number) => boolean;
  readonly #pick: <T>(list: readonly T[]) => T;
  readonly #surname: () => string;
  readonly #given: Record<'male' | 'female', () => string>;
  readonly #decade: () => number;
  readonly #race: () => string;
  readonly #language: () => string;
  readonly #marital: () => string;
  readonly #localZip: () => { zip: string; city: string; state: string };
  readonly #streets: string[];
  readonly #mailDomains: string[];
  readonly #middle: Record<'male' | 'female', string[]>;
  #count = 0;

  constructor(seed: number, private readonly ssnOffset = 0) {
    const faker = new Faker({ locale: [en, base] });
    faker.seed(seed);
    this.#faker = faker;
    this.#chance = (p) => faker.number.float() < p;
    this.#pick = <T>(list: readonly T[]) => list[faker.number.int(list.length - 1)];

    // Surnames: the commonest with their weights; then a middle tier (the surname lists of several
    // locales, some hundred people each in a million); then a long tail of rarer surnames made of a
    // start of one name and the end of another, a handful of people each.
    const personOf = (locale: typeof en) => locale.person as { last_name?: { generic?: string[] }; first_name?: Record<string, string[]>; middle_name?: Record<string, string[]> } | undefined;
    const middleTier = [...new Set([en, es, de, it, fr, pl, nl, vi].flatMap((l) => personOf(l)?.last_name?.generic ?? []))]
      .filter((n) => lettersOnly(n) && !COMMON_SURNAMES.some(([c]) => c === n));
    const starts = middleTier.filter((n) => n.length >= 5).map((n) => n.slice(0, 3 + (n.length % 3)));
    const ends = middleTier.filter((n) => n.length >= 5).map((n) => n.slice(-3 - (n.length % 2)).toLowerCase());
    const common = weighted(faker, COMMON_SURNAMES);
    const commonShare = COMMON_SURNAMES.reduce((s, [, w]) => s + w, 0) / 100_000;
    this.#surname = () => {
      const x = faker.number.float();
      if (x < commonShare) return common();
      if (x < commonShare + 0.3) return this.#pick(middleTier);
      return this.#pick(starts) + this.#pick(ends);
    };
    const firstNames = personOf(en)?.first_name ?? {};
    const givenOf = (sex: 'male' | 'female') => {
      const top = weighted(faker, COMMON_GIVEN[sex]);
      const rest = (firstNames[sex] ?? []).filter(lettersOnly);
      return () => (this.#chance(sex === 'male' ? 0.4 : 0.25) ? top() : this.#pick(rest));
    };
    this.#given = { male: givenOf('male'), female: givenOf('female') };
    this.#middle = {
      male: [...(personOf(en)?.middle_name?.male ?? []), ...(firstNames.male ?? []).slice(0, 300)].filter(lettersOnly),
      female: [...(personOf(en)?.middle_name?.female ?? []), ...(firstNames.female ?? []).slice(0, 300)].filter(lettersOnly),
    };
    this.#decade = weighted(faker, AGE_DECADES);
    this.#race = weighted(faker, RACES);
    this.#language = weighted(faker, LANGUAGES);
    this.#marital = weighted(faker, MARITAL);
    // The catchment: 60 ZIP codes around the hospital, a few much busier than others.
    const localZips = Array.from({ length: 60 }, (_, i) => ({
      zip: `02${(100 + i * 7).toString().padStart(3, '0')}`,
      city: faker.location.city(),
      state: 'MA',
    }));
    this.#localZip = weighted(faker, localZips.map((z, i) => [z, 1 / (i + 1)] as const));
    this.#streets = Array.from({ length: 20_000 }, () => faker.location.streetAddress());
    this.#mailDomains = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'icloud.com', 'aol.com', 'comcast.net', ...Array.from({ length: 20 }, () => faker.internet.domainName())];
  }

  /** The next patient. */
  next(): Demographics {
    const f = this.#faker;
    const n = this.#count++;
    const sexRoll = f.number.float();
    const sex: Demographics['sex'] = sexRoll < 0.51 ? 'female' : sexRoll < 0.998 ? 'male' : sexRoll < 0.999 ? 'other' : 'unknown';
    const nameSex = sex === 'male' ? 'male' : sex === 'female' ? 'female' : f.number.int(1) ? 'male' : 'female';
    const given = this.#given[nameSex]();
    const family = this.#surname();
    const age = this.#decade() + f.number.int(9);
    const birthDay = REFERENCE_DAY - Math.floor(age * 365.25) - f.number.int(364);
    const birthDate = new Date(birthDay * 86_400_000).toISOString().slice(0, 10);
    const local = this.#chance(0.8);
    const place = local ? this.#localZip() : { zip: f.string.numeric({ length: 5, allowLeadingZeros: true }).replace(/^0{5}$/, '10001'), city: f.location.city(), state: f.location.state({ abbreviated: true }) };
    const phone = (area: string) => `(${area}) ${f.number.int({ min: 200, max: 999 })}-${f.string.numeric({ length: 4, allowLeadingZeros: true })}`;
    const areaCode = () => (local && this.#chance(0.85) ? this.#pick(LOCAL_AREA_CODES) : String(f.number.int({ min: 201, max: 989 })).replace(/11$/, '12'));
    const phones: Demographics['phones'] = [];
    if (this.#chance(0.88)) phones.push({ use: this.#chance(0.6) ? 'mobile' : 'home', number: phone(areaCode()) });
    if (phones.length && this.#chance(0.2)) phones.push({ use: 'home', number: phone(areaCode()) });
    const adult = age >= 18;
    const previousNames: Demographics['previousNames'] = [];
    if (sex === 'female' && age >= 25 && this.#chance(0.08)) previousNames.push({ given: undefined, family: this.#surname() });
    const deceased = age >= 50 && this.#chance(0.03);
    return {
      given,
      middle: this.#chance(0.5) ? this.#pick(this.#middle[nameSex]) : undefined,
      family,
      suffix: nameSex === 'male' && this.#chance(0.02) ? this.#pick(['JR', 'SR', 'III']) : undefined,
      preferredName: undefined,
      previousNames,
      birthDate,
      deathDate: deceased ? new Date((REFERENCE_DAY - f.number.int({ min: 30, max: 3000 })) * 86_400_000).toISOString().slice(0, 10) : undefined,
      sex,
      race: [this.#race() as Demographics['race'][number]],
      ethnicity: this.#chance(0.18) ? '2135-2' : this.#chance(0.9) ? '2186-5' : 'UNK',
      language: this.#language(),
      interpreterNeeded: false,
      addresses: [{ use: 'home', line1: this.#pick(this.#streets), line2: undefined, city: place.city, state: place.state, postalCode: place.zip, country: 'US' }],
      phones,
      email: adult && this.#chance(0.45)
        ? `${given}.${family}${f.number.int(99)}@${this.#pick(this.#mailDomains)}`.toLowerCase().replace(/[^a-z0-9.@-]/g, '')
        : undefined,
      ssn: adult && this.#chance(0.55) ? this.#ssn(n) : undefined,
      maritalStatus: adult ? (this.#marital() as Demographics['maritalStatus']) : 'S',
      genderIdentity: undefined,
      sexualOrientation: undefined,
      tribalAffiliation: undefined,
      occupation: undefined,
      industry: undefined,
      primaryCareProvider: undefined,
      contacts: [],
      coverages: [],
      communication: { phone: true, email: false, text: false },
      flags: { vip: this.#chance(0.002), employee: this.#chance(0.01), restricted: this.#chance(0.003), doNotRelease: false },
      identifiers: this.#chance(0.1) ? [{ system: OTHER_FACILITY, value: `H${(this.ssnOffset + n).toString().padStart(9, '0')}`, type: 'MR' }] : [],
    };
  }

  /**
   * An SSN that is ever issued (area 001-665, group 01-99, serial 0001-9999), distinct for each
   * patient number: a multiplication by a prime modulo the count of such SSNs is a bijection.
   */
  #ssn(n: number): string {
    const areas = 665;
    const groups = 99;
    const serials = 9999;
    const x = Number((BigInt(n + this.ssnOffset + 1) * 2_654_435_761n) % BigInt(areas * groups * serials));
    const area = 1 + (x % areas);
    const group = 1 + (Math.floor(x / areas) % groups);
    const serial = 1 + Math.floor(x / (areas * groups));
    return `${area.toString().padStart(3, '0')}${group.toString().padStart(2, '0')}${serial.toString().padStart(4, '0')}`;
  }
}

/** A patient as a FHIR US Core Patient, as an interface would send it. */
export function fhirPatientOf(d: Demographics): fhir4.Patient {
  const identifier: fhir4.Identifier[] = [];
  if (d.ssn) identifier.push({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SS' }] }, system: 'http://hl7.org/fhir/sid/us-ssn', value: `${d.ssn.slice(0, 3)}-${d.ssn.slice(3, 5)}-${d.ssn.slice(5)}` });
  for (const i of d.identifiers) identifier.push({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: i.type }] }, system: i.system, value: i.value });
  const address = d.addresses[0];
  return {
    resourceType: 'Patient',
    meta: { profile: [`${US_CORE}/us-core-patient`] },
    ...(identifier.length ? { identifier } : {}),
    name: [{ use: 'official', family: d.family, given: [d.given, ...(d.middle ? [d.middle] : [])], ...(d.suffix ? { suffix: [d.suffix] } : {}) }],
    telecom: [
      ...d.phones.map((p): fhir4.ContactPoint => ({ system: 'phone', value: p.number, use: p.use === 'mobile' ? 'mobile' : 'home' })),
      ...(d.email ? [{ system: 'email' as const, value: d.email }] : []),
    ],
    gender: d.sex,
    birthDate: d.birthDate,
    ...(address ? { address: [{ use: 'home' as const, line: [address.line1], city: address.city, state: address.state, postalCode: address.postalCode, country: 'US' }] } : {}),
    ...(d.maritalStatus ? { maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: d.maritalStatus }] } } : {}),
    ...(d.language ? { communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: d.language }] }, preferred: true }] } : {}),
  };
}

export interface FilledIndex {
  patients: number;
  seconds: number;
  /** Every `sampleEvery`-th patient, for the benchmarks' query mix. */
  sample: SampledPatient[];
}

const BENCH_ACTOR: AuditActor = { type: 'system', name: 'bench:synthetic-index' };

/**
 * Fills the index with `count` synthetic patients: insertPatients in transactions of 1,000, each with
 * the patients' `create` audit events. On PostgreSQL the next batch is made while the last commits.
 */
export async function fillSyntheticIndex(
  ctx: AppContext,
  count: number,
  options: { sampleSize?: number; onProgress?: (done: number, seconds: number) => void } = {},
): Promise<FilledIndex> {
  const started = performance.now();
  const generator = new SyntheticPatients(INDEX_SEED);
  const sampleEvery = Math.max(1, Math.floor(count / (options.sampleSize ?? 2_000)));
  const sample: SampledPatient[] = [];
  let done = 0;
  let writing: Promise<void> | undefined;
  const write = async (offset: number, list: Demographics[]) => {
    const rows = await ctx.db.transaction().execute(async (trx) => {
      const inserted = await insertPatients(trx, ctx, BENCH_ACTOR, list);
      await recordAuditEvents(trx, inserted.map((row) => ({ actor: BENCH_ACTOR, action: 'create' as const, patientId: row.id, recordType: 'patient', recordId: row.id, details: { via: 'bench' } })), ctx.clock);
      return inserted;
    });
    rows.forEach((row, i) => {
      if ((offset + i) % sampleEvery !== sampleEvery >> 1) return;
      const d = list[i];
      const address = d.addresses[0];
      sample.push({
        id: row.id, mrn: row.mrn, given: d.given, middle: d.middle ?? null, family: d.family, birthDate: d.birthDate, sex: d.sex,
        postalCode: address?.postalCode ?? null, phone: d.phones[0]?.number ?? null, line1: address?.line1 ?? null, city: address?.city ?? null, state: address?.state ?? null,
        restricted: d.flags.restricted,
      });
    });
    done += rows.length;
    options.onProgress?.(done, (performance.now() - started) / 1000);
  };
  for (let offset = 0; offset < count; offset += FILL_BATCH) {
    const list = Array.from({ length: Math.min(FILL_BATCH, count - offset) }, () => generator.next());
    if (writing) await writing;
    writing = write(offset, list);
    writing.catch(() => undefined); // awaited before the next batch or at the end
  }
  await writing;
  return { patients: done, seconds: (performance.now() - started) / 1000, sample };
}
