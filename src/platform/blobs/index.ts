/** Where document content is kept: content-addressed, encrypted, checked on every read. */
export * from './blob-store.js';
export { createFileBlobStore } from './file-store.js';
export { createS3BlobStore, type S3BlobStoreOptions } from './s3-store.js';
