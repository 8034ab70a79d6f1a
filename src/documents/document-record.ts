import type { Selectable, Transaction } from 'kysely';
import type { AppContext } from '../context.js';
import type { DB } from '../schema.js';
import { isPostgres } from '../platform/db/connection.js';
import { findDocumentType, type DocumentType } from './document-types.js';
import type { DocumentStatus } from './document-status.js';
import type { SensitivityCategory } from './sensitivity.js';
import type { DocumentContentType } from './content-check.js';
import type { DocumentsTable, DocumentVersionsTable } from './schema.js';

export type DocumentRow = Selectable<DocumentsTable>;
export type DocumentVersionRow = Selectable<DocumentVersionsTable>;
export type Executor = AppContext['db'] | Transaction<DB>;

/** Who signed the document and when (42 CFR 482.24(c)(1): every entry authenticated). */
export interface Authentication {
  signedBy: string;
  signedAt: string;
}

/** One version's content, as stored. */
export interface DocumentVersionView {
  version: number;
  contentType: DocumentContentType;
  fileName: string;
  size: number;
  pageCount: number;
  sha256: string;
  reason: string | null;
  createdAt: string;
  createdBy: string;
}

/** A document as the screens and the FHIR facade show it: its index, and its current content. */
export interface DocumentView {
  id: string;
  patientId: string;
  encounterId: string | null;
  type: DocumentType;
  title: string | null;
  author: string | null;
  serviceDate: string;
  status: DocumentStatus;
  authentication: Authentication | null;
  sensitivity: SensitivityCategory[];
  version: number;
  content: DocumentVersionView;
  enteredInErrorReason: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export function toVersionView(v: DocumentVersionRow): DocumentVersionView {
  return {
    version: v.version, contentType: v.contentType as DocumentContentType, fileName: v.fileName, size: Number(v.size),
    pageCount: v.pageCount, sha256: v.blobSha256, reason: v.reason, createdAt: v.createdAt, createdBy: v.createdBy,
  };
}

export function toDocumentView(row: DocumentRow, current: DocumentVersionRow): DocumentView {
  return {
    id: row.id, patientId: row.patientId, encounterId: row.encounterId,
    type: findDocumentType(row.typeCode) ?? { code: row.typeCode, display: row.typeCode, category: 'administrative' },
    title: row.title, author: row.author, serviceDate: row.serviceDate, status: row.status as DocumentStatus,
    authentication: row.signedBy && row.signedAt ? { signedBy: row.signedBy, signedAt: row.signedAt } : null,
    sensitivity: JSON.parse(row.sensitivity) as SensitivityCategory[],
    version: row.currentVersion, content: toVersionView(current), enteredInErrorReason: row.enteredInErrorReason,
    createdAt: row.createdAt, createdBy: row.createdBy, updatedAt: row.updatedAt,
  };
}

export const findDocumentRow = (db: Executor, id: string): Promise<DocumentRow | undefined> =>
  db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();

/** The row, locked until the transaction ends, so two changes to one document take turns (PostgreSQL; SQLite has one writer). */
export function lockDocumentRow(trx: Transaction<DB>, id: string): Promise<DocumentRow | undefined> {
  let q = trx.selectFrom('documents').selectAll().where('id', '=', id);
  if (isPostgres(trx)) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The documents with their current versions, in the order given. */
export async function withCurrentVersions(db: Executor, rows: DocumentRow[]): Promise<DocumentView[]> {
  if (!rows.length) return [];
  const versions = await db.selectFrom('documentVersions as v').innerJoin('documents as d', (j) => j.onRef('d.id', '=', 'v.documentId').onRef('d.currentVersion', '=', 'v.version'))
    .selectAll('v').where('v.documentId', 'in', rows.map((r) => r.id)).execute();
  const byDocument = new Map(versions.map((v) => [v.documentId, v]));
  return rows.map((row) => toDocumentView(row, byDocument.get(row.id)!));
}
