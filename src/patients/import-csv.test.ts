import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSV_COLUMNS, checkCsvHeader, csvColumnOf, demographicsFromCsvRow, type CsvColumn } from './import-csv.js';

const TODAY = '2026-11-25';
const base = { given: 'Ruth', family: 'Asante', birth_date: '1952-08-01', sex: 'female' };
const problemsOf = (cells: Partial<Record<CsvColumn, string>>) => {
  const result = demographicsFromCsvRow(cells, TODAY);
  return result.ok ? [] : result.problems;
};

describe('the CSV import layout', () => {
  it('names unknown, missing and repeated columns of a header', () => {
    expect(checkCsvHeader(['given', 'family', 'dob', 'sex', 'sex'])).toEqual({ unknown: ['dob'], missing: ['birth_date'], repeated: ['sex'] });
    expect(checkCsvHeader([...CSV_COLUMNS])).toEqual({ unknown: [], missing: [], repeated: [] });
  });

  it('reads every documented column into the registration demographics', () => {
    const result = demographicsFromCsvRow({
      ...base, middle: 'A', suffix: 'Sr', ssn: '219-09-9996', phone: '617 555 0100', phone_use: 'Work', email: 'ruth@example.org',
      address_line1: '2 Hill Rd', address_line2: 'Apt 3', city: 'Salem', state: 'MA', postal_code: '01970', country: 'us',
      language: 'tw', race: ' 2054-5 ; 2106-3 ', ethnicity: '2186-5', marital_status: 'W', other_mrn: 'X9', other_mrn_system: 'urn:oid:1.2.3',
    }, TODAY);
    expect(result).toMatchObject({
      ok: true,
      demographics: {
        given: 'Ruth', middle: 'A', family: 'Asante', suffix: 'Sr', birthDate: '1952-08-01', sex: 'female', ssn: '219099996',
        phones: [{ use: 'work', number: '617 555 0100' }], email: 'ruth@example.org',
        addresses: [{ use: 'home', line1: '2 Hill Rd', line2: 'Apt 3', city: 'Salem', state: 'MA', postalCode: '01970', country: 'US' }],
        language: 'tw', race: ['2054-5', '2106-3'], ethnicity: '2186-5', maritalStatus: 'W',
        identifiers: [{ system: 'urn:oid:1.2.3', value: 'X9', type: 'MR' }],
      },
    });
  });

  it('takes the HL7 v2 sex letters as well as the FHIR codes', () => {
    for (const [cell, sex] of [['F', 'female'], ['m', 'male'], ['O', 'other'], ['U', 'unknown'], ['Male', 'male']]) {
      expect(demographicsFromCsvRow({ ...base, sex: cell }, TODAY)).toMatchObject({ ok: true, demographics: { sex } });
    }
  });

  it.each([
    [{ birth_date: '1990-02-30' }, 'birth_date'],
    [{ birth_date: '03/04/1990' }, 'birth_date'],
    [{ birth_date: '2027-01-01' }, 'birth_date'],
    [{ ssn: '666-12-3456' }, 'ssn'],
    [{ family: '  ' }, 'family'],
    [{ sex: 'X' }, 'sex'],
    [{ phone: '555-01' }, 'phone'],
    [{ phone_use: 'mobile' }, 'phone'],
    [{ phone: '617-555-0100', phone_use: 'pager' }, 'phone_use'],
    [{ email: 'not-an-address' }, 'email'],
    [{ city: 'Salem' }, 'address_line1'],
    [{ address_line1: '1 Main St', city: 'Salem', postal_code: '0197' }, 'postal_code'],
    [{ race: '2106-3;martian' }, 'race'],
    [{ ethnicity: 'hispanic' }, 'ethnicity'],
    [{ marital_status: 'Z' }, 'marital_status'],
    [{ other_mrn: 'X9' }, 'other_mrn_system'],
    [{ other_mrn_system: 'urn:oid:1.2.3' }, 'other_mrn'],
  ] as [Partial<Record<CsvColumn, string>>, string][])('refuses %o naming the column %s', (cells, column) => {
    expect(problemsOf({ ...base, ...cells }).map((p) => p.field)).toContain(column);
  });

  it('says "Required." once for each required cell left empty', () => {
    expect(problemsOf({})).toEqual([
      { field: 'given', message: 'Required.' },
      { field: 'family', message: 'Required.' },
      { field: 'birth_date', message: 'Required.' },
      { field: 'sex', message: 'Required.' },
    ]);
  });

  it('maps nested schema paths back to their columns', () => {
    expect(csvColumnOf('addresses.0.postalCode')).toBe('postal_code');
    expect(csvColumnOf('race.1')).toBe('race');
    expect(csvColumnOf('identifiers.0.value')).toBe('other_mrn');
  });

  it('never quotes a cell in a problem, whatever the row holds (the report carries no PHI)', () => {
    const cell = fc.string({ minLength: 4, maxLength: 30 }).filter((s) => /[A-Za-z0-9]{4}/.test(s) && s.trim() === s);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...CSV_COLUMNS), cell), (cells) => {
        const problems = problemsOf(cells);
        for (const p of problems) {
          expect(CSV_COLUMNS as readonly string[]).toContain(p.field);
          for (const value of Object.values(cells)) if (value.length >= 6) expect(p.message).not.toContain(value);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('reading a CSV file', () => {
  it('numbers each row by the line it starts on, and reports malformed rows without their text', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readCsvPatients } = await import('./import-csv.js');
    const dir = mkdtempSync(join(tmpdir(), 'chartroom-csv-'));
    try {
      const file = join(dir, 'p.csv');
      const lines = [
        '\uFEFFgiven,family,birth_date,sex,address_line1,city',
        'Ada,Byron,1915-12-10,F,"12 St James\'s Sq',
        'Flat 2",London',
        '',
        'Bad,Row,1915-12-10,F',
        'Quote,"Sec"ret,1915-12-10,F,,',
        'Mary,Shelley,1997-08-30,F,,',
        'Open,"Secret,1997-08-30,F,,',
        'Percy,Shelley,1992-08-04,M,,',
      ];
      for (const eol of ['\n', '\r\n']) {
        writeFileSync(file, lines.join(eol) + eol);
        const rows = [];
        for await (const row of readCsvPatients(file, TODAY, { bytesRead: 0 })) rows.push(row);
        expect(rows.map((r) => [r.line, r.result.ok ? 'ok' : r.result.problems.map((p) => p.field).join()])).toEqual([
          [2, 'postal_code'], // the address has no ZIP code
          [5, '(row)'], // four cells
          [6, 'ok'], // a stray quote is taken as it is
          [7, 'ok'],
          [8, '(row)'], // the quote opened here is never closed: the rest of the file is this row
        ]);
        expect(JSON.stringify(rows.map((r) => !r.result.ok && r.result.problems))).not.toMatch(/Secret|Byron|Percy/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
