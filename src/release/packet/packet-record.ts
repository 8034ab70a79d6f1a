import type { Selectable, Transaction } from 'kysely';
import type { AppContext } from '../../context.js';
import type { DB } from '../../schema.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { PacketPage } from './assembly.js';
import type { ReleasePacketsTable } from './schema.js';

export type PacketRow = Selectable<ReleasePacketsTable>;
type Executor = AppContext['db'] | Transaction<DB>;

export interface PacketView {
  id: string;
  requestId: string;
  version: number;
  sha256: string;
  size: number;
  pageCount: number;
  pages: PacketPage[];
  documentIds: string[];
  status: string;
  builtBy: string;
  builtAt: string;
  checkedBy: string | null;
  checkedAt: string | null;
  checkNote: string | null;
  delivery: unknown;
  releasedAt: string | null;
}

export const toPacketView = (row: PacketRow): PacketView => ({
  id: row.id, requestId: row.requestId, version: row.version, sha256: row.blobSha256, size: Number(row.size), pageCount: row.pageCount,
  pages: JSON.parse(row.pages) as PacketPage[], documentIds: JSON.parse(row.documentIds) as string[], status: row.status,
  builtBy: row.builtByName, builtAt: row.builtAt, checkedBy: row.checkedByName, checkedAt: row.checkedAt, checkNote: row.checkNote,
  delivery: row.delivery ? JSON.parse(row.delivery) : null, releasedAt: row.releasedAt,
});

/** The request's latest packet, or undefined. */
export function latestPacketRow(db: Executor, requestId: string): Promise<PacketRow | undefined> {
  return db.selectFrom('releasePackets').selectAll().where('requestId', '=', requestId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** The request's current packet (built, checked or released), or a 409 when there is none. */
export async function currentPacketRow(db: Executor, requestId: string): Promise<PacketRow> {
  const row = await latestPacketRow(db, requestId);
  if (!row || row.status === 'superseded' || row.status === 'rejected') throw conflict('release.no-packet', 'Build the release packet first.');
  return row;
}

export async function requirePacketRow(db: Executor, requestId: string): Promise<PacketRow> {
  const row = await latestPacketRow(db, requestId);
  if (!row) throw notFound('The release packet');
  return row;
}

/** Blob addresses packets name, for the orphan sweep. */
export async function packetBlobAddresses(ctx: Pick<AppContext, 'db'>): Promise<string[]> {
  return (await ctx.db.selectFrom('releasePackets').select('blobSha256').distinct().execute()).map((r) => r.blobSha256);
}
