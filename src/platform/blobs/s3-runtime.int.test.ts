import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError, type Config } from '../../config.js';
import { DIALECTS } from '../../../test/support/chartroom.js';
import { send, signedInUser, useTestApp } from '../../../test/support/http.js';
import { registerOverHttp } from '../../../test/support/patients.js';
import { samplePdf, uploadForm } from '../../../test/support/documents.js';
import { startS3Server } from '../../../test/support/s3-server.js';

describe('blob store configuration', () => {
  it('reads the S3 settings, and refuses S3 without a bucket or with half a key pair', () => {
    expect(loadConfig({}).blobStore).toEqual({ kind: 'file' });
    expect(loadConfig({
      CHARTROOM_BLOB_STORE: 's3', CHARTROOM_S3_BUCKET: 'hospital-documents', CHARTROOM_S3_ENDPOINT: 'http://10.0.0.5:9000', CHARTROOM_S3_PREFIX: 'chartroom',
      CHARTROOM_S3_ACCESS_KEY_ID: 'id', CHARTROOM_S3_SECRET_ACCESS_KEY: 'secret', CHARTROOM_S3_FORCE_PATH_STYLE: 'true',
    }).blobStore).toEqual({
      kind: 's3', bucket: 'hospital-documents', prefix: 'chartroom', endpoint: 'http://10.0.0.5:9000', region: 'us-east-1',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' }, forcePathStyle: true,
    });
    expect(() => loadConfig({ CHARTROOM_BLOB_STORE: 's3' })).toThrow(ConfigError);
    expect(() => loadConfig({ CHARTROOM_BLOB_STORE: 's3', CHARTROOM_S3_BUCKET: 'b-b-b', CHARTROOM_S3_ACCESS_KEY_ID: 'id' })).toThrow(/set both or neither/);
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: documents kept in an S3-compatible bucket`, () => {
    let server: Awaited<ReturnType<typeof startS3Server>>;
    beforeAll(async () => { server = await startS3Server('chartroom-documents'); });
    afterAll(async () => { await server?.stop(); });
    // Read when the app opens, after the S3 server above has started.
    const overrides = {
      get blobStore(): Config['blobStore'] {
        const { client, bucket } = server.options();
        return { kind: 's3', bucket, prefix: `run-${dialect}`, endpoint: client.endpoint as string, region: 'us-east-1', credentials: client.credentials as { accessKeyId: string; secretAccessKey: string }, forcePathStyle: true };
      },
    };
    const { app, ctx } = useTestApp(dialect, overrides);

    it('files a document into the bucket and serves it back, with nothing in the data directory', async () => {
      const clerk = await signedInUser(app(), ctx(), 's3.clerk', 'records_clerk');
      const patientId = await registerOverHttp(app(), clerk, 'Bucketson');
      const pdf = await samplePdf(1, 'Kept in a bucket');
      const { payload, headers } = await uploadForm({ patientId, typeCode: '11506-3', serviceDate: '2026-11-20' }, { bytes: pdf, name: 'note.pdf' });
      const filed = await send(app(), clerk.session, 'POST', '/api/documents', payload, headers);
      expect(filed.statusCode, filed.body).toBe(201);
      const content = await send(app(), clerk.session, 'GET', `/api/documents/${filed.json().document.id}/content`);
      expect(content.rawPayload.equals(pdf)).toBe(true);

      const { client } = server.options();
      const listed = await new S3Client(client).send(new ListObjectsV2Command({ Bucket: 'chartroom-documents', Prefix: `run-${dialect}/` }));
      expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([`run-${dialect}/${ctx().blobs.storageKeyOf(filed.json().document.content.sha256)}`]);
      const blobsDir = join(ctx().dataDir, 'blobs');
      expect(existsSync(blobsDir) ? readdirSync(blobsDir, { recursive: true }) : []).toEqual([]);
    });
  });
}
