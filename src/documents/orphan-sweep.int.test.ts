import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS, useTestChartroom, type TestChartroom } from '../../test/support/chartroom.js';
import { samplePdf } from '../../test/support/documents.js';
import { patientInput } from '../../test/support/patients.js';
import { makePrincipal } from '../access/principal.js';
import { SYSTEM_ACTOR } from '../audit/actions.js';
import { Demographics, registerPatient } from '../patients/index.js';
import { fileDocument } from './filing.js';
import { readDocumentContent } from './reading.js';
import { registerBlobsInUse, sweepOrphanBlobs } from './orphan-sweep.js';

const DAY = 86_400_000;

function age(ctx: TestChartroom, sha256: string, at: Date) {
  const key = ctx.blobs.storageKeyOf(sha256);
  utimesSync(join(ctx.dataDir, 'blobs', key.slice(0, 2), key.slice(2, 4), key), at, at);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: the orphan sweep`, () => {
    const ctx = useTestChartroom(dialect);

    it('removes old content no document names and unfinished writes, and keeps what documents name and what was just stored', async () => {
      const clerk = makePrincipal('user', 'u-sweep', 'sweep.clerk', 'records_clerk', {});
      const { patient } = await registerPatient(ctx(), SYSTEM_ACTOR, Demographics.parse(patientInput({ family: 'Sorensen', ssn: undefined, phones: [], email: undefined })), { duplicateReason: 'test' });
      const filed = await fileDocument(ctx(), clerk, { patientId: patient.id, typeCode: '11506-3', serviceDate: '2026-11-24', status: 'final' }, { bytes: await samplePdf(1, 'Kept'), fileName: 'kept.pdf' });
      const orphan = await ctx().blobs.put(await samplePdf(1, 'Left by a failed commit'));
      const fresh = await ctx().blobs.put(await samplePdf(1, 'Being filed right now'));
      // The same bytes both times (pdf-lib stamps the second it made a PDF, so a second samplePdf may differ).
      const storedAgain = await samplePdf(1, 'Old orphan stored again');
      const reupload = await ctx().blobs.put(storedAgain);
      const twoDaysAgo = new Date(Date.now() - 2 * DAY);
      age(ctx(), filed.content.sha256, twoDaysAgo);
      age(ctx(), orphan.sha256, twoDaysAgo);
      age(ctx(), reupload.sha256, twoDaysAgo);
      await ctx().blobs.put(storedAgain);
      mkdirSync(join(ctx().dataDir, 'blobs', 'tmp'), { recursive: true });
      const crashed = join(ctx().dataDir, 'blobs', 'tmp', 'crashed.part');
      writeFileSync(crashed, 'half');
      utimesSync(crashed, twoDaysAgo, twoDaysAgo);

      expect(await sweepOrphanBlobs(ctx(), new Date(Date.now() - DAY))).toEqual({ removed: 1, incomplete: 1 });
      expect(await ctx().blobs.exists(orphan.sha256)).toBe(false);
      expect(await ctx().blobs.exists(fresh.sha256)).toBe(true);
      expect(await ctx().blobs.exists(reupload.sha256)).toBe(true);
      const content = await readDocumentContent(ctx(), clerk, filed.id);
      expect(content.bytes.length).toBe(filed.content.size);
    });

    it('keeps content a capability registered as in use (a letter, a packet), and removes it once nothing names it', async () => {
      const letter = await ctx().blobs.put(await samplePdf(1, 'A letter kept by its request'));
      const kept = new Set([letter.sha256]);
      registerBlobsInUse('test-letters', async () => kept);
      age(ctx(), letter.sha256, new Date(Date.now() - 2 * DAY));
      await sweepOrphanBlobs(ctx(), new Date(Date.now() - DAY));
      expect(await ctx().blobs.exists(letter.sha256)).toBe(true);
      kept.clear();
      await sweepOrphanBlobs(ctx(), new Date(Date.now() - DAY));
      expect(await ctx().blobs.exists(letter.sha256)).toBe(false);
    });
  });
}
