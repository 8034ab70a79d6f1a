import type { AppContext } from '../context.js';

/**
 * Removes stored content that no document version (of a document not destroyed), certificate of
 * destruction or scanned batch names, and that was last written before `before`
 * (give a grace period longer than any upload, a day), and writes a crash left unfinished. Such
 * blobs come from a crash or a failed commit between storing a file and committing its row. The
 * candidates are listed first and the references read after, and each candidate is removed only if
 * no upload has stored it again since, so an upload running beside the sweep keeps its content.
 */
export async function sweepOrphanBlobs(ctx: AppContext, before: Date): Promise<{ removed: number; incomplete: number }> {
  const candidates: string[] = [];
  for await (const key of ctx.blobs.listStorageKeys(before)) candidates.push(key);
  // Content is named by a live document's version, a certificate of destruction, or a scanned batch
  // (kept for its indexing queue and report).
  const live = await ctx.db.selectFrom('documentVersions as v').innerJoin('documents as d', 'd.id', 'v.documentId')
    .select('v.blobSha256').distinct().where('d.status', '!=', 'destroyed').execute();
  const certificates = await ctx.db.selectFrom('destructionBatches').select('certificateSha256 as blobSha256').where('certificateSha256', 'is not', null).execute();
  const batches = await ctx.db.selectFrom('scanBatches').select('blobSha256').distinct().execute();
  const referenced = new Set([...live, ...certificates, ...batches].map((r) => ctx.blobs.storageKeyOf(r.blobSha256!)));
  let removed = 0;
  for (const key of candidates) {
    if (!referenced.has(key) && (await ctx.blobs.deleteByStorageKey(key, before))) removed += 1;
  }
  const incomplete = await ctx.blobs.removeIncompleteWrites(before);
  return { removed, incomplete };
}
