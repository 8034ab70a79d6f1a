import { DomainError } from '../errors.js';

/** What the store answers for stored content: its SHA-256 (hex, of the plaintext) and its size in bytes. */
export interface StoredBlob {
  sha256: string;
  size: number;
}

/** Content to store: whole bytes, or a stream of chunks (a file upload, a file on disk). */
export type BlobContent = Buffer | Uint8Array | AsyncIterable<Buffer | Uint8Array | string>;

/**
 * Where document content lives, content-addressed by the SHA-256 of its plaintext, encrypted at
 * rest. Equal content is stored once, so `put` of bytes already stored is cheap and answers the
 * same address. Every read checks the content against its address: a blob that was changed, swapped
 * or damaged is refused with `blob.integrity`, never returned.
 *
 * A caller stores the blob first and then commits the database row that names it, so no row ever
 * points at a half-written blob; a crash between the two leaves an unreferenced blob, which the
 * orphan sweep removes (docs/operations.md). Because content is shared, `delete` is for
 * destruction only, once no row names the address any more.
 */
export interface BlobStore {
  /**
   * Stores the content (atomically: whole or not at all) and answers its address. Storing content
   * that is already there refreshes its write time, so the orphan sweep's grace period counts from
   * the latest upload.
   */
  put(content: BlobContent): Promise<StoredBlob>;
  /** The content at this address, checked (authenticated decryption and SHA-256) before it is answered. */
  get(sha256: string): Promise<Buffer>;
  exists(sha256: string): Promise<boolean>;
  /** Removes the content for good (destruction). Answers false when it was not stored. */
  delete(sha256: string): Promise<boolean>;
  /**
   * Every stored address older than `before` (by the store's write time), for the orphan sweep: the
   * caller removes those no row names. Addresses are answered as the store can name them (see
   * `storageKeyOf`); compare with `storageKeyOf(sha256)` of the referenced content.
   */
  listStorageKeys(before: Date): AsyncIterable<string>;
  /** The name under which this content is kept (not the plaintext hash, so names reveal nothing). */
  storageKeyOf(sha256: string): string;
  /**
   * Removes a stored object by its storage key (the orphan sweep); with `olderThan`, only if it was
   * not written (or stored again) since, so content an upload just deduplicated into is kept.
   */
  deleteByStorageKey(key: string, olderThan?: Date): Promise<boolean>;
  /** Removes writes that never finished (a crash mid-upload) and began before `before`; answers how many. */
  removeIncompleteWrites(before: Date): Promise<number>;
}

export const isSha256Hex = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/** Stored content that no longer matches its address, or cannot be decrypted: never served. */
export class BlobIntegrityError extends DomainError {
  constructor() {
    super('internal', 'blob.integrity', 'The stored content failed its integrity check and was not served. Restore it from backup.');
    this.name = 'BlobIntegrityError';
  }
}

export class BlobNotFoundError extends DomainError {
  constructor() {
    super('not-found', 'blob.not-found', 'The stored content was not found.');
    this.name = 'BlobNotFoundError';
  }
}
