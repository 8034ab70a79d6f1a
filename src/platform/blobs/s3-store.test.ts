import { randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from '../../../test/support/blob-store-contract.js';
import { startS3Server } from '../../../test/support/s3-server.js';
import { createKeyring } from '../crypto.js';
import { createS3BlobStore } from './s3-store.js';

// A real S3-compatible server (s3rver) on loopback; each test gets its own key prefix in the bucket.
let server: Awaited<ReturnType<typeof startS3Server>>;
let store: ReturnType<typeof createS3BlobStore>;
let prefix: string;
beforeAll(async () => { server = await startS3Server(); });
afterAll(async () => { await server?.stop(); });
beforeEach(() => {
  prefix = `test-${randomBytes(6).toString('hex')}`;
  store = createS3BlobStore(server.options(prefix), createKeyring(randomBytes(32)));
});

describeBlobStoreContract('S3 blob store', () => ({
  store,
  withOtherKey: () => createS3BlobStore(server.options(prefix), createKeyring(randomBytes(32))),
  storedKeys: async () => {
    const page = await store.client.send(new ListObjectsV2Command({ Bucket: 'chartroom-test', Prefix: `${prefix}/` }));
    return (page.Contents ?? []).map((o) => o.Key!.slice(prefix.length + 1));
  },
  readRaw: async (key) => {
    const answer = await store.client.send(new GetObjectCommand({ Bucket: 'chartroom-test', Key: `${prefix}/${key}` }));
    return Buffer.from(await answer.Body!.transformToByteArray());
  },
  writeRaw: async (key, bytes) => {
    await store.client.send(new PutObjectCommand({ Bucket: 'chartroom-test', Key: `${prefix}/${key}`, Body: bytes }));
  },
}));

describe('S3 blob store in its bucket', () => {
  it('keeps to its prefix: objects of other prefixes are neither listed nor served', async () => {
    const stored = await store.put(Buffer.from('filed under one prefix'));
    const neighbour = createS3BlobStore(server.options(`${prefix}-other`), createKeyring(randomBytes(32)));
    const listed: string[] = [];
    for await (const key of neighbour.listStorageKeys(new Date(Date.now() + 60_000))) listed.push(key);
    expect(listed).toEqual([]);
    expect(await store.exists(stored.sha256)).toBe(true);
    expect(await store.removeIncompleteWrites(new Date())).toBe(0);
  });
});
