import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Keyring } from '../crypto.js';
import { BlobNotFoundError, isSha256Hex, type BlobContent, type BlobStore, type StoredBlob } from './blob-store.js';
import { openSealedContent, sealContent } from './sealed-format.js';

export { BLOB_HEADER } from './sealed-format.js';

/**
 * The default blob store: files under `$CHARTROOM_DATA/blobs`.
 *
 * - Name: `ab/cd/<key>`, where key = HMAC-SHA256(lookup key, "blob:" + SHA-256 of the plaintext).
 *   Equal content gets the same name, so it is stored once; but the plaintext hash itself never
 *   appears on disk, so someone who can list the directory cannot test whether a known file (a
 *   published form, a leaked scan) is among a patient's documents.
 * - Content: the sealed format of sealed-format.ts (1 MiB chunks, each AES-256-GCM sealed).
 * - Writes go to `tmp/` first, are fsynced, renamed into place, and the directory is fsynced: a blob
 *   is there whole or not at all. A crash mid-write leaves only a file in `tmp/`
 *   (`removeIncompleteWrites`).
 */
const TMP = 'tmp';

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function createFileBlobStore(root: string, keyring: Keyring): BlobStore {
  const storageKeyOf = (sha256: string) => keyring.lookupHash(`blob:${sha256}`);
  const pathOfKey = (key: string) => join(root, key.slice(0, 2), key.slice(2, 4), key);
  const pathOf = (sha256: string) => {
    if (!isSha256Hex(sha256)) throw new BlobNotFoundError();
    return pathOfKey(storageKeyOf(sha256));
  };

  async function put(content: BlobContent): Promise<StoredBlob> {
    await mkdir(join(root, TMP), { recursive: true, mode: 0o700 });
    const tmpPath = join(root, TMP, `${randomBytes(12).toString('hex')}.part`);
    const file = await open(tmpPath, 'wx', 0o600);
    let moved = false;
    try {
      const sealed = sealContent(content, keyring);
      for await (const frame of sealed.frames) await file.write(frame);
      await file.sync();
      await file.close();
      const { sha256, size } = sealed.result();
      const finalPath = pathOf(sha256);
      const dir = join(finalPath, '..');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (await isFile(finalPath)) {
        await unlink(tmpPath);
        const now = new Date();
        await utimes(finalPath, now, now);
      } else {
        await rename(tmpPath, finalPath);
        await fsyncDir(dir);
      }
      moved = true;
      return { sha256, size };
    } finally {
      if (!moved) {
        await file.close().catch(() => undefined);
        await rm(tmpPath, { force: true });
      }
    }
  }

  async function get(sha256: string): Promise<Buffer> {
    let stored: Buffer;
    try {
      stored = await readFile(pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError();
      throw err;
    }
    return openSealedContent(stored, keyring, sha256);
  }

  async function* listStorageKeys(before: Date): AsyncIterable<string> {
    for (const a of await namesIn(root)) {
      if (a === TMP || !/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await namesIn(join(root, a))) {
        for (const key of await namesIn(join(root, a, b))) {
          const info = await stat(join(root, a, b, key)).catch(() => undefined);
          if (info?.isFile() && info.mtime < before) yield key;
        }
      }
    }
  }

  async function removeFile(path: string): Promise<boolean> {
    try {
      await unlink(path);
      await fsyncDir(join(path, '..'));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  return {
    put,
    get,
    exists: (sha256) => (isSha256Hex(sha256) ? isFile(pathOf(sha256)) : Promise.resolve(false)),
    delete: (sha256) => (isSha256Hex(sha256) ? removeFile(pathOf(sha256)) : Promise.resolve(false)),
    listStorageKeys,
    storageKeyOf,
    async deleteByStorageKey(key, olderThan) {
      if (!/^[0-9a-f]{64}$/.test(key)) return false;
      if (olderThan) {
        const info = await stat(pathOfKey(key)).catch(() => undefined);
        if (!info || info.mtime >= olderThan) return false;
      }
      return removeFile(pathOfKey(key));
    },
    async removeIncompleteWrites(before) {
      let removed = 0;
      for (const name of await namesIn(join(root, TMP))) {
        const path = join(root, TMP, name);
        const info = await stat(path).catch(() => undefined);
        if (info && info.mtime < before && (await removeFile(path))) removed += 1;
      }
      return removed;
    },
  };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function namesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
}
