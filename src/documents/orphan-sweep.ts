import type { AppContext } from '../context.js';

/**
 * Lists the blob addresses (SHA-256) a capability keeps outside document versions: letters, invoices,
 * release packets, certificates. The sweep leaves every address a registered list names.
 */
export type BlobsInUse = (ctx: AppContext) => Promise<Iterable<string>>;

const blobsInUse = new Map<string, BlobsInUse>();

/** A capability that stores content of its own registers here once, when loaded (see src/runtime.ts). */
export function registerBlobsInUse(name: string, list: BlobsInUse): void {
  blobsInUse.set(name, list);
}

// The documents capability's own: live documents' versions, certificates of destruction, and scanned
// batches (kept for their indexing queue and report).
registerBlobsInUse('document-versions', async (ctx) =>
  (await ctx.db.selectFrom('documentVersions as v').innerJoin('documents as d', 'd.id', 'v.documentId')
    .select('v.blobSha256').distinct().where('d.status', '!=', 'destroyed').execute()).map((r) => r.blobSha256));
registerBlobsInUse('destruction-certificates', async (ctx) =>
  (await ctx.db.selectFrom('destructionBatches').select('certificateSha256').where('certificateSha256', 'is not', null).execute()).map((r) => r.certificateSha256!));
registerBlobsInUse('scan-batches', async (ctx) => (await ctx.db.selectFrom('scanBatches').select('blobSha256').distinct().execute()).map((r) => r.blobSha256));

/**
 * Removes stored content that nothing in use names (a live document's version, or what a capability
 * registered with registerBlobsInUse), and that was last written before `before`
 * (give a grace period longer than any upload, a day), and writes a crash left unfinished. Such
 * blobs come from a crash or a failed commit between storing a file and committing its row. The
 * candidates are listed first and the references read after, and each candidate is removed only if
 * no upload has stored it again since, so an upload running beside the sweep keeps its content.
 */
export async function sweepOrphanBlobs(ctx: AppContext, before: Date): Promise<{ removed: number; incomplete: number }> {
  const candidates: string[] = [];
  for await (const key of ctx.blobs.listStorageKeys(before)) candidates.push(key);
  const referenced = new Set<string>();
  for (const list of blobsInUse.values()) for (const sha256 of await list(ctx)) referenced.add(ctx.blobs.storageKeyOf(sha256));
  let removed = 0;
  for (const key of candidates) {
    if (!referenced.has(key) && (await ctx.blobs.deleteByStorageKey(key, before))) removed += 1;
  }
  const incomplete = await ctx.blobs.removeIncompleteWrites(before);
  return { removed, incomplete };
}
