import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { Keyring } from '../crypto.js';
import { BlobNotFoundError, isSha256Hex, type BlobContent, type BlobStore, type StoredBlob } from './blob-store.js';
import { openSealedContent, sealContent } from './sealed-format.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket (no leading or trailing slash); objects are `<prefix>/<storage key>`. */
  prefix?: string;
  /** The S3 client's settings: endpoint, region, credentials, forcePathStyle. */
  client: S3ClientConfig;
}

const isNotFound = (err: unknown) =>
  err instanceof S3ServiceException && (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404);

/**
 * Blobs in an S3-compatible bucket (AWS S3, MinIO, Ceph), behind the same interface as the file store:
 *
 * - Object key: `<prefix>/<HMAC storage key>`, never the plaintext hash.
 * - Body: the same sealed format (sealed-format.ts), encrypted by Chartroom before it leaves;
 *   server-side encryption on top is welcome but not relied on.
 * - Atomic: the content is sealed in memory (a document is already held in memory while it is
 *   checked) and sent with one PutObject once its address is known; S3 shows an object whole or not
 *   at all, so there are no unfinished writes to clear. Storing equal content again puts it again,
 *   which refreshes its write time for the orphan sweep's grace period.
 * - Every read is checked against its address, as in the file store.
 */
export function createS3BlobStore(options: S3BlobStoreOptions, keyring: Keyring): BlobStore & { client: S3Client } {
  const client = new S3Client(options.client);
  const Bucket = options.bucket;
  const prefix = options.prefix ? `${options.prefix.replace(/^\/+|\/+$/g, '')}/` : '';
  const storageKeyOf = (sha256: string) => keyring.lookupHash(`blob:${sha256}`);
  const objectKey = (key: string) => `${prefix}${key}`;
  const keyOf = (sha256: string) => {
    if (!isSha256Hex(sha256)) throw new BlobNotFoundError();
    return objectKey(storageKeyOf(sha256));
  };

  async function lastModified(Key: string): Promise<Date | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
      return head.LastModified ?? new Date(0);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async function remove(Key: string): Promise<boolean> {
    if (!(await lastModified(Key))) return false;
    await client.send(new DeleteObjectCommand({ Bucket, Key }));
    return true;
  }

  async function put(content: BlobContent): Promise<StoredBlob> {
    const sealed = sealContent(content, keyring);
    const frames: Buffer[] = [];
    for await (const frame of sealed.frames) frames.push(frame);
    const { sha256, size } = sealed.result();
    await client.send(new PutObjectCommand({ Bucket, Key: keyOf(sha256), Body: Buffer.concat(frames), ContentType: 'application/octet-stream' }));
    return { sha256, size };
  }

  async function get(sha256: string): Promise<Buffer> {
    let stored: Buffer;
    try {
      const answer = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(sha256) }));
      stored = Buffer.from(await answer.Body!.transformToByteArray());
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError();
      throw err;
    }
    return openSealedContent(stored, keyring, sha256);
  }

  async function* listStorageKeys(before: Date): AsyncIterable<string> {
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, ContinuationToken }));
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(prefix.length);
        if (key && /^[0-9a-f]{64}$/.test(key) && object.LastModified && object.LastModified < before) yield key;
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  return {
    client,
    put,
    get,
    exists: async (sha256) => isSha256Hex(sha256) && (await lastModified(keyOf(sha256))) !== undefined,
    delete: async (sha256) => isSha256Hex(sha256) && remove(keyOf(sha256)),
    listStorageKeys,
    storageKeyOf,
    async deleteByStorageKey(key, olderThan) {
      if (!/^[0-9a-f]{64}$/.test(key)) return false;
      if (olderThan) {
        const modified = await lastModified(objectKey(key));
        if (!modified || modified >= olderThan) return false;
      }
      return remove(objectKey(key));
    },
    // One PutObject a blob: S3 never shows a partial object, so nothing is left unfinished.
    removeIncompleteWrites: async () => 0,
  };
}
