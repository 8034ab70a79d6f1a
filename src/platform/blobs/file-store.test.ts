import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyring } from '../crypto.js';
import { createFileBlobStore } from './file-store.js';
import type { BlobStore } from './blob-store.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

async function* trickle(bytes: Buffer, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('file blob store', () => {
  let root: string;
  let store: BlobStore;
  const masterKey = randomBytes(32);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'chartroom-blobs-'));
    store = createFileBlobStore(root, createKeyring(masterKey));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('gives back exactly what was stored, small, empty and over several chunks, from bytes or a stream', async () => {
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
    const content = Buffer.from('Discharge summary of a patient, plain text that must not be on disk');
    const first = await store.put(content);
    const second = await store.put(Buffer.from(content));
    expect(second).toEqual(first);
    const files = filesUnder(root);
    expect(files).toHaveLength(1);
    expect(files[0]).not.toContain(first.sha256);
    const onDisk = readFileSync(join(root, files[0]));
    expect(onDisk.includes(content)).toBe(false);
    expect(onDisk.includes(Buffer.from('Discharge summary'))).toBe(false);
    expect(statSync(join(root, files[0])).mode & 0o077).toBe(0);
  });

  it('refuses to serve content that was changed, cut short, swapped or sealed under another key', async () => {
    const a = await store.put(randomBytes(3 * 1024 * 1024));
    const b = await store.put(Buffer.from('another document'));
    const pathOf = (h: string) => join(root, filesUnder(root).find((f) => f.endsWith(store.storageKeyOf(h)))!);
    const original = readFileSync(pathOf(a.sha256));

    const flipped = Buffer.from(original);
    flipped[flipped.length - 100] ^= 1;
    writeFileSync(pathOf(a.sha256), flipped);
    await expect(store.get(a.sha256)).rejects.toMatchObject({ code: 'blob.integrity' });

    // Drop the last chunk: every remaining chunk is intact, but the one now last was not sealed as last.
    const lastChunkAt = (() => {
      let offset = 8;
      let last = 0;
      while (offset < original.length) { last = offset; offset += 4 + original.readUInt32BE(offset); }
      return last;
    })();
    writeFileSync(pathOf(a.sha256), original.subarray(0, lastChunkAt));
    await expect(store.get(a.sha256)).rejects.toMatchObject({ code: 'blob.integrity' });

    writeFileSync(pathOf(a.sha256), readFileSync(pathOf(b.sha256)));
    await expect(store.get(a.sha256)).rejects.toMatchObject({ code: 'blob.integrity' });

    writeFileSync(pathOf(a.sha256), original);
    expect(sha256(await store.get(a.sha256))).toBe(a.sha256);
    const otherKey = createFileBlobStore(root, createKeyring(randomBytes(32)));
    await expect(otherKey.get(a.sha256)).rejects.toMatchObject({ code: 'blob.not-found' });
    // Same file under the other key's name: the data key differs, so it does not open.
    const otherName = otherKey.storageKeyOf(a.sha256);
    mkdirSync(join(root, otherName.slice(0, 2), otherName.slice(2, 4)), { recursive: true });
    writeFileSync(join(root, otherName.slice(0, 2), otherName.slice(2, 4), otherName), original);
    await expect(otherKey.get(a.sha256)).rejects.toMatchObject({ code: 'blob.integrity' });
  });

  it('leaves nothing behind when the content fails mid-write', async () => {
    async function* broken() {
      yield randomBytes(1024 * 1024 + 10);
      throw new Error('the upload was cut off');
    }
    await expect(store.put(broken())).rejects.toThrow('the upload was cut off');
    expect(filesUnder(root)).toEqual([]);
  });

  it('answers not found for content it never stored or has deleted', async () => {
    const stored = await store.put(Buffer.from('to be destroyed'));
    expect(await store.delete(stored.sha256)).toBe(true);
    expect(await store.exists(stored.sha256)).toBe(false);
    await expect(store.get(stored.sha256)).rejects.toMatchObject({ code: 'blob.not-found' });
    expect(await store.delete(stored.sha256)).toBe(false);
    await expect(store.get('../../etc/passwd')).rejects.toMatchObject({ code: 'blob.not-found' });
  });

  it('lists stored keys older than an instant and clears writes a crash left unfinished', async () => {
    const stored = await store.put(Buffer.from('kept'));
    const keys: string[] = [];
    for await (const key of store.listStorageKeys(new Date(Date.now() + 60_000))) keys.push(key);
    expect(keys).toEqual([store.storageKeyOf(stored.sha256)]);
    const none: string[] = [];
    for await (const key of store.listStorageKeys(new Date(Date.now() - 60_000))) none.push(key);
    expect(none).toEqual([]);

    const leftover = join(root, 'tmp', 'crashed.part');
    writeFileSync(leftover, 'half a blob');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(leftover, hourAgo, hourAgo);
    writeFileSync(join(root, 'tmp', 'in-progress.part'), 'being written now');
    expect(await store.removeIncompleteWrites(new Date(Date.now() - 60_000))).toBe(1);
    expect(readdirSync(join(root, 'tmp'))).toEqual(['in-progress.part']);
    expect(await store.deleteByStorageKey(store.storageKeyOf(stored.sha256))).toBe(true);
  });
});
