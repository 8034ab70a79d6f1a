import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import type { AuditActor, AuditEntry } from '../audit/actions.js';
import { recordAuditEvents } from '../audit/trail.js';
import { DomainError, invalid, type FieldError } from '../platform/errors.js';
import type { Demographics } from './demographics.js';
import { findMatchCandidates, matchRecordOfRow } from './candidates.js';
import { insertPatients, queueSuspectedDuplicates } from './registration.js';
import { csvColumnOf, readCsvPatients } from './import-csv.js';
import { fhirExpressionOf, readNdjsonPatients } from './import-ndjson.js';
import { RejectsFile, type RejectedRow } from './import-rejects.js';

export const IMPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const FORMAT_OF_EXTENSION: Record<string, ImportFormat> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv' };

/** The format a file's extension says it is in, if it says. */
export function formatOfFile(file: string): ImportFormat | undefined {
  return FORMAT_OF_EXTENSION[extname(file).toLowerCase()];
}

/** One input row, read and checked: what the import inserts, or reports with every reason. */
export type RowResult = { ok: true; demographics: Demographics } | { ok: false; problems: FieldError[] };

export interface SourceRow {
  line: number;
  result: RowResult;
}

/** How far a reader has got through its file, for the progress bar. */
export interface ReadPosition {
  bytesRead: number;
}

/** How each format is read, and how a Demographics field is named in it (for the rejects report). */
interface ImportSource {
  read(file: string, today: string, position: ReadPosition): AsyncGenerator<SourceRow>;
  fieldName(demographicsField: string): string;
}

function sourceOf(ctx: AppContext, format: ImportFormat): ImportSource {
  return format === 'csv'
    ? { read: readCsvPatients, fieldName: csvColumnOf }
    : { read: (file, today, position) => readNdjsonPatients(file, today, position, { mrnSystem: ctx.config.mrnSystem }), fieldName: fhirExpressionOf };
}

export const DEFAULT_IMPORT_BATCH = 1000;
export const MAX_IMPORT_BATCH = 50_000;

export interface ImportOptions {
  /** Taken from the file's extension when not given. */
  format?: ImportFormat;
  /** Where the rejects report goes; FILE.rejects.csv beside the input by default. */
  rejectsFile?: string;
  /** Compare each new patient with the index and queue suspected duplicates for review. */
  checkDuplicates?: boolean;
  /** Patients per transaction. */
  batchSize?: number;
  onProgress?(progress: ImportProgress): void;
  /** Stops the import after the batch in hand (Ctrl-C, a time limit): what was read is still imported or rejected. */
  signal?: AbortSignal;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  imported: number;
  rejected: number;
}

export interface ImportSummary {
  format: ImportFormat;
  imported: number;
  rejected: number;
  rejectsFile: string;
  /** New pairs put on the duplicates work queue (with checkDuplicates). */
  duplicatesQueued: number;
  seconds: number;
  /** The last line read: every line up to it was imported or rejected. */
  lastLine: number;
  /** True when the signal stopped the import before the end of the file. */
  stoppedEarly: boolean;
}

interface ValidRow {
  line: number;
  demographics: Demographics;
}

/** Rows read since the last batch was sent: the valid ones to insert, the refused ones to report. */
interface Batch {
  rows: ValidRow[];
  rejected: RejectedRow[];
}

/**
 * Imports patients from a FHIR Patient NDJSON or a CSV file, streamed. Valid rows are registered
 * in batches, one transaction each with its audit events; a batch the database refuses is retried
 * row by row, so only the rows at fault are rejected. Every rejected row is written to the rejects
 * report with its line and reasons. A row is imported whole or not at all.
 */
export async function importPatients(ctx: AppContext, actor: AuditActor, file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const format = options.format ?? formatOfFile(file);
  if (!format) throw invalid('import.format', `Cannot tell the format of ${file} from its extension: give --format ndjson or --format csv.`);
  const batchSize = options.batchSize ?? DEFAULT_IMPORT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_IMPORT_BATCH) {
    throw invalid('import.batch-size', `The batch size must be a whole number from 1 to ${MAX_IMPORT_BATCH}.`);
  }
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) throw invalid('import.file', `Cannot read ${file}: there is no such file.`);
  const totalBytes = found.size;
  const source = sourceOf(ctx, format);
  const rejectsPath = options.rejectsFile ?? `${file}.rejects.csv`;
  if (resolve(rejectsPath) === resolve(file)) throw invalid('import.rejects-file', 'The rejects report cannot overwrite the file being imported.');
  const position: ReadPosition = { bytesRead: 0 };
  const today = ctx.clock.now().toISOString().slice(0, 10);

  let rejects: RejectsFile | undefined;
  const report = async (rows: RejectedRow[]) => {
    rejects ??= new RejectsFile(rejectsPath);
    await rejects.write(rows.sort((a, b) => a.line - b.line));
  };
  const counts = { imported: 0, rejected: 0, queued: 0 };
  const progress = () => options.onProgress?.({ bytesRead: position.bytesRead, totalBytes, imported: counts.imported, rejected: counts.rejected });

  const finish = async (batch: Batch) => {
    const written = await writeBatch(ctx, actor, batch.rows, options.checkDuplicates ?? false, source.fieldName).catch(async (err: unknown) => {
      // The rows refused before the failure are still refused: report them before stopping.
      await report(batch.rejected).catch(() => undefined);
      throw err;
    });
    counts.imported += written.imported;
    counts.queued += written.queued;
    counts.rejected += batch.rejected.length + written.rejected.length;
    await report([...batch.rejected, ...written.rejected]);
    progress();
  };

  // One batch is written while the next is read (on PostgreSQL the server works meanwhile);
  // batches still commit one after another, in the file's order.
  let writing: Promise<void> | undefined;
  const send = async (batch: Batch) => {
    if (writing) await writing;
    writing = finish(batch);
    writing.catch(() => undefined); // awaited before the next batch or at the end
  };
  let lastLine = 0;
  let stoppedEarly = false;
  try {
    let batch: Batch = { rows: [], rejected: [] };
    for await (const row of source.read(file, today, position)) {
      lastLine = row.line;
      if (row.result.ok) batch.rows.push({ line: row.line, demographics: row.result.demographics });
      else batch.rejected.push({ line: row.line, problems: row.result.problems });
      if (batch.rows.length >= batchSize || batch.rejected.length >= batchSize * 10) {
        await send(batch);
        batch = { rows: [], rejected: [] };
      }
      if (options.signal?.aborted) {
        stoppedEarly = true;
        break;
      }
    }
    await send(batch);
    await writing;
    if (!rejects) await report([]);
  } finally {
    await writing?.catch(() => undefined);
    await rejects?.close();
  }
  return {
    format,
    imported: counts.imported,
    rejected: counts.rejected,
    rejectsFile: rejectsPath,
    duplicatesQueued: counts.queued,
    seconds: (performance.now() - started) / 1000,
    lastLine,
    stoppedEarly,
  };
}

/**
 * Registers a batch in one transaction. When the database refuses it (an identifier another patient
 * has, say), each row is tried alone: the good ones are imported, the bad ones rejected with why.
 */
async function writeBatch(
  ctx: AppContext,
  actor: AuditActor,
  rows: ValidRow[],
  checkDuplicates: boolean,
  fieldName: (field: string) => string,
): Promise<{ imported: number; queued: number; rejected: RejectedRow[] }> {
  if (rows.length === 0) return { imported: 0, queued: 0, rejected: [] };
  const insert = (list: Demographics[]) => ctx.db.transaction().execute((trx) => registerImported(trx, ctx, actor, list, checkDuplicates));
  const reject = async (row: ValidRow, err: unknown): Promise<RejectedRow> => {
    if (!isConstraintViolation(err)) throw stopped(row.line, err);
    const problems = await explainRefusal(ctx, row.demographics);
    return { line: row.line, problems: problems.map((p) => ({ field: fieldName(p.field), message: p.message })) };
  };
  try {
    return { imported: rows.length, queued: await insert(rows.map((r) => r.demographics)), rejected: [] };
  } catch (err) {
    if (rows.length === 1) return { imported: 0, queued: 0, rejected: [await reject(rows[0], err)] };
  }
  let imported = 0;
  let queued = 0;
  const rejected: RejectedRow[] = [];
  for (const row of rows) {
    try {
      queued += await insert([row.demographics]);
      imported += 1;
    } catch (err) {
      rejected.push(await reject(row, err));
    }
  }
  return { imported, queued, rejected };
}

/** Inserts imported patients with their `create` audit events; answers the suspected duplicate pairs queued. */
async function registerImported(trx: Transaction<DB>, ctx: AppContext, actor: AuditActor, list: Demographics[], checkDuplicates: boolean): Promise<number> {
  const rows = await insertPatients(trx, ctx, actor, list);
  const suspected = new Map<string, number>();
  let queued = 0;
  if (checkDuplicates) {
    // The batch is inserted already, so pairs within the file are found as well as pairs with the index.
    for (const row of rows) {
      const candidates = await findMatchCandidates(trx, matchRecordOfRow(row), { excludeIds: [row.id] });
      if (candidates.length === 0) continue;
      suspected.set(row.id, candidates.length);
      queued += await queueSuspectedDuplicates(trx, ctx, row.id, candidates, 'import');
    }
  }
  await recordAuditEvents(trx, rows.map((row): AuditEntry => {
    const suspects = suspected.get(row.id);
    const details: AuditEntry['details'] = suspects ? { via: 'import', duplicatesSuspected: suspects } : { via: 'import' };
    return { actor, action: 'create', patientId: row.id, recordType: 'patient', recordId: row.id, details };
  }), ctx.clock);
  return queued;
}

/** A unique, foreign-key or check constraint refused the row (SQLite SQLITE_CONSTRAINT_*, PostgreSQL class 23). */
function isConstraintViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || /^23[0-9A-Z]{3}$/.test(code));
}

/** Why the database refused one patient, in the registration desk's words (the database's own message may quote values). */
async function explainRefusal(ctx: AppContext, d: Demographics): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  for (const [index, identifier] of d.identifiers.entries()) {
    const holder = await ctx.db.selectFrom('patientIdentifiers').select('patientId').where('system', '=', identifier.system).where('value', '=', identifier.value).executeTakeFirst();
    if (holder) problems.push({ field: `identifiers.${index}.value`, message: 'Already belongs to another patient (same assigning authority).' });
  }
  return problems.length ? problems : [{ field: '(row)', message: 'The database refused this patient (a uniqueness or other constraint).' }];
}

function stopped(line: number, cause: unknown): DomainError {
  const error = new DomainError(
    'internal',
    'import.stopped',
    `The import stopped at line ${line}: the database failed (${(cause as Error)?.message ?? String(cause)}). ` +
      `Every line before it was imported or rejected; nothing from line ${line} on was imported.`,
  );
  error.cause = cause;
  return error;
}
