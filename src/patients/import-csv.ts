import { createReadStream } from 'node:fs';
import { parse, type InfoRecord, type Options } from 'csv-parse';
import { invalid, type FieldError } from '../platform/errors.js';
import { Demographics, checkDates, type Sex } from './demographics.js';
import type { ReadPosition, RowResult, SourceRow } from './import.js';

/**
 * The patient import's CSV layout (docs/import.md): one patient a row, one column each, in any
 * order. Only these columns are allowed, so a misspelt column is an error rather than silently lost.
 */
export const CSV_COLUMNS = [
  'given', 'middle', 'family', 'suffix', 'birth_date', 'sex', 'ssn', 'phone', 'phone_use', 'email',
  'address_line1', 'address_line2', 'city', 'state', 'postal_code', 'country', 'language', 'race', 'ethnicity',
  'marital_status', 'other_mrn', 'other_mrn_system',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['given', 'family', 'birth_date', 'sex'];

/** Several OMB race codes share the race cell, separated by this. */
export const RACE_SEPARATOR = ';';

/** The header's problems: columns we do not know, required columns it lacks, columns it repeats. */
export function checkCsvHeader(header: string[]): { unknown: string[]; missing: CsvColumn[]; repeated: string[] } {
  const names = header.map((h) => h.trim());
  const known = new Set<string>(CSV_COLUMNS);
  return {
    unknown: names.filter((n) => !known.has(n)),
    missing: REQUIRED_CSV_COLUMNS.filter((c) => !names.includes(c)),
    repeated: [...new Set(names.filter((n, i) => names.indexOf(n) !== i))],
  };
}

/** HL7 v2 administrative sex letters (PID-8), which many exports use, and the FHIR codes themselves. */
const SEX_CODES: Record<string, Sex> = { f: 'female', m: 'male', o: 'other', u: 'unknown', female: 'female', male: 'male', other: 'other', unknown: 'unknown' };

/** Where each Demographics field comes from, so a problem is reported against the column the clerk can fix. */
const COLUMN_OF_FIELD: Record<string, CsvColumn> = {
  given: 'given', middle: 'middle', family: 'family', suffix: 'suffix', birthDate: 'birth_date', sex: 'sex', ssn: 'ssn',
  'phones.0.number': 'phone', 'phones.0.use': 'phone_use', email: 'email',
  'addresses.0.line1': 'address_line1', 'addresses.0.line2': 'address_line2', 'addresses.0.city': 'city',
  'addresses.0.state': 'state', 'addresses.0.postalCode': 'postal_code', 'addresses.0.country': 'country',
  language: 'language', race: 'race', ethnicity: 'ethnicity', maritalStatus: 'marital_status',
  'identifiers.0.value': 'other_mrn', 'identifiers.0.system': 'other_mrn_system',
};

/** The CSV column a Demographics field (a zod issue path such as `addresses.0.postalCode`) was read from. */
export function csvColumnOf(field: string): string {
  return COLUMN_OF_FIELD[field] ?? COLUMN_OF_FIELD[field.replace(/\.\d+$/, '')] ?? field;
}


/**
 * Reads one CSV row (cells by column name; a missing column reads as empty) into Demographics,
 * checked by the registration desk's own rules. Problems name the column and say what is wrong,
 * never the value: an import's report must carry no patient data.
 */
export function demographicsFromCsvRow(cells: Partial<Record<CsvColumn, string>>, today: string): RowResult {
  const cell = (c: CsvColumn): string | undefined => {
    const v = cells[c]?.trim();
    return v ? v : undefined;
  };
  const problems: FieldError[] = [];
  for (const c of REQUIRED_CSV_COLUMNS) if (!cell(c)) problems.push({ field: c, message: 'Required.' });

  const sexCell = cell('sex');
  const input: Record<string, unknown> = {
    given: cell('given') ?? '',
    middle: cell('middle'),
    family: cell('family') ?? '',
    suffix: cell('suffix'),
    birthDate: cell('birth_date') ?? '',
    sex: sexCell ? (SEX_CODES[sexCell.toLowerCase()] ?? sexCell) : '',
    ssn: cell('ssn'),
    email: cell('email'),
    language: cell('language'),
    race: cell('race')?.split(RACE_SEPARATOR).map((r) => r.trim()).filter(Boolean),
    ethnicity: cell('ethnicity'),
    maritalStatus: cell('marital_status'),
  };
  const phone = cell('phone');
  const phoneUse = cell('phone_use');
  if (phone) input.phones = [{ use: phoneUse?.toLowerCase() ?? 'home', number: phone }];
  else if (phoneUse) problems.push({ field: 'phone', message: 'Required when phone_use is given.' });

  const addressColumns = ['address_line1', 'address_line2', 'city', 'state', 'postal_code', 'country'] as const;
  if (addressColumns.some((c) => cell(c))) {
    input.addresses = [{
      use: 'home', line1: cell('address_line1') ?? '', line2: cell('address_line2'), city: cell('city') ?? '',
      state: cell('state'), postalCode: cell('postal_code'), country: cell('country'),
    }];
  }
  const otherMrn = cell('other_mrn');
  const otherSystem = cell('other_mrn_system');
  if (otherMrn && otherSystem) input.identifiers = [{ system: otherSystem, value: otherMrn, type: 'MR' }];
  else if (otherMrn) problems.push({ field: 'other_mrn_system', message: 'Required when other_mrn is given: the facility that assigned it.' });
  else if (otherSystem) problems.push({ field: 'other_mrn', message: 'Required when other_mrn_system is given.' });

  const parsed = Demographics.safeParse(input);
  if (parsed.success) {
    for (const p of checkDates(parsed.data, today)) problems.push({ field: csvColumnOf(p.field), message: p.message });
  } else {
    const reported = new Set(problems.map((p) => p.field));
    for (const issue of parsed.error.issues) {
      const field = csvColumnOf(issue.path.join('.'));
      // A required cell left empty is already reported as such; the schema's complaint adds nothing.
      if (reported.has(field) && REQUIRED_CSV_COLUMNS.includes(field as CsvColumn) && !cell(field as CsvColumn)) continue;
      problems.push({ field, message: issue.message });
    }
  }
  if (problems.length || !parsed.success) return { ok: false, problems };
  return { ok: true, demographics: parsed.data };
}

const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'Not valid CSV: a quoted cell is never closed.',
  CSV_INVALID_CLOSING_QUOTE: 'Not valid CSV: a quote inside a quoted cell must be doubled ("").',
};

/** Line breaks in a stretch of CSV: CRLF, LF or a lone CR each end one line. */
const lineBreaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * Streams a patient CSV file row by row. The header is checked first: an unknown, missing or
 * repeated column throws (import.csv-header) before any row is read. Each row is numbered by the
 * line it starts on (a quoted cell may span lines; blank lines are skipped but counted).
 */
export async function* readCsvPatients(file: string, today: string, position: ReadPosition): AsyncGenerator<SourceRow> {
  // Rows are numbered as the parser meets them (it runs ahead of this reader): the count of line
  // breaks before a row's text is its line. A malformed row is skipped by the parser and reported
  // in its place, in line order with the rows read.
  let linesBefore = 0;
  const numbered = (raw: string) => {
    const line = linesBefore + lineBreaks(/^[\r\n]*/.exec(raw)![0]) + 1;
    linesBefore += lineBreaks(raw);
    return line;
  };
  const skipped: SourceRow[] = [];
  // With `raw`, the parser hands on_record { record, raw }: its typings know only the plain record.
  const onRecord = ({ record, raw }: { record: string[]; raw: string }, context: InfoRecord) => {
    position.bytesRead = context.bytes;
    return { record, line: numbered(raw) };
  };
  const options: Options = {
    bom: true,
    raw: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_record: onRecord as unknown as Options['on_record'],
  };
  const input = createReadStream(file);
  const parser = input.pipe(parse(options));
  parser.on('skip', (err: { code?: string; raw?: string }) => {
    // The parser's own message quotes the offending text, which may be PHI: say it in our words.
    const line = numbered(err.raw ?? '');
    skipped.push({ line, result: { ok: false, problems: [{ field: '(row)', message: CSV_PROBLEMS[err.code ?? ''] ?? 'Not valid CSV.' }] } });
  });
  let header: CsvColumn[] | undefined;
  try {
    for await (const { record, line } of parser as AsyncIterable<{ record: string[]; line: number }>) {
      while (skipped.length && skipped[0].line < line) yield skipped.shift()!;
      if (!header) {
        header = checkedHeader(record);
        continue;
      }
      if (record.length !== header.length) {
        yield { line, result: { ok: false, problems: [{ field: '(row)', message: `The row has ${record.length} cells; the header has ${header.length}.` }] } };
        continue;
      }
      const cells: Partial<Record<CsvColumn, string>> = {};
      for (let i = 0; i < header.length; i++) cells[header[i]] = record[i];
      yield { line, result: demographicsFromCsvRow(cells, today) };
    }
    yield* skipped.splice(0);
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (!header) throw invalid('import.csv-header', `The file is empty: a CSV import starts with the header ${CSV_COLUMNS.join(',')}.`);
}

/** The header's columns, or an error naming every fault in it. */
function checkedHeader(record: string[]): CsvColumn[] {
  const { unknown, missing, repeated } = checkCsvHeader(record);
  const faults = [
    unknown.length ? `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}` : '',
    missing.length ? `missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` : '',
    repeated.length ? `repeated column${repeated.length > 1 ? 's' : ''} ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  if (faults.length) throw invalid('import.csv-header', `The CSV header has ${faults.join('; ')}. The columns are: ${CSV_COLUMNS.join(',')} (see docs/import.md).`);
  return record.map((h) => h.trim() as CsvColumn);
}
