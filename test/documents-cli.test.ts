import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/chartroom.js';
import { runChartroom, useCliEnvironment } from './support/cli.js';
import { samplePdf } from './support/documents.js';
import { createKeyring, loadMasterKey } from '../src/platform/crypto.js';
import { createFileBlobStore } from '../src/platform/blobs/index.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: chartroom documents sweep-orphans`, () => {
    const { dataDir, env } = useCliEnvironment(dialect, 'docs-cli');

    it('removes a blob no document names once it is older than the grace period', async () => {
      expect(runChartroom(env, ['migrate']).code).toBe(0);
      const store = createFileBlobStore(join(dataDir, 'blobs'), createKeyring(loadMasterKey(dataDir)));
      const orphan = await store.put(await samplePdf(1, 'Never filed'));
      const young = runChartroom(env, ['documents', 'sweep-orphans']);
      expect(young.stdout).toMatch(/Removed 0 unreferenced blobs and 0 unfinished writes/);
      const key = store.storageKeyOf(orphan.sha256);
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
      utimesSync(join(dataDir, 'blobs', key.slice(0, 2), key.slice(2, 4), key), twoDaysAgo, twoDaysAgo);
      const old = runChartroom(env, ['documents', 'sweep-orphans', '--grace-hours', '24']);
      expect(old.code, old.stderr).toBe(0);
      expect(old.stdout).toMatch(/Removed 1 unreferenced blob and 0 unfinished writes/);
      expect(await store.exists(orphan.sha256)).toBe(false);
    }, 240_000);
  });
}
