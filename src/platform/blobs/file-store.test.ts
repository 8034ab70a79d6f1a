import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeBlobStoreContract } from '../../../test/support/blob-store-contract.js';
import { createKeyring } from '../crypto.js';
import { createFileBlobStore } from './file-store.js';
import type { BlobStore } from './blob-store.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

let root: string;
let store: BlobStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'chartroom-blobs-'));
  store = createFileBlobStore(root, createKeyring(randomBytes(32)));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const pathOfKey = (key: string) => join(root, key.slice(0, 2), key.slice(2, 4), key);

describeBlobStoreContract('file blob store', () => ({
  store,
  withOtherKey: () => createFileBlobStore(root, createKeyring(randomBytes(32))),
  storedKeys: async () => filesUnder(root).filter((f) => !f.startsWith('tmp')).map((f) => f.split('/').pop()!),
  readRaw: async (key) => readFileSync(pathOfKey(key)),
  writeRaw: async (key, bytes) => {
    mkdirSync(join(pathOfKey(key), '..'), { recursive: true });
    writeFileSync(pathOfKey(key), bytes);
  },
}));

describe('file blob store on disk', () => {
  it('keeps blobs readable by the owner only, and nothing in tmp/ after a write', async () => {
    const stored = await store.put(Buffer.from('owner only'));
    expect(statSync(pathOfKey(store.storageKeyOf(stored.sha256))).mode & 0o077).toBe(0);
    expect(filesUnder(root).filter((f) => f.startsWith('tmp'))).toEqual([]);
  });

  it('clears writes a crash left unfinished, and only those older than the instant given', async () => {
    await store.put(Buffer.from('kept'));
    const leftover = join(root, 'tmp', 'crashed.part');
    writeFileSync(leftover, 'half a blob');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(leftover, hourAgo, hourAgo);
    writeFileSync(join(root, 'tmp', 'in-progress.part'), 'being written now');
    expect(await store.removeIncompleteWrites(new Date(Date.now() - 60_000))).toBe(1);
    expect(readdirSync(join(root, 'tmp'))).toEqual(['in-progress.part']);
  });
});
