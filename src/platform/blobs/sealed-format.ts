import { createHash } from 'node:crypto';
import type { Keyring } from '../crypto.js';
import { BlobIntegrityError, type BlobContent } from './blob-store.js';

/**
 * The sealed format every blob store writes: the header `CRBLOB1\0`, then chunks of up to 1 MiB of
 * plaintext, each sealed with AES-256-GCM under the keyring's data key (fresh random IV per chunk)
 * and written as [u32 length][iv | tag | ciphertext]. Each chunk's AAD is its index and whether it
 * is the last, so chunks cannot be reordered, dropped or cut off without the read failing.
 */
export const BLOB_HEADER = Buffer.from('CRBLOB1\0', 'latin1');
const CHUNK_BYTES = 1024 * 1024;

const chunkAad = (index: number, last: boolean): Buffer => {
  const aad = Buffer.alloc(5);
  aad.writeUInt32BE(index, 0);
  aad.writeUInt8(last ? 1 : 0, 4);
  return aad;
};

async function* chunksOf(content: BlobContent): AsyncIterable<Buffer> {
  if (content instanceof Uint8Array) {
    yield Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    return;
  }
  for await (const part of content) yield typeof part === 'string' ? Buffer.from(part) : Buffer.from(part.buffer, part.byteOffset, part.byteLength);
}

/**
 * Seals content as it streams: `frames` yields the header and each sealed chunk, to be written in
 * order; once they are all read, `result()` answers the plaintext's SHA-256 and size.
 */
export function sealContent(content: BlobContent, keyring: Keyring): { frames: AsyncIterable<Buffer>; result(): { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  let done: { sha256: string; size: number } | undefined;
  async function* frames(): AsyncIterable<Buffer> {
    let index = 0;
    const frame = (plain: Buffer, last: boolean) => {
      const sealed = keyring.sealBytes(plain, chunkAad(index++, last));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(sealed.length, 0);
      return Buffer.concat([length, sealed]);
    };
    yield BLOB_HEADER;
    let pending: Buffer = Buffer.alloc(0);
    for await (const part of chunksOf(content)) {
      hash.update(part);
      size += part.length;
      pending = pending.length ? Buffer.concat([pending, part]) : part;
      // Keep the tail back: only the last chunk may be marked last, and only the end tells which.
      while (pending.length > CHUNK_BYTES) {
        yield frame(pending.subarray(0, CHUNK_BYTES), false);
        pending = pending.subarray(CHUNK_BYTES);
      }
    }
    yield frame(pending, true);
    done = { sha256: hash.digest('hex'), size };
  }
  return {
    frames: frames(),
    result: () => {
      if (!done) throw new Error('The content was not read to its end.');
      return done;
    },
  };
}

/** Opens a sealed blob and checks it hashes to its address; anything else is a BlobIntegrityError. */
export function openSealedContent(stored: Buffer, keyring: Keyring, sha256: string): Buffer {
  if (!stored.subarray(0, BLOB_HEADER.length).equals(BLOB_HEADER)) throw new BlobIntegrityError();
  const parts: Buffer[] = [];
  let offset = BLOB_HEADER.length;
  let index = 0;
  while (offset < stored.length) {
    if (offset + 4 > stored.length) throw new BlobIntegrityError();
    const length = stored.readUInt32BE(offset);
    const end = offset + 4 + length;
    if (end > stored.length) throw new BlobIntegrityError();
    try {
      parts.push(keyring.openBytes(stored.subarray(offset + 4, end), chunkAad(index++, end === stored.length)));
    } catch {
      throw new BlobIntegrityError();
    }
    offset = end;
  }
  if (index === 0) throw new BlobIntegrityError();
  const plain = Buffer.concat(parts);
  if (createHash('sha256').update(plain).digest('hex') !== sha256) throw new BlobIntegrityError();
  return plain;
}
