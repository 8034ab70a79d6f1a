import { createReadStream } from 'node:fs';
import type { FieldError } from '../platform/errors.js';
import { demographicsFromFhir } from '../interop/fhir/patient-mapping.js';
import { checkDates } from './demographics.js';
import type { ReadPosition, SourceRow } from './import.js';

/** A line longer than this is refused rather than held in memory (a Patient with a photo is well under it). */
export const MAX_NDJSON_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Splits a file into its lines as it streams (never whole in memory): each line's text and number,
 * blank lines skipped. `position.bytesRead` follows the end of the line last answered.
 */
export async function* readLines(
  file: string,
  position: ReadPosition,
  options: { chunkBytes?: number; maxLineBytes?: number } = {},
): AsyncGenerator<{ line: number; text: string } | { line: number; tooLong: true }> {
  const maxLineBytes = options.maxLineBytes ?? MAX_NDJSON_LINE_BYTES;
  const stream = createReadStream(file, { highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  let carried: Buffer[] = [];
  let carriedBytes = 0;
  let skippingLongLine = false;
  let line = 0;
  let consumed = 0;
  const textOf = (parts: Buffer[]) => {
    let text = (parts.length === 1 ? parts[0] : Buffer.concat(parts)).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
        line += 1;
        consumed += end + 1 - start;
        const parts = carried.length ? [...carried, chunk.subarray(start, end)] : [chunk.subarray(start, end)];
        const wasTooLong = skippingLongLine;
        carried = [];
        carriedBytes = 0;
        skippingLongLine = false;
        start = end + 1;
        position.bytesRead = consumed;
        if (wasTooLong) {
          yield { line, tooLong: true };
          continue;
        }
        const text = textOf(parts);
        if (text.trim()) yield { line, text };
      }
      consumed += chunk.length - start;
      if (skippingLongLine) continue;
      carried.push(chunk.subarray(start));
      carriedBytes += chunk.length - start;
      if (carriedBytes > maxLineBytes) {
        skippingLongLine = true;
        carried = [];
        carriedBytes = 0;
      }
    }
    position.bytesRead = consumed;
    if (skippingLongLine) yield { line: line + 1, tooLong: true };
    else if (carriedBytes > 0) {
      line += 1;
      const text = textOf(carried);
      if (text.trim()) yield { line, text };
    }
  } finally {
    stream.destroy();
  }
}

/** Where a Demographics field comes from in a FHIR Patient, for problems found after the mapping. */
const EXPRESSION_OF_FIELD: Record<string, string> = {
  birthDate: 'Patient.birthDate',
  deathDate: 'Patient.deceasedDateTime',
  identifiers: 'Patient.identifier',
};

/** The FHIR element (FHIRPath) a Demographics field was read from, as near as can be said. */
export function fhirExpressionOf(field: string): string {
  return EXPRESSION_OF_FIELD[field] ?? EXPRESSION_OF_FIELD[field.split('.')[0]] ?? field;
}

const problem = (field: string, message: string): FieldError[] => [{ field, message }];

/**
 * Streams FHIR Patient resources, one JSON object a line (FHIR Bulk Data NDJSON), each read by the
 * FHIR facade's own mapping and checked by the registration desk's rules. Problems name the
 * element (FHIRPath) and never quote its value.
 */
export async function* readNdjsonPatients(file: string, today: string, position: ReadPosition, options: { mrnSystem?: string } = {}): AsyncGenerator<SourceRow> {
  for await (const read of readLines(file, position)) {
    if ('tooLong' in read) {
      yield { line: read.line, result: { ok: false, problems: problem('(line)', `The line is longer than ${MAX_NDJSON_LINE_BYTES / 1024 / 1024} MiB.`) } };
      continue;
    }
    let resource: unknown;
    try {
      resource = JSON.parse(read.text);
    } catch {
      // JSON.parse's message quotes the text around the fault, which may be PHI.
      yield { line: read.line, result: { ok: false, problems: problem('(line)', 'Not valid JSON: each line must hold one FHIR Patient resource.') } };
      continue;
    }
    const mapped = demographicsFromFhir(resource, { mrnSystem: options.mrnSystem });
    if (!mapped.ok) {
      yield { line: read.line, result: { ok: false, problems: mapped.issues.map((i) => ({ field: i.expression, message: i.diagnostics })) } };
      continue;
    }
    const dates = checkDates(mapped.demographics, today);
    yield dates.length
      ? { line: read.line, result: { ok: false, problems: dates.map((p) => ({ field: fhirExpressionOf(p.field), message: p.message })) } }
      : { line: read.line, result: { ok: true, demographics: mapped.demographics } };
  }
}
