import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from './support/chartroom.js';
import { runChartroom, useCliEnvironment } from './support/cli.js';

const HEADER = 'given,middle,family,suffix,birth_date,sex,ssn,phone,phone_use,email,address_line1,address_line2,city,state,postal_code,country,language,race,ethnicity,marital_status,other_mrn,other_mrn_system';

for (const dialect of DIALECTS) {
  describe(`${dialect}: chartroom import patients`, () => {
    const { dataDir, env } = useCliEnvironment(dialect, 'import');

    it('prints the summary, writes the rejects beside the file and exits 1 when a row was rejected', () => {
      const file = join(dataDir, 'ward.csv');
      writeFileSync(file, [
        HEADER,
        'Grace,,Hopper,,1906-12-09,female,,,,,,,,,,,,,,,,',
        'Alan,,Turing,,1912-06-23,male,,,,,,,,,,,,,,,,',
        'Nobody,,Knows,,1912-06-31,male,,,,,,,,,,,,,,,,',
      ].join('\n') + '\n');
      const run = runChartroom(env, ['import', 'patients', file]);
      expect(run.stdout).toMatch(new RegExp(`^Imported 2 patients, rejected 1 \\(see ${file.replace(/[.]/g, '\\.')}\\.rejects\\.csv\\) in \\d+\\.\\d s \\([\\d,]+ patients/s\\)$`, 'm'));
      expect(run.stdout).toMatch(/Run the duplicate scan \(Duplicates page or chartroom patients scan-duplicates\) to find duplicates\./);
      expect(run.stderr).toMatch(/Importing: 100% \| 2 imported, 1 rejected/);
      expect(run.code).toBe(1);
      expect(readFileSync(`${file}.rejects.csv`, 'utf8')).toBe('line,field,message\n4,birth_date,Not a real date.\n');
    });

    it('exits 0 when every row was imported, and scans the index for duplicates', () => {
      const file = join(dataDir, 'clinic.jsonl');
      writeFileSync(file, JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Hopper', given: ['Grace'] }], gender: 'female', birthDate: '1906-12-09' }) + '\n');
      const run = runChartroom(env, ['import', 'patients', file, '--check-duplicates', '--batch-size', '10']);
      expect(run.stdout).toMatch(/^Imported 1 patient, rejected 0 in /m);
      expect(run.stdout).toMatch(/Queued 1 suspected duplicate pair for review on the Duplicates page\./);
      expect(run.code).toBe(0);

      const scan = runChartroom(env, ['patients', 'scan-duplicates']);
      expect(scan.stdout).toMatch(/^Scanned 3 patients; queued 0 new suspected duplicate pairs/m);
      expect(scan.stderr).toMatch(/Scanning: 100%/);
      expect(scan.code).toBe(0);
    });

    it('exits 2 naming an unknown column, an unknown format or a bad batch size', () => {
      const file = join(dataDir, 'odd.csv');
      writeFileSync(file, 'given,family,birth_date,sex,shoe_size\nAda,Byron,1815-12-10,female,5\n');
      const unknown = runChartroom(env, ['import', 'patients', file]);
      expect(unknown.stderr).toMatch(/unknown column "shoe_size"/);
      expect(unknown.code).toBe(2);
      expect(runChartroom(env, ['import', 'patients', join(dataDir, 'patients.xlsx')]).code).toBe(2);
      expect(runChartroom(env, ['import', 'patients', file, '--batch-size', 'lots']).code).toBe(2);
    });
  });
}
