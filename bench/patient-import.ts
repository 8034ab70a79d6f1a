import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Faker, base, en } from '@faker-js/faker';
import { importPatients } from '../src/patients/import.js';
import { formatNumber, printRow, type BenchOptions, type BenchResult, type Benchmark, type Row } from './report.js';
import { countAuditEvents, openBenchChartroom, verifyChain } from './support.js';

export const IMPORT_TARGET = 20_000;
export const IMPORT_SEED = 20261125;

const RACE_CODES = [['2106-3', 'White'], ['2054-5', 'Black or African American'], ['2028-9', 'Asian'], ['1002-5', 'American Indian or Alaska Native']] as const;
const ETHNICITY_CODES = [['2186-5', 'Not Hispanic or Latino'], ['2135-2', 'Hispanic or Latino']] as const;
const LANGUAGES = ['en', 'en', 'en', 'en', 'es', 'es', 'zh', 'vi', 'pt', 'ht'];
const MARITAL = ['M', 'S', 'D', 'W', 'M', 'S'];
const OTHER_HOSPITAL = 'urn:oid:2.16.840.1.113883.3.19901';
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';

/**
 * Writes `count` synthetic US Core Patients, one a line, as a bulk-data export would: names, sex,
 * birth date, phones, e-mail, a home address, race and ethnicity, language, marital status, an SSN
 * (most) and another hospital's MRN (half). Seeded, so every run imports the same file.
 */
export async function writeSyntheticPatients(file: string, count: number, seed = IMPORT_SEED): Promise<void> {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  const out = createWriteStream(file);
  const digits = (n: number) => faker.string.numeric({ length: n, allowLeadingZeros: true });
  // Pools of the slower faker values, drawn from per patient: a tenth of the generation time.
  const pool = <T>(size: number, make: () => T) => Array.from({ length: size }, make);
  const families = pool(20_000, () => faker.person.lastName());
  const streets = pool(20_000, () => faker.location.streetAddress());
  const cities = pool(5_000, () => faker.location.city());
  const mailDomains = pool(50, () => faker.internet.domainName());
  let text = '';
  for (let i = 0; i < count; i++) {
    const sex = faker.helpers.arrayElement(['female', 'male'] as const);
    const birth = faker.date.birthdate({ mode: 'age', min: 0, max: 100, refDate: '2026-01-01T00:00:00Z' }).toISOString().slice(0, 10);
    const race = faker.helpers.arrayElement(RACE_CODES);
    const ethnicity = faker.helpers.arrayElement(ETHNICITY_CODES);
    const identifier: object[] = [];
    if (faker.number.float() < 0.8) {
      const ssn = `${faker.number.int({ min: 1, max: 665 }).toString().padStart(3, '0')}-${faker.number.int({ min: 1, max: 99 }).toString().padStart(2, '0')}-${faker.number.int({ min: 1, max: 9999 }).toString().padStart(4, '0')}`;
      identifier.push({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SS' }] }, system: 'http://hl7.org/fhir/sid/us-ssn', value: ssn });
    }
    if (i % 2 === 0) identifier.push({ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: OTHER_HOSPITAL, value: `H${i.toString().padStart(8, '0')}` });
    const family = faker.helpers.arrayElement(families);
    const given = faker.person.firstName(sex);
    const patient = {
      resourceType: 'Patient',
      meta: { profile: [`${US_CORE}/us-core-patient`] },
      extension: [
        { url: `${US_CORE}/us-core-race`, extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: race[0], display: race[1] } }, { url: 'text', valueString: race[1] }] },
        { url: `${US_CORE}/us-core-ethnicity`, extension: [{ url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: ethnicity[0], display: ethnicity[1] } }, { url: 'text', valueString: ethnicity[1] }] },
      ],
      identifier,
      name: [{ use: 'official', family, given: [given, ...(faker.number.float() < 0.5 ? [faker.person.middleName(sex)] : [])] }],
      telecom: [
        { system: 'phone', value: `(${faker.number.int({ min: 201, max: 989 })}) 555-${digits(4)}`, use: faker.helpers.arrayElement(['home', 'mobile']) },
        ...(faker.number.float() < 0.6 ? [{ system: 'email', value: `${given}.${family}${digits(3)}@${faker.helpers.arrayElement(mailDomains)}`.toLowerCase().replace(/[^a-z0-9.@-]/g, '') }] : []),
      ],
      gender: sex,
      birthDate: birth,
      address: [{ use: 'home', line: [faker.helpers.arrayElement(streets)], city: faker.helpers.arrayElement(cities), state: faker.location.state({ abbreviated: true }), postalCode: faker.location.zipCode('#####'), country: 'US' }],
      maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: faker.helpers.arrayElement(MARITAL) }] },
      communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: faker.helpers.arrayElement(LANGUAGES) }] }, preferred: true }],
    };
    text += JSON.stringify(patient) + '\n';
    if (text.length > 1 << 20 || i === count - 1) {
      if (!out.write(text)) await once(out, 'drain');
      text = '';
    }
  }
  out.end();
  await once(out, 'close');
}

/** One file per size for the whole run: both dialects import the same patients. Removed at exit. */
const files = new Map<number, Promise<string>>();
let filesDir: string | undefined;
function syntheticFile(count: number, log: (line: string) => void): Promise<string> {
  let file = files.get(count);
  if (!file) {
    if (!filesDir) {
      const dir = mkdtempSync(join(tmpdir(), 'chartroom-bench-import-'));
      filesDir = dir;
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    }
    const path = join(filesDir, `patients-${count}.ndjson`);
    file = (async () => {
      const started = performance.now();
      await writeSyntheticPatients(path, count);
      log(`generated ${formatNumber(count)} FHIR Patients (${formatNumber(statSync(path).size / 2 ** 20)} MiB NDJSON, faker seed ${IMPORT_SEED}) in ${((performance.now() - started) / 1000).toFixed(1)} s - not timed`);
      return path;
    })();
    files.set(count, file);
  }
  return file;
}

async function run({ dialect, quick, log }: BenchOptions): Promise<BenchResult> {
  const count = quick ? 100_000 : 1_000_000;
  // The import stops at the cap (after the batch in hand) so the whole run keeps to its budget;
  // the figure then stands for the size reached, which is printed.
  const capSeconds = quick ? (dialect === 'sqlite' ? 45 : 30) : dialect === 'sqlite' ? 130 : 80;
  const rows: Row[] = [];
  const problems: string[] = [];
  const file = await syntheticFile(count, log);
  const ctx = await openBenchChartroom(dialect);
  try {
    log(`importing up to ${formatNumber(count)} patients (cap ${capSeconds} s): importPatients(ctx, actor, file) in-process - the command's code path without process start-up and the progress bar`);
    let reported = 0;
    const started = performance.now();
    let segmentStart = started;
    const summary = await importPatients(ctx, { type: 'system', name: 'cli:bench' }, file, {
      rejectsFile: join(ctx.dataDir, 'rejects.csv'),
      signal: AbortSignal.timeout(capSeconds * 1000),
      onProgress: (p) => {
        if (p.imported - reported >= count / 10) {
          const now = performance.now();
          // The rate falls as the indexes grow: each segment's own rate shows how.
          log(`  ${formatNumber(p.imported)} imported after ${((now - started) / 1000).toFixed(0)} s (${formatNumber((p.imported - reported) / ((now - segmentStart) / 1000))} patients/s over the last ${formatNumber(p.imported - reported)})`);
          reported = p.imported;
          segmentStart = now;
        }
      },
    });
    const row: Row = {
      name: 'patient-import NDJSON',
      dialect,
      figure: summary.imported / summary.seconds,
      unit: 'patients/s',
      target: IMPORT_TARGET,
      note:
        `${formatNumber(summary.imported)} of ${formatNumber(count)} patients in ${summary.seconds.toFixed(1)} s` +
        `${summary.stoppedEarly ? ` (stopped by the ${capSeconds} s cap)` : ''}, batches of 1,000, one transaction each with its audit events`,
    };
    rows.push(row);
    printRow(row, log);

    const patients = Number((await ctx.db.selectFrom('patients').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
    const events = await countAuditEvents(ctx);
    if (summary.rejected > 0) problems.push(`patient-import [${dialect}]: ${summary.rejected} synthetic patients were rejected (see the first lines of the rejects report)`);
    if (patients !== summary.imported) problems.push(`patient-import [${dialect}]: ${summary.imported} imported but ${patients} patients stored`);
    if (events !== summary.imported) problems.push(`patient-import [${dialect}]: ${summary.imported} imported but ${events} audit events stored`);
    const verdict = await verifyChain(ctx);
    if (!verdict.ok) problems.push(`patient-import [${dialect}]: the audit chain does not verify: ${verdict.problem}`);
    log(`check: ${formatNumber(patients)} patients stored, ${formatNumber(events)} create events, chain ${verdict.ok ? 'verifies' : 'BROKEN'}, ${summary.rejected} rejected`);
  } finally {
    await ctx.close();
  }
  return { rows, problems };
}

export const patientImport: Benchmark = {
  name: 'patient-import',
  summary: `import synthetic FHIR Patients from NDJSON (target ${formatNumber(IMPORT_TARGET)} patients/s, SQLite, 1,000,000 patients)`,
  run,
};
