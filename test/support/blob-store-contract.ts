import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/platform/blobs/blob-store.js';
import { BLOB_HEADER } from '../../src/platform/blobs/sealed-format.js';

/**
 * What every blob store must do, run against each store (file-store.test.ts, s3-store.test.ts). A
 * store under test comes with raw access to what it keeps, by storage key, so the tests can look
 * at and tamper with the stored bytes as someone with access to the disk or the bucket could.
 */
export interface BlobStoreUnderTest {
  store: BlobStore;
  /** The same storage opened with another master key. */
  withOtherKey(): BlobStore;
  /** Every stored object's storage key (writes in progress excluded). */
  storedKeys(): Promise<string[]>;
  readRaw(key: string): Promise<Buffer>;
  writeRaw(key: string, bytes: Buffer): Promise<void>;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function* trickle(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const key of keys) all.push(key);
  return all;
}

export function describeBlobStoreContract(name: string, open: () => BlobStoreUnderTest): void {
  describe(`${name}: the blob store contract`, () => {
    it('gives back exactly what was stored, small, empty and over several chunks, from bytes or a stream', async () => {
      const { store } = open();
      const small = Buffer.from('%PDF-1.7 a small scanned page');
      const large = randomBytes(2.5 * 1024 * 1024 + 7);
      for (const [content, input] of [[small, small], [Buffer.alloc(0), Buffer.alloc(0)], [large, trickle(large, 65_537)]] as const) {
        const stored = await store.put(input);
        expect(stored).toEqual({ sha256: sha256(content), size: content.length });
        expect((await store.get(stored.sha256)).equals(content)).toBe(true);
        expect(await store.exists(stored.sha256)).toBe(true);
      }
    });

    it('stores equal content once, under a name that is not its plaintext hash, and encrypted', async () => {
      const t = open();
      const content = Buffer.from('Discharge summary of a patient, plain text that must not be stored');
      const first = await t.store.put(content);
      const second = await t.store.put(Buffer.from(content));
      expect(second).toEqual(first);
      const keys = await t.storedKeys();
      expect(keys).toEqual([t.store.storageKeyOf(first.sha256)]);
      expect(keys[0]).not.toContain(first.sha256);
      const raw = await t.readRaw(keys[0]);
      expect(raw.subarray(0, BLOB_HEADER.length).equals(BLOB_HEADER)).toBe(true);
      expect(raw.includes(content)).toBe(false);
      expect(raw.includes(Buffer.from('Discharge summary'))).toBe(false);
    });

    it('refuses to serve content that was changed, cut short, swapped or sealed under another key', async () => {
      const t = open();
      const a = await t.store.put(randomBytes(3 * 1024 * 1024));
      const b = await t.store.put(Buffer.from('another document'));
      const keyA = t.store.storageKeyOf(a.sha256);
      const original = await t.readRaw(keyA);

      const flipped = Buffer.from(original);
      flipped[flipped.length - 100] ^= 1;
      await t.writeRaw(keyA, flipped);
      await expect(t.store.get(a.sha256)).rejects.toMatchObject({ code: 'blob.integrity' });

      // Drop the last chunk: every remaining chunk is intact, but the one now last was not sealed as last.
      let offset = BLOB_HEADER.length;
      let lastChunkAt = 0;
      while (offset < original.length) { lastChunkAt = offset; offset += 4 + original.readUInt32BE(offset); }
      await t.writeRaw(keyA, original.subarray(0, lastChunkAt));
      await expect(t.store.get(a.sha256)).rejects.toMatchObject({ code: 'blob.integrity' });

      await t.writeRaw(keyA, await t.readRaw(t.store.storageKeyOf(b.sha256)));
      await expect(t.store.get(a.sha256)).rejects.toMatchObject({ code: 'blob.integrity' });

      await t.writeRaw(keyA, original);
      expect(sha256(await t.store.get(a.sha256))).toBe(a.sha256);
      const other = t.withOtherKey();
      await expect(other.get(a.sha256)).rejects.toMatchObject({ code: 'blob.not-found' });
      // The same bytes under the other key's name: the data key differs, so they do not open.
      await t.writeRaw(other.storageKeyOf(a.sha256), original);
      await expect(other.get(a.sha256)).rejects.toMatchObject({ code: 'blob.integrity' });
    });

    it('leaves nothing behind when the content fails mid-write', async () => {
      const t = open();
      async function* broken() {
        yield randomBytes(1024 * 1024 + 10);
        throw new Error('the upload was cut off');
      }
      await expect(t.store.put(broken())).rejects.toThrow('the upload was cut off');
      expect(await t.storedKeys()).toEqual([]);
    });

    it('answers not found for content it never stored or has deleted', async () => {
      const { store } = open();
      const stored = await store.put(Buffer.from('to be destroyed'));
      expect(await store.delete(stored.sha256)).toBe(true);
      expect(await store.exists(stored.sha256)).toBe(false);
      await expect(store.get(stored.sha256)).rejects.toMatchObject({ code: 'blob.not-found' });
      expect(await store.delete(stored.sha256)).toBe(false);
      await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'blob.not-found' });
    });

    it('lists stored keys older than an instant, and deletes by key only what was not written since', async () => {
      const { store } = open();
      const stored = await store.put(Buffer.from('kept'));
      const key = store.storageKeyOf(stored.sha256);
      expect(await collect(store.listStorageKeys(new Date(Date.now() + 60_000)))).toEqual([key]);
      expect(await collect(store.listStorageKeys(new Date(Date.now() - 60_000)))).toEqual([]);
      expect(await store.deleteByStorageKey(key, new Date(Date.now() - 60_000))).toBe(false);
      expect(await store.exists(stored.sha256)).toBe(true);
      expect(await store.deleteByStorageKey(key)).toBe(true);
      expect(await store.exists(stored.sha256)).toBe(false);
    });
  });
}
