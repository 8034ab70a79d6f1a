import type { Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import { newId } from '../platform/ids.js';
import { DomainError, notFound } from '../platform/errors.js';
import type { ProviderRef } from './events.js';
import type { LocationsTable, ProvidersTable } from './schema.js';
import type { VisitProvider } from './visit-record.js';

type Executor = AppContext['db'] | Transaction<DB>;

/** The NPI's check digit: Luhn over the ten digits with the 80840 prefix (CMS NPI standard). */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits[i];
    if (double) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const code = z.string().trim().min(1).max(20).regex(/^[A-Za-z0-9._-]+$/, 'Letters, digits, dot, dash or underscore.');

export const ProviderInput = z.strictObject({
  npi: z.string().trim().refine(isValidNpi, 'Not a valid NPI (ten digits with a check digit).').nullable().optional(),
  code: code.nullable().optional(),
  family: z.string().trim().min(1).max(100),
  given: z.string().trim().max(100).nullable().optional(),
  credentials: z.string().trim().max(40).nullable().optional(),
  specialty: z.string().trim().max(100).nullable().optional(),
  active: z.boolean().optional(),
});
export type ProviderInput = z.infer<typeof ProviderInput>;

export const LOCATION_KINDS = ['department', 'unit', 'room', 'bed'] as const;
export const LocationInput = z.strictObject({
  kind: z.enum(LOCATION_KINDS),
  code,
  name: z.string().trim().min(1).max(100),
  parentId: z.string().max(64).nullable().optional(),
  active: z.boolean().optional(),
});
export type LocationInput = z.infer<typeof LocationInput>;

export interface ProviderView {
  id: string; npi: string | null; code: string | null; family: string; given: string | null;
  credentials: string | null; specialty: string | null; active: boolean; display: string;
}
export interface LocationView {
  id: string; kind: string; code: string; name: string; parentId: string | null; path: string; active: boolean;
}

export const providerDisplay = (p: { family?: string | null; given?: string | null; credentials?: string | null }): string =>
  [[p.given, p.family].filter(Boolean).join(' '), p.credentials].filter(Boolean).join(', ');

const toProviderView = (r: Selectable<ProvidersTable>): ProviderView => ({
  id: r.id, npi: r.npi, code: r.code, family: r.family, given: r.given, credentials: r.credentials, specialty: r.specialty,
  active: r.active === 1, display: providerDisplay(r),
});
const toLocationView = (r: Selectable<LocationsTable>): LocationView => ({
  id: r.id, kind: r.kind, code: r.code, name: r.name, parentId: r.parentId, path: r.path, active: r.active === 1,
});

export async function listProviders(executor: Executor, options: { includeInactive?: boolean } = {}): Promise<ProviderView[]> {
  let q = executor.selectFrom('providers').selectAll().orderBy('family').orderBy('given');
  if (!options.includeInactive) q = q.where('active', '=', 1);
  return (await q.execute()).map(toProviderView);
}

export async function saveProvider(ctx: AppContext, input: ProviderInput, id?: string): Promise<ProviderView> {
  if (!input.npi && !input.code) {
    throw new DomainError('invalid', 'request.invalid', 'Give the provider an NPI or a hospital code.', [{ field: 'npi', message: 'An NPI or a code is required.' }]);
  }
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    for (const field of ['npi', 'code'] as const) {
      const value = input[field];
      if (!value) continue;
      let q = trx.selectFrom('providers').select('id').where(field, '=', value);
      if (id) q = q.where('id', '!=', id);
      if (await q.executeTakeFirst()) throw new DomainError('conflict', 'provider.taken', `Another provider has this ${field === 'npi' ? 'NPI' : 'code'}.`, [{ field, message: 'Already used.' }]);
    }
    const values = {
      npi: input.npi || null, code: input.code || null, family: input.family, given: input.given || null,
      credentials: input.credentials || null, specialty: input.specialty || null, active: input.active === false ? 0 : 1, updatedAt: now,
    };
    if (id) {
      const r = await trx.updateTable('providers').set(values).where('id', '=', id).executeTakeFirst();
      if (!Number(r.numUpdatedRows)) throw notFound('The provider');
    } else {
      id = newId();
      await trx.insertInto('providers').values({ id, ...values, createdAt: now }).execute();
    }
    return toProviderView(await trx.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  });
}

export async function listLocations(executor: Executor, options: { includeInactive?: boolean } = {}): Promise<LocationView[]> {
  let q = executor.selectFrom('locations').selectAll().orderBy('path');
  if (!options.includeInactive) q = q.where('active', '=', 1);
  return (await q.execute()).map(toLocationView);
}

/** What may hold what: a unit sits in a department or stands alone, a room in a unit, a bed in a room. */
const PARENT_KIND: Record<(typeof LOCATION_KINDS)[number], (string | null)[]> = {
  department: [null], unit: [null, 'department'], room: ['unit'], bed: ['room'],
};

export async function saveLocation(ctx: AppContext, input: LocationInput, id?: string): Promise<LocationView> {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const parent = input.parentId ? await trx.selectFrom('locations').selectAll().where('id', '=', input.parentId).executeTakeFirst() : undefined;
    if (input.parentId && !parent) throw new DomainError('invalid', 'request.invalid', 'The parent location was not found.', [{ field: 'parentId', message: 'Not found.' }]);
    if (!PARENT_KIND[input.kind].includes(parent?.kind ?? null)) {
      const allowed = PARENT_KIND[input.kind].map((k) => k ?? 'nothing').join(' or ');
      throw new DomainError('invalid', 'request.invalid', `A ${input.kind} belongs in ${allowed}.`, [{ field: 'parentId', message: `A ${input.kind} belongs in ${allowed}.` }]);
    }
    // Departments and units are named by their own code; rooms and beds by the codes above them.
    const path = parent && parent.kind !== 'department' ? `${parent.path}/${input.code}` : input.code;
    let q = trx.selectFrom('locations').select('id').where('path', '=', path);
    if (id) q = q.where('id', '!=', id);
    if (await q.executeTakeFirst()) throw new DomainError('conflict', 'location.taken', 'Another location has this code here.', [{ field: 'code', message: 'Already used.' }]);
    const values = { kind: input.kind, code: input.code, name: input.name, parentId: parent?.id ?? null, path, active: input.active === false ? 0 : 1, updatedAt: now };
    if (id) {
      const existing = await trx.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirst();
      if (!existing) throw notFound('The location');
      if (existing.path !== path && (await trx.selectFrom('locations').select('id').where('parentId', '=', id).executeTakeFirst())) {
        throw new DomainError('conflict', 'location.has-children', 'Rename or move a location only when nothing is under it.');
      }
      await trx.updateTable('locations').set(values).where('id', '=', id).execute();
    } else {
      id = newId();
      await trx.insertInto('locations').values({ id, ...values, createdAt: now }).execute();
    }
    return toLocationView(await trx.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  });
}

/** Names of units by code, for the census and the visit screens (codes not in the reference data stay as codes). */
export async function unitNames(executor: Executor): Promise<Map<string, string>> {
  const rows = await executor.selectFrom('locations').select(['path', 'name']).where('kind', '=', 'unit').execute();
  return new Map(rows.map((r) => [r.path, r.name]));
}

/**
 * The provider an event names, matched to the reference data by NPI then by code; a provider the
 * hospital has not entered yet is kept as given (an interface must not lose it).
 */
export async function resolveProvider(executor: Executor, ref: ProviderRef | null | undefined): Promise<VisitProvider | null> {
  if (!ref || (!ref.npi && !ref.code && !ref.family)) return null;
  let row: Selectable<ProvidersTable> | undefined;
  if (ref.npi) row = await executor.selectFrom('providers').selectAll().where('npi', '=', ref.npi).executeTakeFirst();
  if (!row && ref.code) row = await executor.selectFrom('providers').selectAll().where('code', '=', ref.code).executeTakeFirst();
  if (row) return { npi: row.npi, code: row.code, family: row.family, given: row.given, providerId: row.id, display: providerDisplay(row) };
  return { npi: ref.npi ?? null, code: ref.code ?? null, family: ref.family ?? null, given: ref.given ?? null, providerId: null, display: providerDisplay(ref) || ref.npi || ref.code || null };
}
