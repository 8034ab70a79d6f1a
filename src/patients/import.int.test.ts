import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestChartroom, type TestChartroom } from '../../test/support/chartroom.js';
import { importPatients, type ImportOptions } from './import.js';
import { CSV_COLUMNS } from './import-csv.js';
import type { DomainError } from '../platform/errors.js';
import { FHIR_EXAMPLES, SYNTHEA_R4 } from '../../test/support/testdata.js';

const ACTOR = { type: 'system' as const, name: 'cli:import-test' };

const SYNTHEA = SYNTHEA_R4;
const OTHER_HOSPITAL = 'urn:oid:2.16.840.1.113883.3.7771';

/** A CSV in the documented layout; each row gives only the columns it is about. */
function csvFile(ctx: TestChartroom, name: string, rows: Partial<Record<(typeof CSV_COLUMNS)[number], string>>[]): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => quote(r[c] ?? '')).join(','))];
  const file = join(ctx.dataDir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function ndjsonFile(ctx: TestChartroom, name: string, resources: unknown[]): string {
  const file = join(ctx.dataDir, name);
  writeFileSync(file, resources.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return file;
}

/** The rejects report as [line, field] pairs. */
function rejectsOf(file: string): [number, string][] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  expect(header).toBe('line,field,message');
  return lines.map((l) => {
    const [line, field] = l.split(',');
    return [Number(line), field];
  });
}

async function tally(ctx: TestChartroom) {
  const count = async (table: 'patients' | 'patientVersions' | 'patientNames') =>
    Number((await ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const creates = await ctx.db
    .selectFrom('auditEvents')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', 'create')
    .where('recordType', '=', 'patient')
    .executeTakeFirstOrThrow();
  return { patients: await count('patients'), versions: await count('patientVersions'), creates: Number(creates.n) };
}

const importFile = (ctx: TestChartroom, file: string, options: ImportOptions = {}) => importPatients(ctx, ACTOR, file, options);

for (const dialect of DIALECTS) {
  describe(`${dialect}: importing patients`, () => {
    const ctx = useTestChartroom(dialect);

    it('imports the Synthea patients from FHIR NDJSON, each with its create audit event and version 1', async () => {
      const patients = readdirSync(SYNTHEA)
        .map((f) => JSON.parse(readFileSync(join(SYNTHEA, f), 'utf8')) as { entry?: { resource: { resourceType: string } }[] })
        .flatMap((bundle) => (bundle.entry ?? []).map((e) => e.resource).filter((r) => r.resourceType === 'Patient'));
      expect(patients.length).toBeGreaterThanOrEqual(4);
      const before = await tally(ctx());
      const summary = await importFile(ctx(), ndjsonFile(ctx(), 'synthea.ndjson', patients));
      expect(summary).toMatchObject({ format: 'ndjson', imported: patients.length, rejected: 0 });
      const after = await tally(ctx());
      expect(after.patients - before.patients).toBe(patients.length);
      expect(after.creates - before.creates).toBe(patients.length);
      expect(after.versions - before.versions).toBe(patients.length);
      expect(rejectsOf(summary.rejectsFile)).toEqual([]);
    });

    it('imports the official FHIR Patient examples, rejecting with the FHIR element only those Chartroom cannot register', async () => {
      const examples = readdirSync(FHIR_EXAMPLES)
        .filter((f) => /^(patient-|uscore-Patient).*\.json$/.test(f))
        .sort()
        .map((name) => ({ name, resource: JSON.parse(readFileSync(join(FHIR_EXAMPLES, name), 'utf8')) as { resourceType: string } }))
        .filter((e) => e.resource.resourceType === 'Patient'); // patient-examples-general.json is a Bundle
      const resources = examples.map((e) => e.resource);
      const file = ndjsonFile(ctx(), 'examples.ndjson', resources);
      const before = await tally(ctx());
      const summary = await importFile(ctx(), file);
      expect(summary.imported + summary.rejected).toBe(resources.length);
      expect(summary.imported).toBeGreaterThanOrEqual(10);
      const after = await tally(ctx());
      expect(after.patients - before.patients).toBe(summary.imported);
      expect(after.creates - before.creates).toBe(summary.imported);

      const rejects = rejectsOf(summary.rejectsFile);
      expect(new Set(rejects.map(([line]) => line)).size).toBe(summary.rejected);
      for (const [, field] of rejects) expect(field).toMatch(/^Patient\b|^resourceType$/);
      const lineOf = (name: string) => examples.findIndex((e) => e.name === name) + 1;
      expect(rejects).toContainEqual([lineOf('patient-example-animal.json'), 'Patient.extension[0]']);
      expect(rejects.map(([line]) => line)).not.toContain(lineOf('patient-example.json'));
      const chalmers = await ctx().db.selectFrom('patients').select(['given', 'birthDate']).where('family', '=', 'Chalmers').execute();
      expect(chalmers).toContainEqual({ given: 'Peter', birthDate: '1974-12-25' });
    });

    it('imports a CSV except the rows at fault, whose lines and columns are in the rejects report without their values', async () => {
      const file = csvFile(ctx(), 'clinic.csv', [
        /* line 2 */ { given: 'Maria', family: 'Quintero', birth_date: '1984-03-09', sex: 'female', ssn: '219-09-9998', phone: '(617) 555-0101', phone_use: 'mobile', email: 'm.quintero@example.org', address_line1: '4 Elm St', city: 'Boston', state: 'MA', postal_code: '02118', language: 'es', race: '2106-3;2054-5', ethnicity: '2135-2', marital_status: 'M', other_mrn: 'Q-1001', other_mrn_system: OTHER_HOSPITAL },
        /* line 3 */ { given: 'Badday', family: 'Feb', birth_date: '1990-02-30', sex: 'male' },
        /* line 4 */ { given: 'Notyet', family: 'Born', birth_date: '2031-01-01', sex: 'female' },
        /* line 5 */ { given: 'Never', family: 'Issued', birth_date: '1970-05-05', sex: 'male', ssn: '000-12-3456' },
        /* line 6 */ { given: 'Nofamily', birth_date: '1970-05-05', sex: 'male' },
        /* line 7 */ { given: 'Oddsex', family: 'Value', birth_date: '1970-05-05', sex: 'X' },
        /* line 8 */ { given: 'Tomas', middle: 'J', family: 'Quintero', suffix: 'Jr', birth_date: '2010-11-30', sex: 'M' },
        /* line 9 */ { given: 'Ana', family: 'Li, Smith', birth_date: '1999-01-01', sex: 'unknown', address_line1: '1 "The" Close', city: 'Leeds', country: 'GB', postal_code: 'LS1 4AP' },
      ]);
      const before = await tally(ctx());
      const summary = await importFile(ctx(), file);
      expect(summary).toMatchObject({ format: 'csv', imported: 3, rejected: 5, rejectsFile: `${file}.rejects.csv` });
      expect(rejectsOf(summary.rejectsFile)).toEqual([[3, 'birth_date'], [4, 'birth_date'], [5, 'ssn'], [6, 'family'], [7, 'sex']]);
      const report = readFileSync(summary.rejectsFile, 'utf8');
      for (const value of ['Badday', '1990-02-30', '2031-01-01', '000-12-3456', 'Nofamily', 'Oddsex']) expect(report).not.toContain(value);

      const after = await tally(ctx());
      expect(after.patients - before.patients).toBe(3);
      expect(after.creates - before.creates).toBe(3);
      expect(after.versions - before.versions).toBe(3);
      const imported = await ctx().db.selectFrom('patients').select(['given', 'family', 'sex', 'ssnLast4']).where('given', 'in', ['Maria', 'Tomas', 'Ana', 'Badday', 'Notyet', 'Never', 'Nofamily', 'Oddsex']).orderBy('given').execute();
      expect(imported).toEqual([
        { given: 'Ana', family: 'Li, Smith', sex: 'unknown', ssnLast4: null },
        { given: 'Maria', family: 'Quintero', sex: 'female', ssnLast4: '9998' },
        { given: 'Tomas', family: 'Quintero', sex: 'male', ssnLast4: null },
      ]);
    });

    it('rejects alone a row whose identifier another patient has, and imports the rest of its batch', async () => {
      const row = (given: string, otherMrn?: string) => ({ given, family: 'Batchmate', birth_date: '1961-07-14', sex: 'female', ...(otherMrn ? { other_mrn: otherMrn, other_mrn_system: OTHER_HOSPITAL } : {}) });
      const first = await importFile(ctx(), csvFile(ctx(), 'first.csv', [row('Holder', 'H-100')]));
      expect(first.imported).toBe(1);

      const before = await tally(ctx());
      const summary = await importFile(ctx(), csvFile(ctx(), 'second.csv', [
        /* line 2 */ row('Alpha', 'H-101'),
        /* line 3 */ row('Bravo', 'H-100'), // taken by Holder
        /* line 4 */ row('Charlie'),
        /* line 5 */ row('Delta', 'H-102'),
        /* line 6 */ row('Echo', 'H-102'), // taken by Delta, earlier in the same file
        /* line 7 */ row('Foxtrot', 'H-103'),
      ]), { batchSize: 10 });
      expect(summary).toMatchObject({ imported: 4, rejected: 2 });
      expect(rejectsOf(summary.rejectsFile)).toEqual([[3, 'other_mrn'], [6, 'other_mrn']]);
      const after = await tally(ctx());
      expect(after.patients - before.patients).toBe(4);
      expect(after.creates - before.creates).toBe(4);
      expect(after.versions - before.versions).toBe(4);
      // Nothing of the rejected rows was written: no names, no identifiers, no versions.
      const names = await ctx().db.selectFrom('patients').select('given').where('family', '=', 'Batchmate').orderBy('given').execute();
      expect(names.map((n) => n.given)).toEqual(['Alpha', 'Charlie', 'Delta', 'Foxtrot', 'Holder']);
      const holders = await ctx().db.selectFrom('patientIdentifiers').select('patientId').where('system', '=', OTHER_HOSPITAL).where('value', 'in', ['H-100', 'H-102']).execute();
      expect(holders).toHaveLength(2);
      const orphans = await ctx().db
        .selectFrom('patientNames as n')
        .leftJoin('patients as p', 'p.id', 'n.patientId')
        .select('n.id')
        .where('p.id', 'is', null)
        .execute();
      expect(orphans).toEqual([]);
    });

    it('queues suspected duplicates of the index with --check-duplicates, and says so in the audit event', async () => {
      const person = { family: 'Okonkwo', birth_date: '1948-02-17', sex: 'male', ssn: '219-09-9997', phone: '207-555-0199', postal_code: '04101', address_line1: '9 Pine Rd', city: 'Portland', state: 'ME' };
      await importFile(ctx(), csvFile(ctx(), 'existing.csv', [{ ...person, given: 'Chinedu' }]));
      const summary = await importFile(ctx(), csvFile(ctx(), 'again.csv', [{ ...person, given: 'Chinedu' }, { given: 'Unrelated', family: 'Person', birth_date: '2001-09-09', sex: 'female' }]), { checkDuplicates: true });
      expect(summary).toMatchObject({ imported: 2, rejected: 0 });
      expect(summary.duplicatesQueued).toBe(1);
      const queued = await ctx().db.selectFrom('duplicateCandidates').selectAll().where('foundBy', '=', 'import').execute();
      expect(queued).toHaveLength(1);
      const events = await ctx().db.selectFrom('auditEvents').select('details').where('action', '=', 'create').where('patientId', 'in', [queued[0].patientA, queued[0].patientB]).execute();
      expect(events.map((e) => JSON.parse(e.details ?? '{}'))).toContainEqual({ via: 'import', duplicatesSuspected: 1 });
    });

    it('stops after the batch in hand when asked, having imported every line up to the last one read', async () => {
      const rows = Array.from({ length: 40 }, (_, i) => ({ given: `Stopper${i}`, family: 'Halt', birth_date: '1977-03-03', sex: 'male' }));
      const stop = new AbortController();
      const before = await tally(ctx());
      const summary = await importFile(ctx(), csvFile(ctx(), 'long.csv', rows), { batchSize: 5, signal: stop.signal, onProgress: () => stop.abort() });
      expect(summary.stoppedEarly).toBe(true);
      expect(summary.imported).toBe(summary.lastLine - 1);
      expect(summary.imported).toBeLessThan(40);
      const after = await tally(ctx());
      expect(after.patients - before.patients).toBe(summary.imported);
      expect(after.creates - before.creates).toBe(summary.imported);
    });

    it('refuses a CSV with an unknown column before importing anything, naming the column', async () => {
      const file = join(ctx().dataDir, 'colours.csv');
      writeFileSync(file, 'given,family,birth_date,sex,favourite_colour\nJo,March,1990-01-01,female,green\n');
      const before = await tally(ctx());
      const refused = (await importFile(ctx(), file).catch((e: unknown) => e)) as DomainError;
      expect(refused.code).toBe('import.csv-header');
      expect(refused.detail).toContain('"favourite_colour"');
      expect(await tally(ctx())).toEqual(before);
      expect(existsSync(`${file}.rejects.csv`)).toBe(false);
    });
  });
}
