import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3BlobStoreOptions } from '../../src/platform/blobs/index.js';

/** A real S3-compatible server (s3rver) on loopback, with one empty bucket, for the S3 blob store's tests. */
export async function startS3Server(bucket = 'chartroom-test'): Promise<{ options: (prefix?: string) => S3BlobStoreOptions; stop(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'chartroom-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    options: (prefix) => ({
      bucket, prefix,
      client: {
        endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true,
        // s3rver's built-in account.
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
      },
    }),
    stop: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
