import type * as fhir4 from 'fhir/r4.js';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { actorOf, type Principal } from '../../access/principal.js';
import { recordAuditEvents } from '../../audit/trail.js';
import { DomainError } from '../../platform/errors.js';
import {
  assertDemographicsValid, assertPatientReadable, duplicateSuspected, findLikelyDuplicatesOfBatch, getPatientRow,
  registerPatientsWithin, RegistrationRefusedError, toPatientView, updatePatientWithin,
  type Demographics, type MatchCandidate, type PatientRow, type PatientView, type PendingRegistration,
} from '../../patients/index.js';
import { BundleEntryError, fhirError, outcomeOf } from './operation-outcome.js';
import { demographicsFromFhir, keepWhatFhirDoesNotCarry } from './patient-mapping.js';
import { findPatientRows, parsePatientSearch } from './patient-search.js';
import { fhirPathOf } from './patient-shape.js';
import { EXTENSION } from './terminology.js';

/**
 * FHIR transaction and batch Bundles of Patient creates and updates (https://hl7.org/fhir/R4/http.html#transaction).
 * A transaction is all or nothing, in one database transaction: every entry is read and checked
 * first (mapping, If-None-Exist searches, likely duplicates in the index and within the Bundle, the
 * records to update), then the creates go in with one insert per table, the updates one by one, and
 * each write's audit event in the same transaction. A batch runs each entry as a transaction of one.
 */

const EntryRequest = z.object({
  method: z.string(),
  url: z.string(),
  ifMatch: z.string().optional(),
  ifNoneExist: z.string().optional(),
  extension: z.array(z.object({ url: z.string(), valueString: z.string().optional() }).loose()).optional(),
}).loose();

const BundleShape = z.object({
  resourceType: z.literal('Bundle', { error: 'Send a Bundle resource.' }),
  type: z.string({ error: 'The Bundle needs a type: transaction or batch.' }),
  entry: z.array(z.object({ fullUrl: z.string().optional(), resource: z.unknown().optional(), request: EntryRequest.optional() }).loose()).optional(),
}).loose();

type Entry = NonNullable<z.infer<typeof BundleShape>['entry']>[number];

/** A create or update as its entry asks for it, mapped and checked. */
type Planned =
  | { kind: 'create'; index: number; d: Demographics; ifNoneExist?: string; reason?: string }
  | { kind: 'update'; index: number; id: string; d: Demographics; ifMatch?: number };

/** What one entry comes to once the index has been read. */
type Resolved =
  | { kind: 'create'; index: number; registration: PendingRegistration }
  | { kind: 'existing'; index: number; row: PatientRow; emergency: boolean }
  | { kind: 'update'; index: number; id: string; expectedVersion: number; d: Demographics };

export interface BundleOptions {
  /** The X-Chartroom-Duplicate-Reason header: a reason for every create of the Bundle with likely matches. */
  duplicateReason?: string;
  /** Answer each entry's resource too (not with Prefer: return=minimal). */
  withResources: boolean;
  toFhir: (view: PatientView) => fhir4.Patient;
}

/** Answers a transaction or batch Bundle with its transaction-response or batch-response. */
export async function processBundle(ctx: AppContext, principal: Principal, body: unknown, options: BundleOptions): Promise<fhir4.Bundle> {
  const parsed = BundleShape.safeParse(body);
  if (!parsed.success) {
    throw fhirError.invalidResource(parsed.error.issues.map((i) => ({ expression: fhirPathOf(i.path, 'Bundle'), diagnostics: i.message })), 'Bundle');
  }
  const { type, entry = [] } = parsed.data;
  if (type !== 'transaction' && type !== 'batch') {
    throw fhirError.notSupported(`POST to the base URL takes a Bundle of type transaction or batch, not ${type}.`, 'Bundle.type');
  }
  if (type === 'transaction') {
    const planned = entry.map((e, index) => atEntry(index, () => planEntry(ctx, e, index)));
    assertEachRecordOnce(planned);
    const answers = await runTogether(ctx, principal, planned, options.duplicateReason);
    return { resourceType: 'Bundle', type: 'transaction-response', entry: answers.map((a) => responseEntry(a, options)) };
  }
  const answers: fhir4.BundleEntry[] = [];
  for (const [index, e] of entry.entries()) {
    try {
      const [answer] = await runTogether(ctx, principal, [atEntry(index, () => planEntry(ctx, e, index))], options.duplicateReason);
      answers.push(responseEntry(answer, options));
    } catch (err) {
      const { status, outcome } = outcomeOf(err);
      answers.push({ response: { status: String(status), outcome } });
    }
  }
  return { resourceType: 'Bundle', type: 'batch-response', entry: answers };
}

function planEntry(ctx: AppContext, e: Entry, index: number): Planned {
  const request = e.request;
  if (!request) throw fhirError.invalidResource([{ expression: 'Bundle.entry.request', diagnostics: 'Each entry needs a request (method and url).' }], 'entry');
  const method = request.method.toUpperCase();
  const put = /^\/?Patient\/([^/?]+)$/.exec(request.url);
  const isCreate = method === 'POST' && /^\/?Patient\/?$/.test(request.url);
  if (!isCreate && !(method === 'PUT' && put)) {
    throw fhirError.notSupported('An entry may create a Patient (POST Patient) or update one (PUT Patient/<id>).', 'Bundle.entry.request');
  }
  const mapped = demographicsFromFhir(e.resource, { mrnSystem: ctx.config.mrnSystem });
  if (!mapped.ok) throw fhirError.invalidResource(mapped.issues, 'Patient');
  assertDemographicsValid(ctx, mapped.demographics);
  if (isCreate) {
    // The reason for creating despite likely matches: this entry's own, which wins over the header's.
    const reason = request.extension?.find((x) => x.url === EXTENSION.duplicateReason)?.valueString?.trim();
    return { kind: 'create', index, d: mapped.demographics, ifNoneExist: request.ifNoneExist, ...(reason ? { reason } : {}) };
  }
  if ((e.resource as { id?: unknown }).id !== put![1]) {
    throw fhirError.invalidResource([{ expression: 'Patient.id', diagnostics: 'The resource id must be given and equal the id in the request url.' }], 'Patient');
  }
  return { kind: 'update', index, id: put![1], d: mapped.demographics, ifMatch: expectedVersion(request.ifMatch) };
}

/** FHIR refuses a transaction that touches one resource twice (its outcome would depend on the order). */
function assertEachRecordOnce(planned: Planned[]) {
  const seen = new Set<string>();
  for (const p of planned) {
    if (p.kind !== 'update') continue;
    if (seen.has(p.id)) throw new BundleEntryError(p.index, fhirError.notSupported('This Bundle updates the same patient in two entries; send one update.', 'Bundle.entry.request'));
    seen.add(p.id);
  }
}

/** The reads and checks before writing, then every write in one database transaction. */
async function runTogether(ctx: AppContext, principal: Principal, planned: Planned[], headerReason?: string): Promise<EntryAnswer[]> {
  const resolved: Resolved[] = [];
  for (const p of planned) resolved.push(await atEntryAsync(p.index, () => resolveEntry(ctx, principal, p, headerReason)));
  await checkLikelyDuplicates(ctx, principal, resolved);

  const actor = actorOf(principal);
  const creates = resolved.filter((r): r is Extract<Resolved, { kind: 'create' }> => r.kind === 'create');
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await registerPatientsWithin(trx, ctx, actor, creates.map((c) => c.registration)).catch((err) => {
      throw err instanceof RegistrationRefusedError ? new BundleEntryError(creates[err.registration].index, err.error) : err;
    });
    const created = new Map(creates.map((c, i) => [c.index, toPatientView(rows[i])]));
    const existing = resolved.filter((r): r is Extract<Resolved, { kind: 'existing' }> => r.kind === 'existing');
    if (existing.length) {
      await recordAuditEvents(trx, existing.map((r) => ({ actor, action: 'read' as const, patientId: r.row.id, recordType: 'patient', recordId: r.row.id, emergency: r.emergency })), ctx.clock);
    }
    const answers: EntryAnswer[] = [];
    for (const r of resolved) {
      if (r.kind === 'create') answers.push({ status: '201 Created', view: created.get(r.index)! });
      else if (r.kind === 'existing') answers.push({ status: '200 OK', view: toPatientView(r.row) });
      else answers.push({ status: '200 OK', view: await atEntryAsync(r.index, () => updatePatientWithin(trx, ctx, actor, r.id, r.expectedVersion, r.d)) });
    }
    return answers;
  });
}

async function resolveEntry(ctx: AppContext, principal: Principal, p: Planned, headerReason?: string): Promise<Resolved> {
  if (p.kind === 'update') {
    const row = await getPatientRow(ctx.db, p.id).catch((err) => {
      if (err instanceof DomainError && err.kind === 'not-found') {
        throw new DomainError('invalid', 'fhir.method-not-allowed', 'Chartroom assigns patient ids: create a patient with POST Patient.');
      }
      throw err;
    });
    await assertPatientReadable(ctx, principal, row);
    return { kind: 'update', index: p.index, id: p.id, expectedVersion: p.ifMatch ?? row.version, d: keepWhatFhirDoesNotCarry(p.d, toPatientView(row)) };
  }
  if (p.ifNoneExist) {
    const search = parsePatientSearch(Object.fromEntries(new URLSearchParams(p.ifNoneExist.replace(/^.*\?/, ''))), 'strict');
    const { rows, total } = await findPatientRows(ctx, { ...search, count: 2, offset: 0 });
    if (total > 1) throw fhirError.preconditionFailed(`ifNoneExist matches ${total} patients; make the criteria select one.`);
    if (total === 1) return { kind: 'existing', index: p.index, row: rows[0], emergency: await assertPatientReadable(ctx, principal, rows[0]) };
  }
  return { kind: 'create', index: p.index, registration: { d: p.d, candidates: [], batchMatches: [], reason: p.reason ?? headerReason?.trim() ?? null } };
}

/**
 * Each create's likely matches, in the index and among the earlier creates of the Bundle: without a
 * reason, the first create that has any refuses the Bundle, listing them (and those in the index are
 * audited as shown, as a single create's refusal is).
 */
async function checkLikelyDuplicates(ctx: AppContext, principal: Principal, resolved: Resolved[]) {
  const creates = resolved.filter((r): r is Extract<Resolved, { kind: 'create' }> => r.kind === 'create');
  const found = await findLikelyDuplicatesOfBatch(ctx, creates.map((c) => c.registration.d));
  for (const [i, c] of creates.entries()) {
    Object.assign(c.registration, found[i]);
    const { candidates, batchMatches, reason } = c.registration;
    if (reason || (!candidates.length && !batchMatches.length)) continue;
    if (candidates.length) {
      await ctx.db.transaction().execute((trx) =>
        recordAuditEvents(trx, candidates.map((m: MatchCandidate) => ({ actor: actorOf(principal), action: 'read' as const, patientId: m.patientId, recordType: 'match_candidate' })), ctx.clock),
      );
    }
    const listed = [
      ...candidates.map((m) => ({ mrn: m.mrn, grade: m.grade, score: m.score })),
      ...batchMatches.map((m) => ({ entry: creates[m.index].index, grade: m.result.grade, score: m.result.score })),
    ];
    throw new BundleEntryError(c.index, duplicateSuspected(listed));
  }
}

interface EntryAnswer {
  status: '201 Created' | '200 OK';
  view: PatientView;
}

function responseEntry({ status, view }: EntryAnswer, options: BundleOptions): fhir4.BundleEntry {
  const entry: fhir4.BundleEntry = {
    response: {
      status,
      location: `Patient/${view.id}/_history/${view.version}`,
      etag: `W/"${view.version}"`,
      lastModified: view.updatedAt,
    },
  };
  if (options.withResources) {
    entry.fullUrl = `Patient/${view.id}`;
    entry.resource = options.toFhir(view);
  }
  return entry;
}

function atEntry<T>(index: number, work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw err instanceof BundleEntryError ? err : new BundleEntryError(index, err);
  }
}

async function atEntryAsync<T>(index: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw err instanceof BundleEntryError ? err : new BundleEntryError(index, err);
  }
}

/** The version an If-Match names (W/"3", "3" or 3); a malformed one is refused. */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
  if (!m) throw new DomainError('invalid', 'request.invalid', 'If-Match takes the version as an ETag: W/"<version>".');
  return Number(m[1]);
}
